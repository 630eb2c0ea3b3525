import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireRole } from '../auth/guards.js';
import { TrunksReply } from './schemas.js';
import type { TrunkService } from './service.js';

/** The carrier trunks with their registration states and the calls refused for matching none: admins only (passwords never leave). */
export const trunkRoutes: FastifyPluginAsyncTypebox<{ trunks: TrunkService }> = async (app, { trunks }) => {
  app.get('/api/trunks', { onRequest: requireRole('admin'), schema: { response: { 200: TrunksReply } } }, async () => trunks.list());
};
