import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Call } from '../db/schema.js';
import { callNotFound } from './errors.js';
import { CallDetail, CallIdParams, CallView, RecentCallsQuery } from './schemas.js';
import type { CallStore } from './store.js';

function view(c: Call): CallView {
  return {
    id: c.id, channelId: c.channel_id, direction: c.direction, callerNumber: c.caller_number, callerE164: c.caller_e164,
    identification: c.identification, accountId: c.account_id, startedAt: c.started_at, answeredAt: c.answered_at,
    endedAt: c.ended_at, outcome: c.outcome, hangupCause: c.hangup_cause, hangupCauseText: c.hangup_cause_text,
  };
}

export const callRoutes: FastifyPluginAsyncTypebox<{ store: CallStore }> = async (app, { store }) => {
  app.get('/api/calls', {
    schema: { querystring: RecentCallsQuery, response: { 200: Type.Array(CallView) } },
  }, async (req) => (await store.recent(req.query.limit, req.query.before)).map(view));

  app.get('/api/calls/:callId', {
    schema: { params: CallIdParams, response: { 200: CallDetail } },
  }, async (req) => {
    const call = await store.get(req.params.callId);
    if (call === undefined) throw callNotFound(req.params.callId);
    const events = await store.events(call.id);
    return { ...view(call), events: events.map((e) => ({ at: e.at, type: e.type, data: JSON.parse(e.data) as unknown })) };
  });
};
