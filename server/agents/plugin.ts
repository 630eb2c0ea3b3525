import type { FastifyInstance } from 'fastify';
import type { QueueService } from '../queue/service.js';
import { agentRoutes } from './routes.js';

export async function agentsPlugin(app: FastifyInstance, deps: { queue: QueueService; clock: () => number }): Promise<void> {
  await app.register(agentRoutes, deps);
}
