import type { CallContext, CallEvent, CallOutcome, CallState, Effect } from './call.js';
import { closedNow, enterAfterHours, queueStayStart } from './callback-dialog.js';
import { flowData, flowInput, flowPrompt, flowStart, type Expect, type FlowName, type FlowOutcome, type FlowStep, type Office } from './flows.js';
import { ALL_OFFICES_KEY, allOfficesSpeech, nearestOfficeSpeech, officeFor, officeSentence, OTHER_OFFICES_KEY, townKeys, townMenuSpeech } from './offices.js';
import { optionFor, type Menu, type MenuAction } from './menu.js';
import { say, type Language, type PromptId, type Speech } from './speech.js';

/*
 * The voice dialog of a call: where the caller is (a menu node, an announcement, a step of a
 * self-service flow), what is playing, what input is awaited. Every waiting point plays its
 * prompt and then waits `timeoutMs` for input. A key pressed during a prompt stops it and
 * counts (barge-in); keys pressed while the server looks something up are kept in order and
 * used by the next waiting point without replaying its prompt (type-ahead). `*` repeats,
 * `#` goes back (in number entry `#` ends the number, and goes back when nothing was typed).
 * Wrong or missing input: a short hint and the prompt again, up to the node's `retries`, then
 * the menu's `onFailure`.
 *
 * Reports for playbacks, timers and requests that are no longer current (stopped by a key,
 * replaced by a newer one) are expected races and change nothing.
 */

export type Place =
  | { at: 'node'; node: string }
  | { at: 'announce'; speech: Speech[]; then: Then; greeting?: true }
  /** the offices (ivr/offices.ts): loading them, then the caller's own town's office or the town menu */
  | { at: 'offices'; then: string; view?: OfficesView }
  | { at: 'flow'; flow: FlowName; step: FlowStep };

type Then = { node: string } | { hangup: true; outcome?: CallOutcome };

export type OfficesView =
  | { kind: 'nearest'; offices: Office[]; nearest: number }
  | { kind: 'towns'; offices: Office[] };

export type Phase =
  | { kind: 'playing'; playbackId: string }
  | { kind: 'listening'; timerId: string }
  | { kind: 'waiting'; requestId: string };

export interface Dialog {
  lang: Language;
  /** source of playback, timer and request ids */
  seq: number;
  place: Place;
  phase: Phase;
  /** digits typed so far at a number entry */
  input: string;
  /** wrong or missing inputs at this place */
  failures: number;
  /** keys typed while the server was busy, oldest first */
  typeahead: string;
  /** the caller got something done (heard information, a balance, sent a reading) */
  served: boolean;
}

type Ivr = Extract<CallState, { kind: 'ivr' }>;
type Result = [CallState, Effect[]];

const MAX_TYPEAHEAD = 32;

/** The greeting in `lang`, with any keys pressed before it could start used at once (barge-in). */
export function enterGreeting(ctx: CallContext, earlyKeys = '', lang: Language = 'ru'): Result {
  const menu = ctx.menus[lang];
  const d: Ivr = {
    kind: 'ivr', lang, seq: 0, place: { at: 'node', node: menu.start }, phase: { kind: 'waiting', requestId: '' },
    input: '', failures: 0, typeahead: '', served: false,
  };
  const fx: Effect[] = [{ do: 'note', what: 'ivr_started', data: { language: lang, identified: ctx.identified?.accountNumber ?? null } }];
  let result = enter(ctx, d, { at: 'announce', speech: menu.greeting.map((p) => say(p as PromptId)), then: { node: menu.start }, greeting: true }, fx);
  for (const key of earlyKeys) {
    const [state, effects] = result;
    if (state.kind !== 'ivr') break;
    const [next, more] = onKey(ctx, state, key);
    result = [next, [...effects, ...more]];
  }
  return result;
}

export function dialogStep(ctx: CallContext, d: Ivr, e: CallEvent): Result {
  switch (e.type) {
    case 'dtmf':
      return onKey(ctx, d, e.digit);
    case 'playback_finished':
      if (d.phase.kind !== 'playing' || d.phase.playbackId !== e.playbackId) return [d, []];
      return onPromptEnd(ctx, d);
    case 'timer_fired':
      if (d.phase.kind !== 'listening' || d.phase.timerId !== e.timerId) return [d, []];
      return onTimeout(ctx, d);
    case 'data':
      if (d.phase.kind !== 'waiting' || d.phase.requestId !== e.requestId) return [d, []];
      return onData(ctx, d, e.response);
    default:
      throw new Error(`dialog does not take ${e.type}`);
  }
}

function menuOf(ctx: CallContext, d: Dialog): Menu {
  return ctx.menus[d.lang];
}

function nextId(d: Ivr, kind: string, ctx: CallContext): [Ivr, string] {
  const seq = d.seq + 1;
  return [{ ...d, seq }, `${ctx.callId}-${kind}${seq}`];
}

/** What a place plays and expects; `announce` plays and moves on. */
function interaction(ctx: CallContext, d: Dialog, place: Place): { speech: Speech[]; expect: Expect | 'announce' } {
  switch (place.at) {
    case 'node': {
      const node = menuOf(ctx, d).nodes[place.node]!;
      return { speech: [say(node.prompt as PromptId)], expect: { kind: 'keys', keys: node.options.map((o) => o.key).join('') } };
    }
    case 'announce':
      return { speech: place.speech, expect: 'announce' };
    case 'offices':
      if (place.view === undefined) return { speech: [], expect: 'announce' };
      if (place.view.kind === 'nearest') {
        const { offices, nearest } = place.view;
        return { speech: nearestOfficeSpeech(offices[nearest]!, offices), expect: { kind: 'keys', keys: offices.length > 1 ? OTHER_OFFICES_KEY : '' } };
      }
      return { speech: townMenuSpeech(place.view.offices), expect: { kind: 'keys', keys: townKeys(place.view.offices) } };
    case 'flow':
      return flowPrompt(place.flow, place.step);
  }
}

function timeoutOf(ctx: CallContext, d: Dialog): number {
  const menu = menuOf(ctx, d);
  return (d.place.at === 'node' ? menu.nodes[d.place.node]?.timeoutMs : undefined) ?? menu.defaults.timeoutMs;
}

function retriesOf(ctx: CallContext, d: Dialog): number {
  const menu = menuOf(ctx, d);
  return (d.place.at === 'node' ? menu.nodes[d.place.node]?.retries : undefined) ?? menu.defaults.retries;
}

/**
 * Moves the caller to `place`: plays its prompt (after `prefix`, e.g. a hint), or, when keys
 * were typed ahead, uses them at once.
 */
function enter(ctx: CallContext, from: Ivr, place: Place, fx: Effect[], prefix: Speech[] = [], keepFailures = false): Result {
  let d: Ivr = { ...from, place, input: '', failures: keepFailures ? from.failures : 0 };
  if (place.at === 'node' && !(from.place.at === 'node' && from.place.node === place.node)) {
    fx.push({ do: 'note', what: 'menu', data: { node: place.node } });
  }
  if (place.at === 'offices' && place.view === undefined) {
    let requestId: string;
    [d, requestId] = nextId(d, 'r', ctx);
    fx.push({ do: 'request', requestId, request: { kind: 'offices' } });
    return [{ ...d, phase: { kind: 'waiting', requestId } }, fx];
  }
  const { speech, expect } = interaction(ctx, d, place);
  if (expect !== 'announce' && d.typeahead !== '' && prefix.length === 0) {
    const keys = d.typeahead;
    let timerId: string;
    [d, timerId] = nextId({ ...d, typeahead: '' }, 't', ctx);
    fx.push({ do: 'start_timer', timerId, ms: timeoutOf(ctx, d) });
    let state: CallState = { ...d, phase: { kind: 'listening', timerId } };
    for (const key of keys) {
      if (state.kind !== 'ivr') break; // the keys led to a hang-up: the rest mean nothing
      const [next, more] = onKey(ctx, state, key);
      state = next;
      fx.push(...more);
    }
    return [state, fx];
  }
  let playbackId: string;
  [d, playbackId] = nextId(d, 'p', ctx);
  fx.push({ do: 'play', playbackId, speech: [...prefix, ...speech], language: d.lang });
  return [{ ...d, phase: { kind: 'playing', playbackId } }, fx];
}

function onPromptEnd(ctx: CallContext, d: Ivr): Result {
  const place = d.place;
  if (place.at === 'announce') return afterAnnounce(ctx, d, place.then, []);
  const [next, timerId] = nextId(d, 't', ctx);
  return [{ ...next, phase: { kind: 'listening', timerId } }, [{ do: 'start_timer', timerId, ms: timeoutOf(ctx, d) }]];
}

function afterAnnounce(ctx: CallContext, d: Ivr, then: Then, fx: Effect[]): Result {
  if ('hangup' in then) return [{ kind: 'hanging_up', outcome: then.outcome ?? 'completed' }, [...fx, { do: 'hang_up' }]];
  return enter(ctx, d, { at: 'node', node: then.node }, fx);
}

function onTimeout(ctx: CallContext, d: Ivr): Result {
  // Silence after the nearest office: the caller has what they asked for.
  if (d.place.at === 'offices' && d.place.view?.kind === 'nearest') return enter(ctx, d, { at: 'node', node: d.place.then }, []);
  const { expect } = interaction(ctx, d, d.place);
  // A number without its closing # is taken as complete once the caller stops typing.
  if (expect !== 'announce' && expect.kind === 'digits' && d.input !== '') return submitNumber(ctx, { ...d, phase: { kind: 'waiting', requestId: '' } }, []);
  return fail(ctx, d, 'no_input', []);
}

function onKey(ctx: CallContext, d: Ivr, key: string): Result {
  const fx: Effect[] = [];
  if (d.phase.kind === 'waiting') {
    if (d.typeahead.length >= MAX_TYPEAHEAD) return [d, [{ do: 'note', what: 'key_dropped', data: { key } }]];
    return [{ ...d, typeahead: d.typeahead + key }, []];
  }
  if (d.phase.kind === 'playing') fx.push({ do: 'stop_playback', playbackId: d.phase.playbackId });
  if (d.phase.kind === 'listening') fx.push({ do: 'cancel_timer', timerId: d.phase.timerId });
  const place = d.place;
  if (place.at === 'announce') {
    const option = place.greeting === true ? optionFor(menuOf(ctx, d).greetingOptions, key) : undefined;
    if (option !== undefined) return act(ctx, d, option, fx);
    // Barge-in on an announcement: skip it and use the key where it leads.
    return afterAnnounce(ctx, { ...d, typeahead: key + d.typeahead }, place.then, fx);
  }
  const { expect } = interaction(ctx, d, place);
  if (expect === 'announce') return [d, fx];
  if (expect.kind === 'keys') return onMenuKey(ctx, d, key, expect.keys, fx);
  return onDigit(ctx, d, key, fx);
}

function onMenuKey(ctx: CallContext, d: Ivr, key: string, keys: string, fx: Effect[]): Result {
  const place = d.place;
  if (key === '*') return enter(ctx, d, place, fx, [], true);
  if (key === '#') return back(ctx, d, fx);
  if (!keys.includes(key)) return fail(ctx, d, 'invalid_key', fx);
  if (place.at === 'node') {
    fx.push({ do: 'note', what: 'key', data: { node: place.node, key } });
    return act(ctx, d, optionFor(menuOf(ctx, d).nodes[place.node]!.options, key)!, fx);
  }
  if (place.at === 'flow') return applyFlow(ctx, d, place.flow, flowInput(place.flow, place.step, key), fx);
  if (place.at === 'offices' && place.view !== undefined) return onOfficesKey(ctx, d, place.then, place.view, key, fx);
  return fail(ctx, d, 'invalid_key', fx);
}

function onOfficesKey(ctx: CallContext, d: Ivr, then: string, view: OfficesView, key: string, fx: Effect[]): Result {
  const after = { node: then };
  if (view.kind === 'nearest') {
    fx.push({ do: 'note', what: 'offices_others', data: {} });
    return enter(ctx, d, { at: 'announce', speech: allOfficesSpeech(view.offices, view.offices[view.nearest]), then: after }, fx);
  }
  if (key === ALL_OFFICES_KEY) {
    fx.push({ do: 'note', what: 'offices_all', data: {} });
    return enter(ctx, d, { at: 'announce', speech: allOfficesSpeech(view.offices), then: after }, fx);
  }
  const office = view.offices[Number(key) - 1]!;
  fx.push({ do: 'note', what: 'offices_town', data: { town: office.city } });
  return enter(ctx, d, { at: 'announce', speech: [officeSentence(office)], then: after }, fx);
}

function onDigit(ctx: CallContext, d: Ivr, key: string, fx: Effect[]): Result {
  if (key === '*') return enter(ctx, d, d.place, fx, [], true);
  if (key === '#') return d.input === '' ? back(ctx, d, fx) : submitNumber(ctx, d, fx);
  if (!/^[0-9]$/.test(key)) return fail(ctx, d, 'invalid_key', fx);
  const input = d.input + key;
  if (input.length > menuOf(ctx, d).defaults.maxDigits) return fail(ctx, d, 'too_many_digits', fx);
  const [next, timerId] = nextId({ ...d, input }, 't', ctx);
  fx.push({ do: 'start_timer', timerId, ms: timeoutOf(ctx, d) });
  return [{ ...next, phase: { kind: 'listening', timerId } }, fx];
}

function submitNumber(ctx: CallContext, d: Ivr, fx: Effect[]): Result {
  const place = d.place;
  if (place.at !== 'flow') return fail(ctx, d, 'invalid_key', fx);
  fx.push({ do: 'note', what: 'number_entered', data: { flow: place.flow, step: place.step.step, value: d.input } });
  return applyFlow(ctx, d, place.flow, flowInput(place.flow, place.step, d.input), fx);
}

function back(ctx: CallContext, d: Ivr, fx: Effect[]): Result {
  const menu = menuOf(ctx, d);
  const target = d.place.at === 'node' ? (menu.nodes[d.place.node]!.back ?? menu.start) : d.place.at === 'offices' ? d.place.then : menu.start;
  fx.push({ do: 'note', what: 'back', data: { to: target } });
  return enter(ctx, d, { at: 'node', node: target }, fx);
}

function fail(ctx: CallContext, d: Ivr, reason: 'no_input' | 'invalid_key' | 'too_many_digits', fx: Effect[], hint: Speech[] = [say(reason)]): Result {
  const failures = d.failures + 1;
  fx.push({ do: 'note', what: 'input_rejected', data: { reason, place: placeName(d.place), failures } });
  if (failures >= retriesOf(ctx, d)) {
    fx.push({ do: 'note', what: 'too_many_failures', data: { place: placeName(d.place) } });
    return act(ctx, { ...d, failures: 0 }, menuOf(ctx, d).onFailure, fx, 'misunderstood');
  }
  return enter(ctx, { ...d, failures, typeahead: '' }, d.place, fx, hint, true);
}

/** Carries out a menu action; `reason` 'misunderstood': the caller is sent on because the menu did not understand them, and is told so. */
function act(ctx: CallContext, d: Ivr, a: MenuAction, fx: Effect[], reason?: 'misunderstood'): Result {
  const here = d.place.at === 'node' ? d.place.node : menuOf(ctx, d).start;
  if ('goto' in a) return enter(ctx, d, { at: 'node', node: a.goto }, fx);
  if ('say' in a) return enter(ctx, { ...d, served: true }, { at: 'announce', speech: [say(a.say as PromptId)], then: { node: a.then ?? here } }, fx);
  if ('offices' in a) return enter(ctx, { ...d, served: true }, { at: 'offices', then: a.then ?? here }, fx);
  if ('flow' in a) {
    fx.push({ do: 'note', what: 'flow_started', data: { flow: a.flow } });
    return enter(ctx, d, { at: 'flow', flow: a.flow, step: flowStart(a.flow, ctx.identified) }, fx);
  }
  if ('operator' in a) {
    fx.push({ do: 'note', what: 'operator_requested', data: { queue: a.operator, from: placeName(d.place) } });
    // Out of working hours nobody would answer: the caller hears when we open, and may book a callback.
    const closed = closedNow(ctx);
    if (closed !== null) return enterAfterHours(ctx, d, a.operator, closed.opensAt, fx);
    // Nothing is said yet: the queue's answer (queue_joined) tells whether anybody is on shift.
    fx.push({ do: 'enqueue', queue: a.operator });
    const stay = queueStayStart(ctx, d.seq);
    return [{
      kind: 'queued', lang: d.lang, queue: a.operator, seq: stay.seq, playbackId: null, joined: false,
      ...(reason && { reason }), ...(stay.callback && { callback: stay.callback }),
    }, [...fx, ...stay.fx]];
  }
  if ('language' in a) {
    fx.push({ do: 'note', what: 'language', data: { language: a.language } });
    const lang = a.language;
    return enter(ctx, { ...d, lang }, { at: 'node', node: ctx.menus[lang].start }, fx);
  }
  return enter(ctx, d, { at: 'announce', speech: [say('goodbye')], then: { hangup: true } }, fx);
}

function applyFlow(ctx: CallContext, d: Ivr, flow: FlowName, o: FlowOutcome, fx: Effect[]): Result {
  switch (o.to) {
    case 'step':
      if (o.note !== undefined) fx.push({ do: 'note', what: o.note.what, data: o.note.data });
      return enter(ctx, d, { at: 'flow', flow, step: o.step }, fx, o.prefix ?? []);
    case 'request': {
      const [next, requestId] = nextId({ ...d, place: { at: 'flow', flow, step: o.step }, input: '' }, 'r', ctx);
      fx.push({ do: 'request', requestId, request: o.request });
      return [{ ...next, phase: { kind: 'waiting', requestId } }, fx];
    }
    case 'retry':
      return fail(ctx, { ...d, place: { at: 'flow', flow, step: o.step } }, 'invalid_key', fx, o.prefix);
    case 'done':
      fx.push({ do: 'note', what: o.note.what, data: o.note.data });
      return enter(ctx, { ...d, served: d.served || o.served }, { at: 'announce', speech: o.speech, then: { node: menuOf(ctx, d).start } }, fx);
    case 'end':
      for (const n of o.notes) fx.push({ do: 'note', what: n.what, data: n.data });
      return enter(ctx, d, { at: 'announce', speech: o.speech, then: { hangup: true, outcome: o.outcome } }, fx);
  }
}

function onData(ctx: CallContext, d: Ivr, r: Parameters<typeof flowData>[2]): Result {
  const place = d.place;
  if (place.at === 'offices') {
    const then = { node: place.then };
    if (r.kind !== 'offices' || r.offices.length === 0) return enter(ctx, d, { at: 'announce', speech: [say('service_unavailable')], then }, []);
    const nearest = officeFor(r.offices, ctx.town);
    if (nearest !== undefined) return enter(ctx, d, { ...place, view: { kind: 'nearest', offices: r.offices, nearest: r.offices.indexOf(nearest) } }, [{ do: 'note', what: 'offices_nearest', data: { town: nearest.city } }]);
    if (r.offices.length === 1) return enter(ctx, d, { at: 'announce', speech: allOfficesSpeech(r.offices), then }, []);
    return enter(ctx, d, { ...place, view: { kind: 'towns', offices: r.offices } }, []);
  }
  if (place.at !== 'flow') throw new Error(`data at ${place.at}`);
  return applyFlow(ctx, d, place.flow, flowData(place.flow, place.step, r), []);
}

function placeName(p: Place): string {
  switch (p.at) {
    case 'node': return p.node;
    case 'flow': return `${p.flow}.${p.step.step}`;
    default: return p.at;
  }
}

/** Leaves the queue (or any non-menu state) for a last announcement, then hangs up. */
export function announceThenHangUp(ctx: CallContext, from: { lang: Language; seq: number }, speech: Speech[], outcome: CallOutcome = 'completed'): Result {
  const d: Ivr = {
    kind: 'ivr', lang: from.lang, seq: from.seq, place: { at: 'node', node: ctx.menus[from.lang].start },
    phase: { kind: 'waiting', requestId: '' }, input: '', failures: 0, typeahead: '', served: false,
  };
  return enter(ctx, d, { at: 'announce', speech, then: { hangup: true, outcome } }, []);
}

/**
 * Straight into an operator queue on arrival (a number whose entry is the queue), as if the
 * caller had chosen the operator in the menu: out of working hours they hear when we open.
 */
export function enterQueue(ctx: CallContext, queue: string, lang: Language = 'ru'): Result {
  const d: Ivr = {
    kind: 'ivr', lang, seq: 0, place: { at: 'node', node: ctx.menus[lang].start },
    phase: { kind: 'waiting', requestId: '' }, input: '', failures: 0, typeahead: '', served: false,
  };
  return act(ctx, d, { operator: queue }, [{ do: 'note', what: 'queue_entry', data: { queue } }]);
}

/** Back to the start of the menu from outside it (an agent sent the caller back to the IVR). */
export function enterMenu(ctx: CallContext, from: { lang: Language; seq: number }): Result {
  const d: Ivr = {
    kind: 'ivr', lang: from.lang, seq: from.seq, place: { at: 'announce', speech: [], then: { hangup: true } },
    phase: { kind: 'waiting', requestId: '' }, input: '', failures: 0, typeahead: '', served: false,
  };
  return enter(ctx, d, { at: 'node', node: ctx.menus[from.lang].start }, []);
}
