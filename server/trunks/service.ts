import { open, stat } from 'node:fs/promises';
import type { Static } from '@sinclair/typebox';
import type { FastifyBaseLogger } from 'fastify';
import type { TrunkView as TrunkViewSchema, TrunksReply } from './schemas.js';
import type { Trunk } from './definition.js';
import { parseRefusal, parseRegistrations, type AsteriskObserver, type AsteriskRegistrationStatus } from './observer.js';

/** What admins see of the trunks (GET /api/trunks): the route's own schema types. */
export type TrunkView = Static<typeof TrunkViewSchema>;
export type RefusedCalls = Static<typeof TrunksReply>['refused'];
/** A trunk's outbound registration; `unknown` until Asterisk has been asked (or when it cannot be). */
export type RegistrationState = NonNullable<TrunkView['registration']>['state'];

export interface TrunkServiceDeps {
  trunks: readonly Trunk[];
  /** the local Asterisk; absent with an external one: states stay unknown, refusals uncounted */
  observer?: AsteriskObserver | undefined;
  log: FastifyBaseLogger;
  clock?: () => number;
  /** how often the registrations are asked for (default 5 s) and the log is read (default 1 s) */
  registrationPollMs?: number;
  logPollMs?: number;
}

const SEEN_CALL_IDS = 1000;
/** one log line per refusing address at most this often; the count goes on */
const REFUSAL_LOG_EVERY_MS = 60_000;
const LOG_CHUNK = 256 * 1024;

/**
 * Watches the carrier trunks: the state of each outbound registration (logged when it changes:
 * a wrong password shows as `rejected`) and the calls Asterisk refused because their address
 * matches no trunk (counted per address, logged). Nothing here touches calls: a trunk that fails
 * to register changes nothing for the others.
 */
export class TrunkService {
  readonly #deps: TrunkServiceDeps;
  readonly #clock: () => number;
  readonly #registrations = new Map<string, { state: RegistrationState; since: string | null }>();
  readonly #refused = new Map<string, { count: number; lastAt: string; lastFrom: string; loggedAt: number }>();
  readonly #seenCallIds = new Set<string>();
  #total = 0;
  #offset: number | null = null;
  #partial = '';
  #timers: NodeJS.Timeout[] = [];
  #reading: Promise<void> = Promise.resolve();
  #polling: Promise<void> = Promise.resolve();

  constructor(deps: TrunkServiceDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? Date.now;
    for (const t of deps.trunks) if (t.register !== null) this.#registrations.set(t.name, { state: 'unknown', since: null });
  }

  /** Starts reading Asterisk's log (from its current end) and asking for registration states. */
  async start(): Promise<void> {
    const { observer } = this.#deps;
    if (observer === undefined) return;
    this.#offset = await stat(observer.logFile).then((s) => s.size, () => 0);
    this.#timers.push(setInterval(() => { this.#reading = this.#reading.then(() => this.readLog()); }, this.#deps.logPollMs ?? 1000));
    if (this.#registrations.size > 0) {
      this.#polling = this.pollRegistrations();
      this.#timers.push(setInterval(() => { this.#polling = this.#polling.then(() => this.pollRegistrations()); }, this.#deps.registrationPollMs ?? 5000));
    }
    for (const timer of this.#timers) timer.unref();
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    await this.#reading;
    await this.#polling;
  }

  list(): { trunks: TrunkView[]; refused: RefusedCalls } {
    const trunks = this.#deps.trunks.map((t): TrunkView => ({
      name: t.name, host: t.host, port: t.port, transport: t.transport, match: [...t.match], callerIdFrom: t.callerIdFrom, outbound: t.outbound,
      dids: t.dids.map((d) => ({ number: d.number, entry: entryName(d.entry) })), defaultEntry: entryName(t.defaultEntry),
      registration: t.register === null ? null : { username: t.register.username, ...(this.#registrations.get(t.name) ?? { state: 'unknown', since: null }) },
    }));
    const byAddress = [...this.#refused.entries()].map(([address, r]) => ({ address, count: r.count, lastAt: r.lastAt, lastFrom: r.lastFrom }))
      .sort((a, b) => b.count - a.count || a.address.localeCompare(b.address));
    return { trunks, refused: { total: this.#total, watching: this.#deps.observer !== undefined, byAddress } };
  }

  /** Asks Asterisk for the registrations' states once; logs each change. */
  async pollRegistrations(): Promise<void> {
    const { observer, log } = this.#deps;
    if (observer === undefined) return;
    let states: Map<string, AsteriskRegistrationStatus>;
    try {
      states = parseRegistrations(await observer.cli('pjsip show registrations'));
    } catch (err) {
      log.warn({ err }, 'trunk registration states could not be read from Asterisk');
      return;
    }
    for (const [name, before] of this.#registrations) {
      const status = states.get(name);
      const state: RegistrationState = status === undefined ? 'unknown' : statusToState(status);
      if (state === before.state) continue;
      this.#registrations.set(name, { state, since: new Date(this.#clock()).toISOString() });
      const trunk = this.#deps.trunks.find((t) => t.name === name)!;
      const where = { trunk: name, server: `${trunk.host}:${trunk.port}`, username: trunk.register!.username, state, was: before.state };
      if (state === 'registered') log.info(where, 'trunk registered');
      else if (state === 'rejected') log.error(where, 'trunk registration rejected by the carrier (wrong username or password?)');
      else if (before.state !== 'unknown' || state !== 'unregistered') log.warn(where, `trunk registration ${state}`);
    }
  }

  /** Reads what Asterisk logged since the last read and counts the refused calls in it. */
  async readLog(): Promise<void> {
    const { observer } = this.#deps;
    if (observer === undefined || this.#offset === null) return;
    const size = await stat(observer.logFile).then((s) => s.size, () => 0);
    // Rotated or recreated (Asterisk restarted with a fresh file): start at its beginning.
    if (size < this.#offset) { this.#offset = 0; this.#partial = ''; }
    if (size === this.#offset) return;
    const file = await open(observer.logFile, 'r').catch(() => undefined);
    if (file === undefined) return;
    try {
      while (this.#offset < size) {
        const buffer = Buffer.alloc(Math.min(LOG_CHUNK, size - this.#offset));
        const { bytesRead } = await file.read(buffer, 0, buffer.length, this.#offset);
        if (bytesRead === 0) break;
        this.#offset += bytesRead;
        const lines = (this.#partial + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
        this.#partial = lines.pop() ?? '';
        for (const line of lines) this.#onLogLine(line);
      }
    } finally {
      await file.close();
    }
  }

  #onLogLine(line: string): void {
    const refusal = parseRefusal(line);
    // Only calls count: a scanner's OPTIONS or a stray REGISTER is not a refused call.
    if (refusal === null || refusal.method !== 'INVITE') return;
    // INVITE retransmissions are logged again; a call is counted once.
    if (this.#seenCallIds.has(refusal.callId)) return;
    this.#seenCallIds.add(refusal.callId);
    if (this.#seenCallIds.size > SEEN_CALL_IDS) this.#seenCallIds.delete(this.#seenCallIds.values().next().value!);
    this.#total++;
    const now = this.#clock();
    const entry = this.#refused.get(refusal.address) ?? { count: 0, lastAt: '', lastFrom: '', loggedAt: -Infinity };
    entry.count++;
    entry.lastAt = new Date(now).toISOString();
    entry.lastFrom = refusal.from;
    this.#refused.set(refusal.address, entry);
    if (now - entry.loggedAt >= REFUSAL_LOG_EVERY_MS) {
      entry.loggedAt = now;
      this.#deps.log.warn({ address: refusal.address, port: refusal.port, from: refusal.from, fromThisAddress: entry.count, total: this.#total },
        'call refused: its address matches no trunk');
    }
  }
}

function statusToState(s: AsteriskRegistrationStatus): RegistrationState {
  switch (s) {
    case 'Registered': return 'registered';
    case 'Unregistered': return 'unregistered';
    case 'Rejected': return 'rejected';
    case 'Stopping':
    case 'Stopped': return 'stopped';
  }
}

function entryName(e: Trunk['defaultEntry']): string {
  if (e.kind === 'queue') return `queue:${e.queue}`;
  return e.language === 'ru' ? 'ivr' : `ivr-${e.language}`;
}
