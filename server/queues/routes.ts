import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { MembersBody, QueueBody, QueueParams, QueueView } from './schemas.js';
import type { QueueAdmin } from './service.js';
import { currentAgent, requireRole } from '../auth/guards.js';

/** Queues as data, editable without code: any logged-in staff member reads them, supervisors and admins edit them. */
export const queueRoutes: FastifyPluginAsyncTypebox<{ admin: QueueAdmin }> = async (app, { admin }) => {
  const supervisorOnly = requireRole('supervisor', 'admin');

  app.get('/api/queues', { schema: { response: { 200: Type.Array(QueueView) } } }, async () => admin.list());

  app.put('/api/queues/:queueId', { onRequest: supervisorOnly, schema: { params: QueueParams, body: QueueBody, response: { 200: QueueView } } },
    async (req) => admin.put(req.params.queueId, req.body, currentAgent(req).id));

  app.put('/api/queues/:queueId/members', { onRequest: supervisorOnly, schema: { params: QueueParams, body: MembersBody, response: { 200: MembersBody } } },
    async (req) => admin.setMembers(req.params.queueId, req.body, currentAgent(req).id));
};
