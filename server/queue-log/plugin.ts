import type { FastifyInstance } from 'fastify';
import { queueLogRoutes } from './routes.js';
import type { QueueLogService } from './service.js';

export async function queueLogPlugin(app: FastifyInstance, deps: { queueLog: QueueLogService }): Promise<void> {
  await app.register(queueLogRoutes, deps);
}
