import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { currentAgent } from '../auth/guards.js';
import { CallbackView, ListQuery, RequestParams, ResolveBody, SummaryQuery, SummaryView } from './schemas.js';
import type { CallbackService } from './service.js';

/** The start of the current Kaliningrad day (UTC+2 all year), as an ISO instant. */
function startOfKaliningradDay(now: number): string {
  const local = new Date(now + 2 * 3600_000).toISOString().slice(0, 10);
  return new Date(Date.parse(`${local}T00:00:00Z`) - 2 * 3600_000).toISOString();
}

/**
 * Callback requests for the agents' list: what is pending or failed with its attempts; calling a
 * customer back by hand; marking a request done or failed with a reason. Any logged-in staff
 * member; the call by hand is placed from the logged-in agent's own phone.
 */
export const callbackRoutes: FastifyPluginAsyncTypebox<{ callbacks: CallbackService; clock: () => number }> = async (app, { callbacks, clock }) => {
  app.get('/api/callbacks', { schema: { querystring: ListQuery, response: { 200: Type.Array(CallbackView) } } },
    async (req) => callbacks.list({ statuses: req.query.status.split(','), limit: req.query.limit }) as never);

  app.get('/api/callbacks/summary', { schema: { querystring: SummaryQuery, response: { 200: SummaryView } } }, async (req) => {
    const since = req.query.since ?? startOfKaliningradDay(clock());
    return { since, ...(await callbacks.summary(since)) };
  });

  app.post('/api/callbacks/:requestId/call', { schema: { params: RequestParams, response: { 201: Type.Object({ callId: Type.String() }) } } }, async (req, reply) =>
    reply.code(201).send(await callbacks.callByHand(req.params.requestId, currentAgent(req).id)));

  app.post('/api/callbacks/:requestId/resolve', { schema: { params: RequestParams, body: ResolveBody } }, async (req, reply) => {
    await callbacks.resolve(req.params.requestId, currentAgent(req).id, req.body.outcome, req.body.reason);
    return reply.code(204).send();
  });
};
