import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { currentAgent, requireRole } from '../auth/guards.js';
import { CreatedStaff, NewStaff, OneTimePassword, StaffParams, StaffPatch, StaffView } from './schemas.js';
import type { StaffService } from './service.js';

/**
 * Staff administration, admins only. Answers carrying a one-time or SIP password are never
 * cached; the passwords are in no log (request bodies and replies are not logged).
 */
export const staffRoutes: FastifyPluginAsyncTypebox<{ staff: StaffService }> = async (app, { staff }) => {
  const adminOnly = requireRole('admin');

  app.get('/api/staff', { onRequest: adminOnly, schema: { response: { 200: Type.Array(StaffView) } } }, async () => staff.list());

  app.post('/api/staff', { onRequest: adminOnly, schema: { body: NewStaff, response: { 201: CreatedStaff } } }, async (req, reply) => {
    const created = await staff.create(currentAgent(req).id, req.body);
    return reply.code(201).header('cache-control', 'no-store').send(created);
  });

  app.patch('/api/staff/:id', { onRequest: adminOnly, schema: { params: StaffParams, body: StaffPatch, response: { 200: StaffView } } },
    async (req) => staff.update(currentAgent(req).id, req.params.id, req.body));

  app.post('/api/staff/:id/reset-password', { onRequest: adminOnly, schema: { params: StaffParams, response: { 200: OneTimePassword } } }, async (req, reply) => {
    const reset = await staff.resetPassword(currentAgent(req).id, req.params.id);
    return reply.header('cache-control', 'no-store').send(reset);
  });
};
