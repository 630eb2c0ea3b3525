import type { FastifyInstance } from 'fastify';
import { staffRoutes } from './routes.js';
import type { StaffService } from './service.js';

export async function staffPlugin(app: FastifyInstance, deps: { staff: StaffService }): Promise<void> {
  await app.register(staffRoutes, deps);
}
