import type { FastifyInstance } from 'fastify';
import { trunkRoutes } from './routes.js';
import type { TrunkService } from './service.js';

export async function trunksPlugin(app: FastifyInstance, deps: { trunks: TrunkService }): Promise<void> {
  await app.register(trunkRoutes, deps);
}
