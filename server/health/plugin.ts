import type { FastifyInstance } from 'fastify';
import { healthRoutes } from './routes.js';
import type { HealthDeps } from './service.js';

export async function healthPlugin(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  await app.register(healthRoutes, deps);
}
