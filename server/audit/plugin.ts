import type { FastifyInstance } from 'fastify';
import { auditRoutes } from './routes.js';
import type { AuditService } from './service.js';

export async function auditPlugin(app: FastifyInstance, deps: { audit: AuditService }): Promise<void> {
  await app.register(auditRoutes, deps);
}
