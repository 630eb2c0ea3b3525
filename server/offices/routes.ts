import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { currentAgent, requireRole } from '../auth/guards.js';
import { OfficeBody, OfficeParams, OfficeView } from './schemas.js';
import type { OfficeService } from './service.js';

/** Offices: any staff member reads them (agents tell callers), admins add and edit them. */
export const officeRoutes: FastifyPluginAsyncTypebox<{ offices: OfficeService }> = async (app, { offices }) => {
  const adminOnly = requireRole('admin');

  app.get('/api/offices', { schema: { response: { 200: Type.Array(OfficeView) } } }, async () => offices.list());

  app.post('/api/offices', { onRequest: adminOnly, schema: { body: OfficeBody, response: { 201: OfficeView } } },
    async (req, reply) => reply.code(201).send(await offices.create(currentAgent(req).id, req.body)));

  app.put('/api/offices/:id', { onRequest: adminOnly, schema: { params: OfficeParams, body: OfficeBody, response: { 200: OfficeView } } },
    async (req) => offices.update(currentAgent(req).id, req.params.id, req.body));
};
