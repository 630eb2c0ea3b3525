import t from 'tap';
import type { CallContext, Effect } from '../../ivr/call.js';
import type { DataRequest } from '../../ivr/flows.js';
import { SURVEY_TIMEOUT_MS } from '../../ivr/survey.js';
import { ivrPathInWords } from '../../server/calls/ivr-path.js';
import { IvrDriver } from '../support/ivr-driver.js';

const AGENT = 5;
const hungUp = (by: 'remote' | 'us') => ({ type: 'hung_up', by, cause: { code: 16, text: '' } }) as const;

/**
 * A caller whose agent has just hung up, on a fake clock: the machine's timers run when the
 * test moves time on, unless a key or a hang-up cancelled them first.
 */
class SurveyCaller {
  readonly ivr: IvrDriver;
  now = 0;
  readonly #timers = new Map<string, number>(); // timer id → when it fires

  constructor(ctx: Partial<CallContext> = {}) {
    this.ivr = new IvrDriver(ctx).start();
    this.ivr.press('0');
    this.ivr.send({ type: 'agent_connected', agentId: AGENT });
  }

  send(e: Parameters<IvrDriver['send']>[0]): Effect[] {
    const fx = this.ivr.send(e);
    for (const f of fx) {
      if (f.do === 'start_timer') this.#timers.set(f.timerId, this.now + f.ms);
      if (f.do === 'cancel_timer') this.#timers.delete(f.timerId);
    }
    return fx;
  }

  agentLeaves(): Effect[] {
    return this.send({ type: 'agent_left' });
  }

  get survey() {
    const s = this.ivr.state;
    if (s.kind !== 'survey') throw new Error(`not in the survey but ${s.kind}`);
    return s;
  }

  /** The prompt now playing has been said to its end. */
  promptEnds(): Effect[] {
    const phase = this.survey.phase;
    if (phase.kind !== 'asking' && phase.kind !== 'closing') throw new Error(`nothing playing (${phase.kind})`);
    return this.send({ type: 'playback_finished', playbackId: phase.playbackId });
  }

  press(keys: string): Effect[] {
    return [...keys].flatMap((digit) => this.send({ type: 'dtmf', digit }));
  }

  /** Moves the clock on, firing every timer that falls due. */
  advance(ms: number): Effect[] {
    this.now += ms;
    const due = [...this.#timers].filter(([, at]) => at <= this.now).sort((a, b) => a[1] - b[1]);
    const fx: Effect[] = [];
    for (const [timerId] of due) {
      this.#timers.delete(timerId);
      if (this.ivr.state.kind !== 'ended') fx.push(...this.send({ type: 'timer_fired', timerId }));
    }
    return fx;
  }

  /** The store request now pending, answered as the server would. */
  stored(answerId = 1): Effect[] {
    const phase = this.survey.phase;
    if (phase.kind !== 'storing') throw new Error(`nothing being stored (${phase.kind})`);
    return this.send({ type: 'data', requestId: phase.requestId, response: { kind: 'survey_stored', answerId } });
  }

  storeRequests(): DataRequest[] {
    return this.ivr.requests().filter((r) => r.kind === 'store_survey');
  }

  /** The timers still running. */
  get timers(): string[] {
    return [...this.#timers.keys()];
  }

  outcome(): string | undefined {
    return this.ivr.state.kind === 'ended' ? this.ivr.state.outcome : undefined;
  }
}

t.test('when the agent hangs up first, the caller hears the survey question', async (t) => {
  const c = new SurveyCaller();
  const fx = c.agentLeaves();
  t.notOk(fx.some((e) => e.do === 'hang_up'), 'the caller is not hung up');
  t.same(c.ivr.heard(), ['survey_question']);
  t.same(c.ivr.notes('survey_started'), [{ agentId: AGENT }]);
  t.match(c.survey, { lang: 'ru', agentId: AGENT, failures: 0, phase: { kind: 'asking' } });
});

t.test('a caller who presses 4 during the question stops it, 4 is stored for the agent, thanks are said, then we hang up', async (t) => {
  const c = new SurveyCaller();
  c.agentLeaves();
  const question = c.ivr.lastPlay().playbackId;
  const fx = c.press('4');
  t.same(fx[0], { do: 'stop_playback', playbackId: question }, 'barge-in: the question stops');
  t.same(c.storeRequests(), [{ kind: 'store_survey', agentId: AGENT, score: 4 }]);
  t.same(c.press('5'), [], 'a second key changes nothing once the answer is given');
  c.stored(17);
  t.same(c.ivr.heard(), ['survey_thanks']);
  t.same(c.ivr.notes('survey_stored'), [{ score: 4, answerId: 17 }]);
  t.same(c.press('3'), [], 'keys during the thanks change nothing');
  t.same(c.promptEnds(), [{ do: 'hang_up' }]);
  c.send(hungUp('us'));
  t.equal(c.outcome(), 'completed');
  t.equal(c.storeRequests().length, 1, 'stored once');
});

t.test('a key after the question has been said counts too, and cancels the wait', async (t) => {
  const c = new SurveyCaller();
  c.agentLeaves();
  const started = c.promptEnds();
  const [timerId] = c.timers;
  t.same(started, [{ do: 'start_timer', timerId, ms: SURVEY_TIMEOUT_MS }]);
  c.advance(SURVEY_TIMEOUT_MS - 1);
  const fx = c.press('2');
  t.same(fx[0], { do: 'cancel_timer', timerId });
  t.same(c.timers, [], 'no timer left running');
  t.same(c.storeRequests(), [{ kind: 'store_survey', agentId: AGENT, score: 2 }]);
});

t.test('a wrong key, then 5: a short hint with the question again, and 5 is stored', async (t) => {
  const c = new SurveyCaller();
  c.agentLeaves();
  c.press('7');
  t.same(c.ivr.heard(), ['survey_wrong_key', 'survey_question']);
  t.same(c.ivr.notes('survey_input_rejected'), [{ reason: 'invalid_key', failures: 1, key: '7' }]);
  c.promptEnds();
  c.press('5');
  t.same(c.storeRequests(), [{ kind: 'store_survey', agentId: AGENT, score: 5 }]);
  c.stored();
  t.same(c.ivr.heard(), ['survey_thanks']);
});

t.test('two wrong keys store nothing: a polite goodbye and the caller is hung up, the call completed', async (t) => {
  const c = new SurveyCaller();
  c.agentLeaves();
  c.press('0');
  c.press('#');
  t.same(c.ivr.heard(), ['goodbye']);
  t.same(c.ivr.notes('survey_unanswered'), [{ reason: 'invalid_key' }]);
  t.same(c.storeRequests(), []);
  t.same(c.press('4'), [], 'a late key during the goodbye is not taken');
  t.same(c.promptEnds(), [{ do: 'hang_up' }]);
  c.send(hungUp('us'));
  t.equal(c.outcome(), 'completed');
  t.same(c.storeRequests(), [], 'nothing stored');
});

t.test('silence: nothing happens before the wait is over; then the question again, and a key then counts', async (t) => {
  const c = new SurveyCaller();
  c.agentLeaves();
  c.promptEnds();
  t.same(c.advance(SURVEY_TIMEOUT_MS - 1), [], 'still waiting');
  c.advance(1);
  t.same(c.ivr.heard(), ['no_input', 'survey_question']);
  t.same(c.ivr.notes('survey_input_rejected'), [{ reason: 'no_input', failures: 1 }]);
  c.press('3');
  t.same(c.storeRequests(), [{ kind: 'store_survey', agentId: AGENT, score: 3 }]);
});

t.test('silence twice: a goodbye after the second wait, nothing stored', async (t) => {
  const c = new SurveyCaller();
  c.agentLeaves();
  c.promptEnds();
  c.advance(SURVEY_TIMEOUT_MS);
  c.promptEnds();
  c.advance(SURVEY_TIMEOUT_MS);
  t.same(c.ivr.heard(), ['goodbye']);
  t.same(c.ivr.notes('survey_unanswered'), [{ reason: 'no_input' }]);
  t.same(c.promptEnds(), [{ do: 'hang_up' }]);
  t.same(c.storeRequests(), []);
});

t.test('a wrong key then silence is the second failure as well', async (t) => {
  const c = new SurveyCaller();
  c.agentLeaves();
  c.press('9');
  c.promptEnds();
  c.advance(SURVEY_TIMEOUT_MS);
  t.same(c.ivr.heard(), ['goodbye']);
  t.same(c.storeRequests(), []);
});

t.test('a caller who hangs up during the survey: nothing stored, no timer left, the call completed', async (t) => {
  const c = new SurveyCaller();
  c.agentLeaves();
  c.promptEnds();
  const fx = c.send(hungUp('remote'));
  t.match(fx, [{ do: 'cancel_timer' }], 'the wait is cancelled');
  t.same(c.timers, []);
  t.equal(c.outcome(), 'completed');
  t.same(c.storeRequests(), []);
});

t.test('a caller who hangs up right after the key: the request is out, the call still completed', async (t) => {
  const c = new SurveyCaller();
  c.agentLeaves();
  c.press('1');
  c.send(hungUp('remote'));
  t.equal(c.outcome(), 'completed');
  t.same(c.storeRequests(), [{ kind: 'store_survey', agentId: AGENT, score: 1 }], 'the server stores what was pressed');
});

t.test('a caller who hangs up first gets no survey: the call just completes', async (t) => {
  const c = new SurveyCaller();
  const fx = c.send(hungUp('remote'));
  t.same(fx, []);
  t.equal(c.outcome(), 'completed');
  t.notOk(c.ivr.effects.some((e) => e.do === 'play' && e.speech.some((s) => s.prompt.startsWith('survey_'))), 'no survey prompt');
});

t.test('with the survey off, the caller is hung up when the agent leaves', async (t) => {
  const c = new SurveyCaller({ survey: false });
  t.same(c.agentLeaves(), [{ do: 'hang_up' }]);
  c.send(hungUp('us'));
  t.equal(c.outcome(), 'completed');
});

t.test('a failed store is still thanked, and noted', async (t) => {
  const c = new SurveyCaller();
  c.agentLeaves();
  c.press('4');
  const phase = c.survey.phase;
  c.send({ type: 'data', requestId: phase.kind === 'storing' ? phase.requestId : '', response: { kind: 'failed', error: 'disk full' } });
  t.same(c.ivr.heard(), ['survey_thanks']);
  t.same(c.ivr.notes('survey_not_stored'), [{ score: 4, error: 'disk full' }]);
});

t.test('a failed playback ends the survey with a hang-up, the call still completed', async (t) => {
  const c = new SurveyCaller();
  c.agentLeaves();
  t.same(c.send({ type: 'effect_failed', effect: 'play', error: 'channel gone' }), [{ do: 'hang_up' }]);
  t.match(c.ivr.state, { kind: 'hanging_up', outcome: 'completed' });
});

t.test('reports that are no longer current change nothing; an unexpected event throws', async (t) => {
  const c = new SurveyCaller();
  c.agentLeaves();
  const question = c.ivr.lastPlay().playbackId;
  c.press('8'); // the question again, under a new playback id
  t.same(c.send({ type: 'playback_finished', playbackId: question }), [], 'the stopped question\'s end');
  t.same(c.send({ type: 'timer_fired', timerId: 'c1-t0' }), [], 'an unknown timer');
  t.same(c.send({ type: 'data', requestId: 'c1-r0', response: { kind: 'survey_stored', answerId: 1 } }), [], 'an unknown request');
  t.throws(() => c.send({ type: 'queue_status', position: 1, estimateMs: null, loggedIn: 1 }), { code: 'CC_ERR_CALL_INVALID_TRANSITION' });
});

t.test('the survey in English', async (t) => {
  const c = new SurveyCaller();
  c.ivr.state = { kind: 'with_agent', lang: 'en', queue: 'general', agentId: AGENT, seq: 10 };
  c.agentLeaves();
  t.equal(c.ivr.lastPlay().language, 'en');
});

t.test('the IVR path tells the agent the score, or that the caller did not answer', async (t) => {
  t.same(ivrPathInWords([{ type: 'survey_answered', data: { score: 4 } }], 'ru'), ['Оценил обслуживание: 4 из 5']);
  t.same(ivrPathInWords([{ type: 'survey_unanswered', data: { reason: 'no_input' } }], 'en'), ['Did not answer the service survey']);
});
