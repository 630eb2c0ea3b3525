import type { AccountSummary } from '../accounts/lookup.js';
import { identifyCaller } from '../accounts/lookup.js';
import { ivrPathInWords, type PathLanguage } from '../calls/ivr-path.js';
import type { Db } from '../db/database.js';

/** What the agent's page shows the moment a call is offered, before it is answered. */
export interface ScreenPop {
  type: 'offer';
  callId: string;
  /** 'callback': the agent is reserved to call this customer back (they asked to be called); the customer is dialled once the agent answers */
  kind: 'call' | 'callback';
  queue: string | null;
  caller: { number: string; e164: string | null };
  /** none: show a search box; one: open the account; several: let the agent choose */
  identification: 'none' | 'one' | 'several';
  accounts: AccountSummary[];
  waitedMs: number | null;
  /** what the caller did in the IVR, in the agent's language */
  ivrPath: string[];
  /** when the queue offered the call (ISO): the page measures offer → account card painted from it */
  offeredAt: string;
}

/** Builds the screen pop of an offered call; undefined when the call is not (or no longer) stored. */
export async function screenPop(db: Db, callId: string, queue: string | null, waitedMs: number | null, lang: PathLanguage, offeredAt: string): Promise<ScreenPop | undefined> {
  const call = await db.selectFrom('calls').select(['id', 'caller_number', 'caller_e164', 'direction']).where('id', '=', callId).executeTakeFirst();
  if (call === undefined) return undefined;
  const identity = await identifyCaller(db, call.caller_number);
  const events = await db.selectFrom('call_events').select(['type', 'data']).where('call_id', '=', callId).orderBy('id').execute();
  return {
    type: 'offer',
    callId,
    kind: call.direction === 'callback' ? 'callback' : 'call',
    queue,
    caller: { number: call.caller_number, e164: call.caller_e164 },
    identification: identity.identification,
    accounts: identity.accounts,
    waitedMs,
    ivrPath: ivrPathInWords(events.map((e) => ({ type: e.type, data: JSON.parse(e.data) as Record<string, unknown> })), lang),
    offeredAt,
  };
}
