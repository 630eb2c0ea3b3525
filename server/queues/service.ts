import type { Db } from '../db/database.js';
import { isoNow } from '../db/database.js';
import { changedValues, writeAudit } from '../audit/service.js';
import type { Queue } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { QueueBody } from './schemas.js';

export function queueView(q: Queue) {
  return {
    id: q.id, titleRu: q.title_ru, titleEn: q.title_en, skill: q.skill as QueueBody['skill'], priority: q.priority,
    slThresholdS: q.sl_threshold_s, maxWaitS: q.max_wait_s, announceEveryS: q.announce_every_s, firstAnnounceS: q.first_announce_s, wrapUpS: q.wrap_up_s, ringS: q.ring_s,
    recording: q.recording === 1, active: q.active === 1, musicClass: q.music_class,
  };
}

/** Queues and their members as data; after a change the queue engine re-reads them. */
export class QueueAdmin {
  constructor(private readonly db: Db, private readonly changed: () => Promise<void>, private readonly clock: () => number = Date.now) {}

  list() {
    return this.db.selectFrom('queues').selectAll().orderBy('priority', 'desc').orderBy('id').execute().then((rows) => rows.map(queueView));
  }

  /** Creates or replaces a queue; audited as `queue.update` (subject `queue:<id>`) with the changed values. */
  async put(id: string, b: QueueBody, actorId: number | null = null) {
    const row = {
      title_ru: b.titleRu, title_en: b.titleEn, skill: b.skill, priority: b.priority, sl_threshold_s: b.slThresholdS, max_wait_s: b.maxWaitS,
      announce_every_s: b.announceEveryS, wrap_up_s: b.wrapUpS, ring_s: b.ringS, recording: b.recording ? 1 : 0, active: b.active ? 1 : 0,
      ...(b.firstAnnounceS !== undefined && { first_announce_s: b.firstAnnounceS }),
      ...(b.musicClass !== undefined && { music_class: b.musicClass }),
    };
    await this.db.transaction().execute(async (trx) => {
      const old = await trx.selectFrom('queues').selectAll().where('id', '=', id).executeTakeFirst();
      if (old === undefined) await trx.insertInto('queues').values({ id, ...row }).execute();
      else await trx.updateTable('queues').set(row).where('id', '=', id).execute();
      const now = queueView(await trx.selectFrom('queues').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
      const [before, after] = old === undefined ? [null, now] : changedValues(queueView(old), now);
      if (before === null || Object.keys(after).length > 0) {
        await writeAudit(trx, { at: isoNow(this.clock), actorId, action: 'queue.update', subject: `queue:${id}`, before, after });
      }
    });
    await this.changed();
    return queueView(await this.db.selectFrom('queues').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  }

  /** Replaces a queue's members; an unknown agent id is refused naming its position. Audited as `queue.members`. */
  async setMembers(id: string, members: Array<{ agentId: number; priority: number }>, actorId: number | null = null) {
    if (await this.db.selectFrom('queues').select('id').where('id', '=', id).executeTakeFirst() === undefined) {
      throw new AppError('CC_ERR_QUEUE_NOT_FOUND', 'No such queue', { queue: id });
    }
    const known = new Set((await this.db.selectFrom('agents').select('id').execute()).map((a) => a.id));
    members.forEach((m, i) => {
      if (!known.has(m.agentId)) throw new AppError('CC_ERR_VALIDATION', `/${i}/agentId: no such agent`, { field: `/${i}/agentId`, agentId: m.agentId });
    });
    if (new Set(members.map((m) => m.agentId)).size !== members.length) {
      throw new AppError('CC_ERR_VALIDATION', 'an agent is listed twice', { field: 'agentId' });
    }
    await this.db.transaction().execute(async (trx) => {
      const before = (await trx.selectFrom('queue_members').select(['agent_id', 'priority']).where('queue_id', '=', id).orderBy('agent_id').execute())
        .map((m) => ({ agentId: m.agent_id, priority: m.priority }));
      await trx.deleteFrom('queue_members').where('queue_id', '=', id).execute();
      if (members.length > 0) await trx.insertInto('queue_members').values(members.map((m) => ({ queue_id: id, agent_id: m.agentId, priority: m.priority }))).execute();
      const after = [...members].sort((a, b) => a.agentId - b.agentId);
      await writeAudit(trx, { at: isoNow(this.clock), actorId, action: 'queue.members', subject: `queue:${id}`, before: { members: before }, after: { members: after } });
    });
    await this.changed();
    return members;
  }
}
