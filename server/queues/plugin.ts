import type { FastifyInstance } from 'fastify';
import { queueRoutes } from './routes.js';
import type { QueueAdmin } from './service.js';

export async function queuesPlugin(app: FastifyInstance, deps: { admin: QueueAdmin }): Promise<void> {
  await app.register(queueRoutes, deps);
}
