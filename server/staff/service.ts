import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { isoNow } from '../db/database.js';
import type { AgentRole, PhoneKind } from '../db/schema.js';
import { AppError } from '../errors.js';
import { changedValues, writeAudit } from '../audit/service.js';
import { hashPassword } from '../auth/passwords.js';
import { oneTimePassword } from '../auth/password-rules.js';
import { loginInvalid, loginTaken, queueUnknown, selfLockout, staffNotFound } from './errors.js';
import { LOGIN_PATTERN, type NewStaff, type PhoneChoice, type StaffPatch, type StaffView } from './schemas.js';

/** Names pjsip.conf uses: a person's phone endpoint of that name would collide (server/agents/phones.ts). */
const RESERVED_LOGINS = new Set(['trunk']);

/**
 * What a staff change must do outside the database, at once: Asterisk's phones and the queue
 * engine. The command line (`npm run admin`) has neither and passes NO_EFFECTS: a running
 * server picks the change up at its next ARI connection or restart, and every request's session
 * check reads the database anyway.
 */
export interface StaffEffects {
  /** push the person's phone again, or remove it when they are inactive (AgentPhones.sync) */
  phoneChanged(agentId: number): Promise<void>;
  /** the person was deactivated: take them out of the queue engine before it offers them a call */
  deactivated(agentId: number): Promise<void>;
  /** queue memberships or who is active changed: the queue engine re-reads them */
  membersChanged(): Promise<void>;
}

export const NO_EFFECTS: StaffEffects = {
  phoneChanged: async () => undefined, deactivated: async () => undefined, membersChanged: async () => undefined,
};

const phoneOf = (kind: PhoneKind, contact: string | null): PhoneChoice =>
  kind === 'webrtc' ? { kind: 'browser' } : { kind: 'sip', contact };

const phoneColumns = (p: PhoneChoice): { phone_kind: PhoneKind; sip_contact: string | null } =>
  p.kind === 'browser' ? { phone_kind: 'webrtc', sip_contact: null } : { phone_kind: 'sip', sip_contact: p.contact };

/** A new SIP password for a person's phone: random, never derived from anything. */
const sipSecret = () => randomBytes(18).toString('base64url');

/**
 * Staff as data (the `agents` table and `queue_members`): list, create, edit, deactivate, reset
 * a password. Every change is one transaction with its audit row (`staff.*`, subject
 * `staff:<id>`, the changed values before and after, never a password or a hash), then its
 * effects outside the database (StaffEffects).
 */
export class StaffService {
  constructor(private readonly deps: { db: Db; clock: () => number; effects: StaffEffects }) {}

  async list(): Promise<StaffView[]> {
    return this.#views();
  }

  async get(id: number): Promise<StaffView> {
    const [view] = await this.#views(id);
    if (view === undefined) throw staffNotFound(id);
    return view;
  }

  /**
   * Creates a staff member with a one-time password (they must choose their own at the first
   * login) and, for a desk SIP phone, returns its SIP password too; both are shown once. Rejects
   * with CC_ERR_STAFF_LOGIN_INVALID (not LOGIN_PATTERN), CC_ERR_STAFF_LOGIN_TAKEN (someone's, or
   * reserved), CC_ERR_STAFF_QUEUE_UNKNOWN and CC_ERR_VALIDATION (a queue listed twice); nothing is
   * written then. `actorId` null: the command line.
   */
  async create(actorId: number | null, input: NewStaff): Promise<{ staff: StaffView; oneTimePassword: string; sipPassword?: string }> {
    if (!new RegExp(LOGIN_PATTERN).test(input.login)) throw loginInvalid(input.login, LOGIN_PATTERN);
    if (RESERVED_LOGINS.has(input.login)) throw loginTaken(input.login, true);
    const queues = input.queues ?? [];
    await this.#checkQueues(queues);
    const phone = input.phone ?? { kind: 'browser' };
    const password = oneTimePassword();
    const sipPassword = sipSecret();
    const hash = await hashPassword(password);
    const at = isoNow(this.deps.clock);
    const id = await this.deps.db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('agents').select('id').where('username', '=', input.login).executeTakeFirst();
      if (taken !== undefined) throw loginTaken(input.login);
      const { id } = await trx.insertInto('agents').values({
        username: input.login, display_name: input.fullName.trim(), role: input.role, password_hash: hash, sip_password: sipPassword,
        created_at: at, must_change_password: 1, ...phoneColumns(phone),
      }).returning('id').executeTakeFirstOrThrow();
      if (queues.length > 0) await trx.insertInto('queue_members').values(queues.map((q) => ({ queue_id: q.queueId, agent_id: id, priority: q.priority }))).execute();
      const [view] = await this.#views(id, trx);
      await writeAudit(trx, { at, actorId, action: 'staff.create', subject: `staff:${id}`, before: null, after: auditable(view!) });
      return id;
    });
    await this.deps.effects.phoneChanged(id);
    if (queues.length > 0) await this.deps.effects.membersChanged();
    return { staff: await this.get(id), oneTimePassword: password, ...(phone.kind === 'sip' && { sipPassword }) };
  }

  /**
   * Changes any of the person's full name, role, queues, phone and active flag. Deactivating
   * ends all their sessions, removes their phone from Asterisk and takes them out of the queue
   * engine; reactivating or a new phone pushes it again. Rejects with CC_ERR_STAFF_NOT_FOUND,
   * CC_ERR_STAFF_SELF_LOCKOUT (an admin deactivating themself or giving up their own admin
   * role), CC_ERR_STAFF_QUEUE_UNKNOWN, CC_ERR_VALIDATION (a queue listed twice); nothing changes then.
   */
  async update(actorId: number, id: number, patch: StaffPatch): Promise<StaffView> {
    const before = await this.get(id);
    if (id === actorId && patch.active === false) throw selfLockout('deactivate');
    if (id === actorId && patch.role !== undefined && patch.role !== 'admin' && before.role === 'admin') throw selfLockout('role');
    if (patch.queues !== undefined) await this.#checkQueues(patch.queues);
    const at = isoNow(this.deps.clock);
    const after = await this.deps.db.transaction().execute(async (trx) => {
      const set = {
        ...(patch.fullName !== undefined && { display_name: patch.fullName.trim() }),
        ...(patch.role !== undefined && { role: patch.role as AgentRole }),
        ...(patch.active !== undefined && { active: patch.active ? 1 : 0 }),
        ...(patch.phone !== undefined && phoneColumns(patch.phone)),
      };
      if (Object.keys(set).length > 0) await trx.updateTable('agents').set(set).where('id', '=', id).execute();
      if (patch.queues !== undefined) {
        await trx.deleteFrom('queue_members').where('agent_id', '=', id).execute();
        if (patch.queues.length > 0) await trx.insertInto('queue_members').values(patch.queues.map((q) => ({ queue_id: q.queueId, agent_id: id, priority: q.priority }))).execute();
      }
      // A deactivated person's page stops at its next request (CC_ERR_AUTH_REQUIRED).
      if (patch.active === false) await trx.deleteFrom('sessions').where('agent_id', '=', id).execute();
      const [after] = await this.#views(id, trx);
      const [b, a] = changedValues(auditable(before), auditable(after!));
      if (Object.keys(a).length > 0) await writeAudit(trx, { at, actorId, action: 'staff.update', subject: `staff:${id}`, before: b, after: a });
      return after!;
    });
    const activeChanged = before.active !== after.active;
    if (activeChanged && !after.active) await this.deps.effects.deactivated(id);
    if (activeChanged || JSON.stringify(before.phone) !== JSON.stringify(after.phone)) await this.deps.effects.phoneChanged(id);
    if (activeChanged || patch.queues !== undefined) await this.deps.effects.membersChanged();
    return after;
  }

  /**
   * Gives the person a new one-time password (returned, shown once), ends their sessions, and
   * makes them choose their own at the next login. CC_ERR_STAFF_NOT_FOUND for an unknown id.
   */
  async resetPassword(actorId: number | null, id: number): Promise<{ oneTimePassword: string }> {
    const before = await this.get(id);
    const password = oneTimePassword();
    const hash = await hashPassword(password);
    const at = isoNow(this.deps.clock);
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('agents').set({ password_hash: hash, must_change_password: 1 }).where('id', '=', id).execute();
      await trx.deleteFrom('sessions').where('agent_id', '=', id).execute();
      await writeAudit(trx, {
        at, actorId, action: 'staff.reset_password', subject: `staff:${id}`,
        before: { mustChangePassword: before.mustChangePassword }, after: { mustChangePassword: true },
      });
    });
    return { oneTimePassword: password };
  }

  /** The id of the person with this login, or undefined. */
  async idOf(login: string): Promise<number | undefined> {
    return (await this.deps.db.selectFrom('agents').select('id').where('username', '=', login).executeTakeFirst())?.id;
  }

  async #checkQueues(queues: ReadonlyArray<{ queueId: string }>): Promise<void> {
    const known = new Set((await this.deps.db.selectFrom('queues').select('id').execute()).map((q) => q.id));
    for (const q of queues) if (!known.has(q.queueId)) throw queueUnknown(q.queueId);
    const seen = new Set<string>();
    queues.forEach((q, i) => {
      if (seen.has(q.queueId)) throw new AppError('CC_ERR_VALIDATION', `/queues/${i}/queueId: a queue is listed twice`, { errors: [{ path: `/queues/${i}/queueId`, message: 'listed twice' }] });
      seen.add(q.queueId);
    });
  }

  async #views(id?: number, db: Db = this.deps.db): Promise<StaffView[]> {
    let q = db.selectFrom('agents')
      .select(['id', 'username', 'display_name', 'role', 'active', 'language', 'phone_kind', 'sip_contact', 'must_change_password', 'created_at'])
      .orderBy('username');
    if (id !== undefined) q = q.where('id', '=', id);
    const rows = await q.execute();
    let m = db.selectFrom('queue_members').select(['agent_id', 'queue_id', 'priority']).orderBy('priority').orderBy('queue_id');
    if (id !== undefined) m = m.where('agent_id', '=', id);
    const members = await m.execute();
    return rows.map((r) => ({
      id: r.id, login: r.username, fullName: r.display_name, role: r.role, active: r.active === 1,
      language: r.language === 'en' ? 'en' : 'ru',
      phone: phoneOf(r.phone_kind, r.sip_contact),
      queues: members.filter((x) => x.agent_id === r.id).map((x) => ({ queueId: x.queue_id, priority: x.priority })),
      mustChangePassword: r.must_change_password === 1, createdAt: r.created_at,
    }));
  }
}

/** What the audit keeps of a staff member: everything the view shows but the id and creation time. */
function auditable(v: StaffView): Record<string, unknown> {
  return { login: v.login, fullName: v.fullName, role: v.role, active: v.active, phone: v.phone, queues: v.queues, mustChangePassword: v.mustChangePassword };
}
