import type { AgentState } from '../agents/state.js';
import type { Db } from '../db/database.js';
import type { AcdConfig } from './acd.js';

/** Misses in a row before an agent is paused with reason 'missed'. */
export const AUTO_PAUSE_AFTER_MISSES = 3;
/** The talk time assumed before a queue has handled any call. */
export const DEFAULT_HANDLE_MS = 180_000;

/** The queues and their members as the ACD needs them, from the database. */
export async function loadAcdConfig(db: Db): Promise<AcdConfig> {
  const queues = await db.selectFrom('queues').selectAll().where('active', '=', 1).execute();
  // A deactivated person keeps their memberships (reactivated, they serve the same queues) but is offered nothing.
  const members = await db.selectFrom('queue_members').innerJoin('agents', 'agents.id', 'queue_members.agent_id')
    .select(['queue_members.agent_id', 'queue_members.queue_id', 'queue_members.priority']).where('agents.active', '=', 1).execute();
  return {
    queues: queues.map((q) => ({
      id: q.id, priority: q.priority, ringMs: q.ring_s * 1000, maxWaitMs: q.max_wait_s * 1000, wrapUpMs: q.wrap_up_s * 1000,
      announceEveryMs: q.announce_every_s * 1000, firstAnnounceMs: q.first_announce_s * 1000, slThresholdMs: q.sl_threshold_s * 1000,
    })),
    members: members.map((m) => ({ agentId: m.agent_id, queueId: m.queue_id, priority: m.priority })),
    autoPauseAfterMisses: AUTO_PAUSE_AFTER_MISSES,
    defaultHandleMs: DEFAULT_HANDLE_MS,
  };
}

/** Each active queue's music-on-hold class (queues.music_class), by queue id. */
export async function loadMusicClasses(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('queues').select(['id', 'music_class']).where('active', '=', 1).execute();
  return new Map(rows.map((q) => [q.id, q.music_class]));
}

export async function loadAgentStates(db: Db): Promise<Array<[number, AgentState]>> {
  const rows = await db.selectFrom('agent_states').select(['agent_id', 'state']).execute();
  return rows.map((r) => [r.agent_id, JSON.parse(r.state) as AgentState]);
}
