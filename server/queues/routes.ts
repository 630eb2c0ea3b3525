import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { MembersBody, QueueBody, QueueParams, QueueView } from './schemas.js';
import type { QueueAdmin } from './service.js';

/** Queues as data, editable without code. (Restricted to supervisors once logins exist.) */
export const queueRoutes: FastifyPluginAsyncTypebox<{ admin: QueueAdmin }> = async (app, { admin }) => {
  app.get('/api/queues', { schema: { response: { 200: Type.Array(QueueView) } } }, async () => admin.list());

  app.put('/api/queues/:queueId', { schema: { params: QueueParams, body: QueueBody, response: { 200: QueueView } } },
    async (req) => admin.put(req.params.queueId, req.body));

  app.put('/api/queues/:queueId/members', { schema: { params: QueueParams, body: MembersBody, response: { 200: MembersBody } } },
    async (req) => admin.setMembers(req.params.queueId, req.body));
};
