import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireRole } from '../auth/guards.js';
import { AuditQuery, AuditView } from './schemas.js';
import type { AuditService } from './service.js';

/** The audit log, newest first: admins only. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditService }> = async (app, { audit }) => {
  app.get('/api/audit', { onRequest: requireRole('admin'), schema: { querystring: AuditQuery, response: { 200: Type.Array(AuditView) } } },
    async (req) => audit.list(req.query));
};
