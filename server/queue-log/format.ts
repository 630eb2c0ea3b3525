import type { AgentState } from '../agents/state.js';
import type { ContactCenterEvent } from '../events/bus.js';

/*
 * Our queue and agent events as lines of Asterisk's queue_log, so that report tools written for
 * app_queue read our data. A line is `epoch|callid|queue|agent|EVENT|data…`, with the fields
 * app_queue (Asterisk 13–22) writes for each event; durations are whole seconds computed as
 * app_queue does (difference of epoch seconds), except RINGNOANSWER's ring time in ms.
 *
 *   queue_event entered            ENTERQUEUE      |url|callerid|origposition      agent NONE
 *   queue_event offered            (no line: remembered for the ring time)
 *   queue_event missed             RINGNOANSWER    |ringtime-ms                    every miss, as app_queue does for busy too
 *   queue_event answered           CONNECT         |holdtime|bridged-uniqueid|ringtime   the uniqueid is empty: the agent's leg is not on the bus
 *   queue_event completed by caller  COMPLETECALLER |holdtime|calltime|origposition
 *   queue_event completed by agent   COMPLETEAGENT  |holdtime|calltime|origposition
 *   queue_event transferred        TRANSFER        |extension|context|holdtime|calltime|origposition
 *   queue_event abandoned          ABANDON         |position|origposition|waittime agent NONE
 *   queue_event timed_out          EXITWITHTIMEOUT |position|origposition|waittime agent NONE
 *   queue_event callback           EXITWITHKEY     |key|position|origposition|waittime   agent NONE
 *   queue_event auto_paused        (no line: the agent_changed to paused writes the PAUSE)
 *   agent_changed offline → in     ADDMEMBER|      one line per queue the agent is a member of, callid MANAGER
 *   agent_changed in → offline     REMOVEMEMBER|   one per queue ADDMEMBER was written for, callid MANAGER
 *   agent_changed → paused         PAUSE|reason    per queue, callid NONE; again when only the reason changes
 *   agent_changed paused → in      UNPAUSE|reason  the reason of the pause that ended
 * An agent in no queue gets its member lines with queue NONE. Positions count callers in the
 * same queue in order of arrival, 1 first, as app_queue's do.
 */

export type QueueLogEventName =
  | 'ENTERQUEUE' | 'RINGNOANSWER' | 'CONNECT' | 'COMPLETECALLER' | 'COMPLETEAGENT' | 'ABANDON' | 'EXITWITHTIMEOUT'
  | 'EXITWITHKEY' | 'TRANSFER' | 'ADDMEMBER' | 'REMOVEMEMBER' | 'PAUSE' | 'UNPAUSE';

/** One queue_log line as fields; `data` is everything after the event name, already joined by '|'. */
export interface QueueLogEntry {
  /** seconds since the epoch */
  epoch: number;
  callId: string;
  queue: string;
  agent: string;
  event: QueueLogEventName;
  data: string;
}

/** The line as app_queue writes it to its file, without the newline. */
export function formatLine(e: QueueLogEntry): string {
  return `${e.epoch}|${e.callId}|${e.queue}|${e.agent}|${e.event}|${e.data}`;
}

/** The member name report tools group an agent's lines by: the interface app_queue would ring. */
export function memberName(username: string): string {
  return `PJSIP/${username}`;
}

/** What the mapper looks up outside the events; answered synchronously (the service loads it first). */
export interface QueueLogDirectory {
  /** e.g. 'PJSIP/operator1' */
  memberName(agentId: number): string;
  /** the queues the agent is a member of now */
  queuesOf(agentId: number): string[];
  /** the caller's number as received, '' when unknown */
  callerNumber(callId: string): string;
}

interface QueuedCall {
  queue: string;
  enteredAt: number;
  origPosition: number;
  offer: { agentId: number; at: number } | null;
  connected: { agentId: number; at: number } | null;
}

type Member = { kind: 'offline' } | { kind: 'in'; queues: string[]; pause: string | null };

type QueueEvent = Extract<ContactCenterEvent, { type: 'queue_event' }>;
type AgentChanged = Extract<ContactCenterEvent, { type: 'agent_changed' }>;

const OFFLINE: Member = { kind: 'offline' };

/**
 * Turns bus events into queue_log entries, remembering per call what the lines need (entry time,
 * original position, offer and connect times, agent) and per agent its queues and pause. Pure:
 * no I/O, times come from the events. Events it cannot place (a call it never saw enter, a
 * `what` it does not know) produce no line and are reported to `onSkip`.
 */
export class QueueLogMapper {
  readonly #calls = new Map<string, QueuedCall>();
  /** per queue, the waiting calls in order of arrival */
  readonly #waiting = new Map<string, string[]>();
  readonly #members = new Map<number, Member>();

  constructor(
    private readonly directory: QueueLogDirectory,
    private readonly onSkip: (why: string, event: ContactCenterEvent) => void = () => undefined,
  ) {}

  /** An agent's state before the first event is fed (after a restart), so a later change writes the right lines. */
  seedAgent(agentId: number, state: AgentState): void {
    this.#members.set(agentId, state.kind === 'offline' ? OFFLINE : {
      kind: 'in', queues: this.#memberQueues(agentId), pause: state.kind === 'paused' ? state.reason : null,
    });
  }

  feed(event: ContactCenterEvent): QueueLogEntry[] {
    return event.type === 'agent_changed' ? this.#agentChanged(event) : this.#queueEvent(event);
  }

  #queueEvent(e: QueueEvent): QueueLogEntry[] {
    const at = Date.parse(e.at);
    if (e.what === 'auto_paused') return [];
    // A callback's virtual entry is nobody on the line: app_queue has no such caller, and the
    // caller's own stay already ended with EXITWITHKEY. Its attempts are counted by /api/callbacks.
    if (e.data?.['callback'] === true) return [];
    if (e.callId === undefined) return this.#skip('a queue event without a call', e);
    if (e.what === 'entered') return this.#entered(e, e.callId, at);
    const call = this.#calls.get(e.callId);
    if (call === undefined) return this.#skip('a call that was not seen entering a queue', e);
    const callId = e.callId;
    switch (e.what) {
      case 'offered':
        if (e.agentId === undefined) return this.#skip('an offer without an agent', e);
        call.offer = { agentId: e.agentId, at };
        return [];
      case 'missed': {
        if (e.agentId === undefined) return this.#skip('a miss without an agent', e);
        const ringMs = call.offer?.agentId === e.agentId ? at - call.offer.at : 0;
        call.offer = null;
        return [this.#line(at, callId, call.queue, this.directory.memberName(e.agentId), 'RINGNOANSWER', [Math.max(0, ringMs)])];
      }
      case 'answered': {
        if (e.agentId === undefined) return this.#skip('an answer without an agent', e);
        const ringMs = call.offer?.agentId === e.agentId ? at - call.offer.at : 0;
        this.#leaveQueue(callId, call);
        call.offer = null;
        call.connected = { agentId: e.agentId, at };
        return [this.#line(at, callId, call.queue, this.directory.memberName(e.agentId), 'CONNECT',
          [seconds(at) - seconds(call.enteredAt), '', Math.max(0, Math.floor(ringMs / 1000))])];
      }
      case 'abandoned':
      case 'timed_out':
      case 'callback': {
        if (call.connected !== null) return this.#skip('a connected call cannot leave the queue waiting', e);
        const position = this.#leaveQueue(callId, call);
        this.#calls.delete(callId);
        const waited = [position, call.origPosition, seconds(at) - seconds(call.enteredAt)];
        if (e.what === 'abandoned') return [this.#line(at, callId, call.queue, 'NONE', 'ABANDON', waited)];
        if (e.what === 'timed_out') return [this.#line(at, callId, call.queue, 'NONE', 'EXITWITHTIMEOUT', waited)];
        return [this.#line(at, callId, call.queue, 'NONE', 'EXITWITHKEY', [text(e.data?.['key']), ...waited])];
      }
      case 'completed': {
        const by = e.data?.['by'];
        if (call.connected === null || (by !== 'caller' && by !== 'agent')) return this.#skip('a completion without a connected call or who ended it', e);
        this.#calls.delete(callId);
        return [this.#line(at, callId, call.queue, this.directory.memberName(call.connected.agentId), by === 'caller' ? 'COMPLETECALLER' : 'COMPLETEAGENT',
          [seconds(call.connected.at) - seconds(call.enteredAt), seconds(at) - seconds(call.connected.at), call.origPosition])];
      }
      case 'transferred': {
        // A connected call's hold and talk times; a waiting caller moved elsewhere has talked 0 s.
        const connectedAt = call.connected?.at ?? at;
        if (call.connected === null) this.#leaveQueue(callId, call);
        this.#calls.delete(callId);
        const agent = call.connected === null ? 'NONE' : this.directory.memberName(call.connected.agentId);
        return [this.#line(at, callId, call.queue, agent, 'TRANSFER',
          [...this.#transferTarget(e.data?.['to']), seconds(connectedAt) - seconds(call.enteredAt), seconds(at) - seconds(connectedAt), call.origPosition])];
      }
      default:
        return this.#skip('no queue_log event for this', e);
    }
  }

  #entered(e: QueueEvent, callId: string, at: number): QueueLogEntry[] {
    if (e.queueId === undefined) return this.#skip('a caller entering no queue', e);
    const earlier = this.#calls.get(callId);
    // A transfer back into a queue closes the earlier entry with its own event; without one the earlier entry is dropped.
    if (earlier !== undefined) {
      this.onSkip('a call entered a queue again without leaving the last one', e);
      this.#leaveQueue(callId, earlier);
    }
    const waiting = this.#waiting.get(e.queueId) ?? [];
    waiting.push(callId);
    this.#waiting.set(e.queueId, waiting);
    const call: QueuedCall = { queue: e.queueId, enteredAt: at, origPosition: waiting.length, offer: null, connected: null };
    this.#calls.set(callId, call);
    return [this.#line(at, callId, call.queue, 'NONE', 'ENTERQUEUE', ['', this.directory.callerNumber(callId), call.origPosition])];
  }

  #agentChanged(e: AgentChanged): QueueLogEntry[] {
    const at = Date.parse(e.at);
    const before = this.#members.get(e.agentId) ?? OFFLINE;
    const name = this.directory.memberName(e.agentId);
    if (e.state.kind === 'offline') {
      this.#members.set(e.agentId, OFFLINE);
      if (before.kind === 'offline') return [];
      return before.queues.map((q) => this.#line(at, 'MANAGER', q, name, 'REMOVEMEMBER', ['']));
    }
    const lines: QueueLogEntry[] = [];
    let member = before;
    if (member.kind === 'offline') {
      member = { kind: 'in', queues: this.#memberQueues(e.agentId), pause: null };
      lines.push(...member.queues.map((q) => this.#line(at, 'MANAGER', q, name, 'ADDMEMBER', [''])));
    }
    const pause = e.state.kind === 'paused' ? e.state.reason : null;
    if (pause !== null && pause !== member.pause) {
      lines.push(...member.queues.map((q) => this.#line(at, 'NONE', q, name, 'PAUSE', [pause])));
    } else if (pause === null && member.pause !== null) {
      const ended = member.pause;
      lines.push(...member.queues.map((q) => this.#line(at, 'NONE', q, name, 'UNPAUSE', [ended])));
    }
    this.#members.set(e.agentId, { ...member, pause });
    return lines;
  }

  #memberQueues(agentId: number): string[] {
    const queues = this.directory.queuesOf(agentId);
    return queues.length > 0 ? [...queues] : ['NONE'];
  }

  /** Removes a waiting call from its queue's line; returns the position it had, 1 first (0 when not waiting). */
  #leaveQueue(callId: string, call: QueuedCall): number {
    const waiting = this.#waiting.get(call.queue) ?? [];
    const index = waiting.indexOf(callId);
    if (index >= 0) waiting.splice(index, 1);
    return index + 1;
  }

  /** TRANSFER's extension and context: a queue, an agent or the voice menu. */
  #transferTarget(to: unknown): [string, string] {
    if (to === 'ivr') return ['s', 'ivr'];
    if (typeof to === 'object' && to !== null) {
      if ('queue' in to) return [text(to.queue), 'queue'];
      if ('agent' in to && typeof to.agent === 'number') return [this.directory.memberName(to.agent), 'agent'];
    }
    return ['', ''];
  }

  #line(at: number, callId: string, queue: string, agent: string, event: QueueLogEventName, data: Array<string | number>): QueueLogEntry {
    return { epoch: seconds(at), callId: field(callId), queue: field(queue), agent: field(agent), event, data: data.map((d) => field(String(d))).join('|') };
  }

  #skip(why: string, e: ContactCenterEvent): [] {
    this.onSkip(why, e);
    return [];
  }
}

/** Whole seconds since the epoch, as app_queue's time(NULL). */
const seconds = (ms: number) => Math.floor(ms / 1000);

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** A '|' or a line break inside a field would shift every later field for the tools: replaced. */
const field = (s: string) => s.replace(/[|\r\n]/g, '_');
