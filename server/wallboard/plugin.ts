import type { FastifyInstance } from 'fastify';
import { wallboardRoutes } from './routes.js';
import type { WallboardService } from './service.js';

export async function wallboardPlugin(app: FastifyInstance, deps: { wallboard: WallboardService }): Promise<void> {
  await app.register(wallboardRoutes, deps);
}
