import type { FastifyInstance } from 'fastify';
import { callbackRoutes } from './routes.js';
import type { CallbackService } from './service.js';

export async function callbacksPlugin(app: FastifyInstance, deps: { callbacks: CallbackService; clock: () => number }): Promise<void> {
  await app.register(callbackRoutes, deps);
}
