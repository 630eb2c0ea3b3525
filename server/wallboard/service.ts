import type { AgentState } from '../agents/state.js';
import { kaliningradDay } from '../appeals/rules.js';
import type { Db } from '../db/database.js';
import type { QueueService } from '../queue/service.js';
import { queueNotFound } from '../queue/errors.js';
import type { QueueStats, StatsView, WallboardAgent } from './schemas.js';

/** What the wallboard reads of the live queue: nothing it could change. */
export type LiveQueue = Pick<QueueService, 'agentStates' | 'waitingSnapshot'>;

const KALININGRAD_OFFSET_MS = 2 * 3600_000;
const DAY_MS = 86_400_000;

/** The queue's call events that the day's figures count (server/queue/acd.ts emits them). */
const COUNTED = ['queue_entered', 'queue_answered', 'queue_abandoned', 'queue_timed_out'] as const;
type Counted = typeof COUNTED[number];

/** A queue event as server/queue/service.ts stores it in call_events.data. */
interface StoredQueueEvent { queueId?: string; data?: { waitedMs?: number; callback?: boolean } }

type Today = QueueStats['today'];
const emptyToday = (): Today => ({
  offered: 0, answered: 0, abandoned: 0, timedOut: 0, answeredWithinSl: 0, serviceLevelPct: null, avgAnswerWaitMs: null,
  callbacks: { requested: 0, completed: 0, failed: 0 },
});

/**
 * The supervisors' wallboard figures: per queue, who waits and which members are in what state
 * now (from the queue's live state), and today's counts in Kaliningrad (UTC+2 all year) from the
 * stored queue events and callback requests.
 */
export class WallboardService {
  constructor(private readonly deps: { db: Db; queue: LiveQueue; clock: () => number }) {}

  /** Every active queue's figures, or one queue's; throws CC_ERR_QUEUE_NOT_FOUND for a queue that is not active. */
  async stats(onlyQueue?: string): Promise<StatsView> {
    const { db, queue } = this.deps;
    const now = this.deps.clock();
    const day = kaliningradDay(new Date(now));
    const since = new Date(Date.parse(`${day}T00:00:00Z`) - KALININGRAD_OFFSET_MS).toISOString();
    const until = new Date(Date.parse(since) + DAY_MS).toISOString();

    let queuesQuery = db.selectFrom('queues').select(['id', 'title_ru', 'title_en', 'sl_threshold_s']).where('active', '=', 1);
    if (onlyQueue !== undefined) queuesQuery = queuesQuery.where('id', '=', onlyQueue);
    const queues = await queuesQuery.orderBy('priority', 'desc').orderBy('id').execute();
    if (onlyQueue !== undefined && queues.length === 0) throw queueNotFound(onlyQueue);

    const members = await db.selectFrom('queue_members').select(['queue_id', 'agent_id']).execute();
    const staff = await db.selectFrom('agents').select(['id', 'display_name']).where('active', '=', 1).execute();
    const names = new Map(staff.map((a) => [a.id, a.display_name]));
    const queuesOf = (agentId: number) => members.filter((m) => m.agent_id === agentId).map((m) => m.queue_id).sort();
    const agents: WallboardAgent[] = queue.agentStates()
      .map((a) => ({ agentId: a.agentId, username: a.username, displayName: names.get(a.agentId) ?? a.username, queues: queuesOf(a.agentId), state: a.state }))
      // Staff who serve no queue (most supervisors) only appear while logged in.
      .filter((a) => a.queues.length > 0 || a.state.kind !== 'offline');
    const stateOf = new Map(agents.map((a) => [a.agentId, a.state]));

    const today = await this.#today(since, until, new Map(queues.map((q) => [q.id, q.sl_threshold_s * 1000])));
    const waiting = queue.waitingSnapshot();
    return {
      day,
      at: new Date(now).toISOString(),
      queues: queues.map((q) => {
        const here = waiting.filter((w) => w.queueId === q.id);
        const onLine = here.filter((w) => !w.callback);
        const memberStates = members.filter((m) => m.queue_id === q.id).flatMap((m) => {
          const s = stateOf.get(m.agent_id);
          return s === undefined ? [] : [s];
        });
        const count = (kind: AgentState['kind']) => memberStates.filter((s) => s.kind === kind).length;
        return {
          queueId: q.id, titleRu: q.title_ru, titleEn: q.title_en, slThresholdS: q.sl_threshold_s,
          now: {
            waiting: onLine.length,
            longestWaitMs: onLine.reduce((max, w) => Math.max(max, now - w.joinedAt), 0),
            callbacksWaiting: here.length - onLine.length,
            agents: {
              loggedIn: memberStates.filter((s) => s.kind !== 'offline').length,
              available: count('available'), ringing: count('ringing'), onCall: count('on_call'), wrapUp: count('wrap_up'), paused: count('paused'),
            },
          },
          today: today.get(q.id) ?? emptyToday(),
        };
      }),
      agents,
    };
  }

  /**
   * Today's counts per queue. The queue and the wait are inside each event's JSON, and JSON
   * functions differ between SQLite and PostgreSQL, so the day's events are read (by the
   * (type, at) index) and counted here: a few thousand small rows on a busy day.
   */
  async #today(since: string, until: string, slMs: Map<string, number>): Promise<Map<string, Today>> {
    const { db } = this.deps;
    const byQueue = new Map<string, Today & { waitSumMs: number }>();
    const of = (queueId: string) => {
      let t = byQueue.get(queueId);
      if (t === undefined) byQueue.set(queueId, t = { ...emptyToday(), waitSumMs: 0 });
      return t;
    };

    const events = await db.selectFrom('call_events').select(['type', 'data'])
      .where('type', 'in', COUNTED).where('at', '>=', since).where('at', '<', until).execute();
    for (const e of events) {
      let stored: StoredQueueEvent;
      try {
        stored = JSON.parse(e.data) as StoredQueueEvent;
      } catch {
        continue;
      }
      // A callback's turn is no caller on the line: counted with the callbacks, not here (as in queue_log).
      if (stored.queueId === undefined || !slMs.has(stored.queueId) || stored.data?.callback === true) continue;
      const t = of(stored.queueId);
      const waitedMs = typeof stored.data?.waitedMs === 'number' ? stored.data.waitedMs : 0;
      switch (e.type as Counted) {
        case 'queue_entered': t.offered += 1; break;
        case 'queue_answered':
          t.answered += 1;
          t.waitSumMs += waitedMs;
          if (waitedMs <= slMs.get(stored.queueId)!) t.answeredWithinSl += 1;
          break;
        case 'queue_abandoned': t.abandoned += 1; break;
        case 'queue_timed_out': t.timedOut += 1; break;
      }
    }

    const callbacks = await db.selectFrom('callback_requests').select(['queue', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('requested_at', '>=', since).where('requested_at', '<', until).groupBy(['queue', 'status']).execute();
    for (const c of callbacks) {
      if (!slMs.has(c.queue)) continue;
      const t = of(c.queue).callbacks;
      const n = Number(c.n);
      t.requested += n;
      if (c.status === 'completed') t.completed += n;
      if (c.status === 'failed') t.failed += n;
    }

    const result = new Map<string, Today>();
    for (const [queueId, { waitSumMs, ...t }] of byQueue) {
      const finished = t.answered + t.abandoned + t.timedOut;
      result.set(queueId, {
        ...t,
        serviceLevelPct: finished === 0 ? null : Math.round((t.answeredWithinSl / finished) * 1000) / 10,
        avgAnswerWaitMs: t.answered === 0 ? null : Math.round(waitSumMs / t.answered),
      });
    }
    return result;
  }
}
