import type { CallContext, CallEvent, CallState, Effect } from './call.js';
import { say, type Language, type Speech } from './speech.js';

/*
 * The post-call survey: when the agent hangs up first, the caller stays with us and rates the
 * service with one key, 1 to 5. A key pressed while the question plays counts (barge-in). A
 * wrong key or silence gets one retry with a short hint; a second failure ends the call with a
 * polite goodbye and nothing stored. A score is stored through a `request` (the server adds the
 * call's agent and appeal), then thanked, then the caller is hung up. Whatever happens here,
 * the call has already been served: it ends as completed.
 *
 * Transitions (the call machine, ivr/call.ts, hands every event of a `survey` call here but a
 * hang-up, a loss or a failed effect):
 *   asking    --dtmf 1..5-------------> storing    [stop_playback, request store_survey]
 *   listening --dtmf 1..5-------------> storing    [cancel_timer, request store_survey]
 *   asking | listening --dtmf other | timer_fired --> asking   [stop_playback | cancel_timer, play hint + question]   (the first failure)
 *   asking | listening --dtmf other | timer_fired --> closing  [stop_playback | cancel_timer, play goodbye]           (the second)
 *   asking    --playback_finished-----> listening  [start_timer SURVEY_TIMEOUT_MS]
 *   storing   --data------------------> closing    [play survey_thanks]   (thanked even if storing failed: the caller did their part)
 *   closing   --playback_finished-----> hanging_up (completed) [hang_up]
 *   storing | closing --dtmf----------> unchanged  []   (the answer is given)
 *   any       --a stale playback_finished | timer_fired | data --> unchanged []
 */

/** How long the caller has to press a key once the question has been said. */
export const SURVEY_TIMEOUT_MS = 8000;
/** Answers the question takes, and how many times it is asked. */
const SCORES = '12345';
const ATTEMPTS = 2;

export type SurveyPhase =
  /** the question (after a hint on the retry) is playing; a key barges in */
  | { kind: 'asking'; playbackId: string }
  /** the question was said; the caller has until the timer fires */
  | { kind: 'listening'; timerId: string }
  | { kind: 'storing'; requestId: string; score: number }
  /** thanks or goodbye, then the hang-up */
  | { kind: 'closing'; playbackId: string };

export interface Survey {
  lang: Language;
  /** the agent who had the call: the answer is about them */
  agentId: number;
  /** source of playback, timer and request ids, carried on from the call */
  seq: number;
  /** wrong keys and silences so far */
  failures: number;
  phase: SurveyPhase;
}

type SurveyState = Extract<CallState, { kind: 'survey' }>;
type Result = [CallState, Effect[]];

/** The agent hung up first: ask the caller to rate the call. */
export function startSurvey(ctx: CallContext, from: { lang: Language; seq: number; agentId: number }): Result {
  const note: Effect = { do: 'note', what: 'survey_started', data: { agentId: from.agentId } };
  return ask(ctx, { kind: 'survey', lang: from.lang, agentId: from.agentId, seq: from.seq, failures: 0 }, [note]);
}

/** One event of a survey in progress (hang-ups, losses and failed effects are the call machine's). */
export function surveyStep(ctx: CallContext, s: SurveyState, e: CallEvent): Result {
  const phase = s.phase;
  switch (e.type) {
    case 'dtmf':
      if (phase.kind === 'asking') return onKey(ctx, s, e.digit, { do: 'stop_playback', playbackId: phase.playbackId });
      if (phase.kind === 'listening') return onKey(ctx, s, e.digit, { do: 'cancel_timer', timerId: phase.timerId });
      return [s, []];
    case 'playback_finished':
      if (phase.kind === 'asking' && phase.playbackId === e.playbackId) {
        const [next, timerId] = nextId(ctx, s, 't');
        return [{ ...next, phase: { kind: 'listening', timerId } }, [{ do: 'start_timer', timerId, ms: SURVEY_TIMEOUT_MS }]];
      }
      if (phase.kind === 'closing' && phase.playbackId === e.playbackId) return [{ kind: 'hanging_up', outcome: 'completed' }, [{ do: 'hang_up' }]];
      return [s, []];
    case 'timer_fired':
      if (phase.kind !== 'listening' || phase.timerId !== e.timerId) return [s, []];
      return fail(ctx, s, 'no_input', []);
    case 'data': {
      if (phase.kind !== 'storing' || phase.requestId !== e.requestId) return [s, []];
      const note: Effect = e.response.kind === 'survey_stored'
        ? { do: 'note', what: 'survey_stored', data: { score: phase.score, answerId: e.response.answerId } }
        : { do: 'note', what: 'survey_not_stored', data: { score: phase.score, error: e.response.kind === 'failed' ? e.response.error : e.response.kind } };
      return close(ctx, s, say('survey_thanks'), [note]);
    }
    default:
      throw new Error(`survey does not take ${e.type}`);
  }
}

function onKey(ctx: CallContext, s: SurveyState, key: string, stop: Effect): Result {
  if (!SCORES.includes(key)) return fail(ctx, s, 'invalid_key', [stop], key);
  const score = Number(key);
  const [next, requestId] = nextId(ctx, s, 'r');
  return [{ ...next, phase: { kind: 'storing', requestId, score } }, [
    stop, { do: 'request', requestId, request: { kind: 'store_survey', agentId: s.agentId, score } },
  ]];
}

function fail(ctx: CallContext, s: SurveyState, reason: 'no_input' | 'invalid_key', fx: Effect[], key?: string): Result {
  const failures = s.failures + 1;
  fx.push({ do: 'note', what: 'survey_input_rejected', data: { reason, failures, ...(key !== undefined && { key }) } });
  if (failures >= ATTEMPTS) {
    fx.push({ do: 'note', what: 'survey_unanswered', data: { reason } });
    return close(ctx, { ...s, failures }, say('goodbye'), fx);
  }
  return ask(ctx, { ...s, failures }, fx, [say(reason === 'no_input' ? 'no_input' : 'survey_wrong_key')]);
}

function ask(ctx: CallContext, s: Omit<SurveyState, 'phase'>, fx: Effect[], hint: Speech[] = []): Result {
  const [next, playbackId] = nextId(ctx, s, 'p');
  fx.push({ do: 'play', playbackId, speech: [...hint, say('survey_question')], language: s.lang });
  return [{ ...next, phase: { kind: 'asking', playbackId } }, fx];
}

function close(ctx: CallContext, s: SurveyState, last: Speech, fx: Effect[]): Result {
  const [next, playbackId] = nextId(ctx, s, 'p');
  fx.push({ do: 'play', playbackId, speech: [last], language: s.lang });
  return [{ ...next, phase: { kind: 'closing', playbackId } }, fx];
}

function nextId<T extends { seq: number }>(ctx: CallContext, s: T, kind: string): [T, string] {
  const seq = s.seq + 1;
  return [{ ...s, seq }, `${ctx.callId}-${kind}${seq}`];
}
