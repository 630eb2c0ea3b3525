import type { Db } from '../db/database.js';

/**
 * Stores a caller's post-call survey score (ivr/survey.ts) with the call, the agent who had it
 * and the latest appeal registered for the call, if any (an appeal registered later, during the
 * agent's wrap-up, is linked by AppealService.register). One answer per call: a second one for
 * the same call (a replayed request) is not stored and the first one's id is returned. The
 * answer and its call event 'survey_answered' are written in one transaction. Rejects a score
 * outside 1..5 (the table's check) and an unknown call (its foreign key).
 */
export async function storeSurveyAnswer(db: Db, callId: string, agentId: number, score: number, at: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const appeal = await trx.selectFrom('appeals').select('id').where('call_id', '=', callId)
      .orderBy('registered_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    const inserted = await trx.insertInto('survey_answers')
      .values({ call_id: callId, agent_id: agentId, appeal_id: appeal?.id ?? null, score, answered_at: at })
      .onConflict((oc) => oc.column('call_id').doNothing())
      .returning('id').executeTakeFirst();
    if (inserted === undefined) {
      const first = await trx.selectFrom('survey_answers').select('id').where('call_id', '=', callId).executeTakeFirstOrThrow();
      return first.id;
    }
    await trx.insertInto('call_events').values({
      call_id: callId, at, type: 'survey_answered', data: JSON.stringify({ answerId: inserted.id, score, agentId, appealId: appeal?.id ?? null }),
    }).execute();
    return inserted.id;
  });
}
