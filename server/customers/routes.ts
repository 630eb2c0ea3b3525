import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '../db/database.js';
import { AppError } from '../errors.js';
import { ivrPathInWords } from '../calls/ivr-path.js';
import { AccountParams, AccountSummaryView, CallParams, LanguageQuery, SearchQuery } from './schemas.js';
import { accountCard, searchAccounts } from './service.js';

/** The agent's view of customers: search, the account card, and what a caller did in the IVR. */
export const customerRoutes: FastifyPluginAsyncTypebox<{ db: Db; clock: () => number }> = async (app, { db, clock }) => {
  app.get('/api/customers/search', { schema: { querystring: SearchQuery, response: { 200: Type.Array(AccountSummaryView) } } },
    async (req) => searchAccounts(db, req.query.q));

  app.get('/api/accounts/:accountId/card', { schema: { params: AccountParams } }, async (req) => {
    const card = await accountCard(db, req.params.accountId, new Date(clock()));
    if (card === undefined) throw new AppError('CC_ERR_ACCOUNT_NOT_FOUND', 'No such account', { accountId: req.params.accountId });
    return card;
  });

  app.get('/api/calls/:callId/ivr-path', { schema: { params: CallParams, querystring: LanguageQuery, response: { 200: Type.Array(Type.String()) } } }, async (req) => {
    const call = await db.selectFrom('calls').select('id').where('id', '=', req.params.callId).executeTakeFirst();
    if (call === undefined) throw new AppError('CC_ERR_CALL_NOT_FOUND', 'No such call', { callId: req.params.callId });
    const events = await db.selectFrom('call_events').select(['type', 'data']).where('call_id', '=', call.id).orderBy('id').execute();
    return ivrPathInWords(events.map((e) => ({ type: e.type, data: JSON.parse(e.data) as Record<string, unknown> })), req.query.lang);
  });
};
