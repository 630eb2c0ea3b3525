import type { FastifyInstance } from 'fastify';
import { officeRoutes } from './routes.js';
import type { OfficeService } from './service.js';

export async function officesPlugin(app: FastifyInstance, deps: { offices: OfficeService }): Promise<void> {
  await app.register(officeRoutes, deps);
}
