import type { FastifyInstance } from 'fastify';
import { callRoutes } from './routes.js';
import type { CallService } from './service.js';
import type { CallStore } from './store.js';

/** Call handling: the service drives calls from ARI events; the routes show what was recorded. */
export async function callsPlugin(app: FastifyInstance, deps: { service: CallService; store: CallStore }): Promise<void> {
  deps.service.start();
  app.addHook('onClose', async () => deps.service.stop());
  await app.register(callRoutes, { store: deps.store });
}
