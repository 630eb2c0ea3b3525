import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { AgentState } from '../agents/state.js';
import type { Db } from '../db/database.js';
import type { ContactCenterEvent, EventBus } from '../events/bus.js';
import { formatLine, memberName, QueueLogMapper, type QueueLogDirectory, type QueueLogEntry } from './format.js';

export interface QueueLogServiceDeps {
  db: Db;
  bus: EventBus;
  log: FastifyBaseLogger;
  /** the file lines are appended to; null: kept in the database only */
  file: string | null;
}

/**
 * Writes every queue and agent event on the bus as Asterisk queue_log lines (./format.ts): appended
 * to a file for tools that tail it, and stored in `queue_log` for GET /api/queue-log. Events are
 * handled one at a time in the order published. A failed write is logged and the next batch is
 * tried again: the calls themselves never wait for or fail because of the log.
 */
export class QueueLogService {
  readonly #directory: DbDirectory;
  readonly #mapper: QueueLogMapper;
  readonly #file: AppendOnlyFile | null;
  #chain: Promise<void> = Promise.resolve();
  #off: (() => void) | undefined;

  private constructor(private readonly deps: QueueLogServiceDeps) {
    this.#directory = new DbDirectory(deps.db);
    this.#mapper = new QueueLogMapper(this.#directory, (why, event) => deps.log.warn({ event }, `queue_log: ${why}; no line written`));
    this.#file = deps.file === null ? null : new AppendOnlyFile(deps.file, deps.log);
  }

  /** Loads agents and their current states (a restart keeps who is logged in and paused), then listens. */
  static async create(deps: QueueLogServiceDeps): Promise<QueueLogService> {
    const service = new QueueLogService(deps);
    await service.#directory.loadAgents();
    const states = await deps.db.selectFrom('agent_states').select(['agent_id', 'state']).execute();
    for (const s of states) service.#mapper.seedAgent(s.agent_id, JSON.parse(s.state) as AgentState);
    service.#off = deps.bus.subscribe((event) => {
      service.#chain = service.#chain.then(() => service.#handle(event));
    });
    return service;
  }

  /** Resolves when every event published so far is written. */
  settled(): Promise<void> {
    return this.#chain;
  }

  /** Stops listening, writes what is pending, flushes the file to disk and closes it. */
  async stop(): Promise<void> {
    this.#off?.();
    await this.#chain;
    await this.#file?.close();
  }

  /**
   * The lines with `from <= epoch < to`, in the order written, at most `limit`; `more` says
   * lines were left out. Waits for events already published, so a caller sees its own changes.
   */
  async read(range: { from: number; to: number | undefined; limit: number }): Promise<{ lines: string[]; more: boolean }> {
    await this.settled();
    let query = this.deps.db.selectFrom('queue_log').select(['epoch', 'call_id', 'queue', 'agent', 'event', 'data']).where('epoch', '>=', range.from);
    if (range.to !== undefined) query = query.where('epoch', '<', range.to);
    const rows = await query.orderBy('id').limit(range.limit + 1).execute();
    return {
      lines: rows.slice(0, range.limit).map((r) => formatLine({ epoch: r.epoch, callId: r.call_id, queue: r.queue, agent: r.agent, event: r.event as QueueLogEntry['event'], data: r.data })),
      more: rows.length > range.limit,
    };
  }

  async #handle(event: ContactCenterEvent): Promise<void> {
    const { db, log } = this.deps;
    let entries: QueueLogEntry[];
    try {
      await this.#directory.prepare(event);
      entries = this.#mapper.feed(event);
    } catch (err) {
      log.error({ err, event }, 'queue_log: event not mapped');
      return;
    }
    if (entries.length === 0) return;
    await db.insertInto('queue_log')
      .values(entries.map((e) => ({ epoch: e.epoch, call_id: e.callId, queue: e.queue, agent: e.agent, event: e.event, data: e.data })))
      .execute()
      .catch((err: unknown) => log.error({ err, entries }, 'queue_log: lines not stored in the database'));
    await this.#file?.append(entries.map((e) => `${formatLine(e)}\n`).join(''));
  }
}

/** Agents' member names and queues, and callers' numbers, loaded before each event is mapped. */
class DbDirectory implements QueueLogDirectory {
  readonly #usernames = new Map<number, string>();
  readonly #queues = new Map<number, string[]>();
  #caller: { callId: string; number: string } | undefined;

  constructor(private readonly db: Db) {}

  async loadAgents(): Promise<void> {
    // Inactive agents too: their old calls may still be finishing.
    for (const a of await this.db.selectFrom('agents').select(['id', 'username']).execute()) this.#usernames.set(a.id, a.username);
    for (const m of await this.db.selectFrom('queue_members').select(['agent_id', 'queue_id']).orderBy('queue_id').execute()) {
      this.#queues.set(m.agent_id, [...(this.#queues.get(m.agent_id) ?? []), m.queue_id]);
    }
  }

  async prepare(e: ContactCenterEvent): Promise<void> {
    if (e.type === 'agent_changed') {
      // Memberships are edited while the server runs; the mapper reads them when an agent logs in.
      const rows = await this.db.selectFrom('queue_members').select('queue_id').where('agent_id', '=', e.agentId).orderBy('queue_id').execute();
      this.#queues.set(e.agentId, rows.map((r) => r.queue_id));
      await this.#knowAgent(e.agentId);
      return;
    }
    if (e.agentId !== undefined) await this.#knowAgent(e.agentId);
    const to = e.data?.['to'];
    if (typeof to === 'object' && to !== null && 'agent' in to && typeof to.agent === 'number') await this.#knowAgent(to.agent);
    if (e.what === 'entered' && e.callId !== undefined) {
      const call = await this.db.selectFrom('calls').select('caller_number').where('id', '=', e.callId).executeTakeFirst();
      this.#caller = { callId: e.callId, number: call?.caller_number ?? '' };
    }
  }

  async #knowAgent(agentId: number): Promise<void> {
    if (this.#usernames.has(agentId)) return;
    const row = await this.db.selectFrom('agents').select('username').where('id', '=', agentId).executeTakeFirst();
    if (row !== undefined) this.#usernames.set(agentId, row.username);
  }

  memberName(agentId: number): string {
    const username = this.#usernames.get(agentId);
    // Only an agent deleted from the table has no name; its id still keeps its lines together.
    return username === undefined ? `Agent/${agentId}` : memberName(username);
  }

  queuesOf(agentId: number): string[] {
    return this.#queues.get(agentId) ?? [];
  }

  callerNumber(callId: string): string {
    return this.#caller?.callId === callId ? this.#caller.number : '';
  }
}

/**
 * The queue_log file, opened for appending on first use (its folder created). Each batch of lines
 * is one append. After a failed write the handle is dropped and the next batch opens it again,
 * so a full disk or a removed folder costs lines, never the service.
 */
class AppendOnlyFile {
  #handle: FileHandle | null = null;

  constructor(readonly path: string, private readonly log: FastifyBaseLogger) {}

  async append(text: string): Promise<void> {
    try {
      if (this.#handle === null) {
        await mkdir(dirname(this.path), { recursive: true });
        this.#handle = await open(this.path, 'a');
      }
      await this.#handle.appendFile(text);
    } catch (err) {
      this.log.error({ err, path: this.path }, 'queue_log: lines not written to the file (they are in the database)');
      await this.#handle?.close().catch(() => undefined);
      this.#handle = null;
    }
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    if (handle === null) return;
    await handle.sync().catch((err: unknown) => this.log.error({ err, path: this.path }, 'queue_log: file not flushed'));
    await handle.close().catch(() => undefined);
  }
}
