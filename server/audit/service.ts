import type { Kysely } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';

/** The audited changes of issue 11 (staff, offices, queues, passwords); older rows carry others ('appeal_registered', recording access). */
export type AuditAction =
  | 'staff.create' | 'staff.update' | 'staff.reset_password'
  | 'office.create' | 'office.update'
  | 'queue.update' | 'queue.members'
  | 'password.change';

export interface AuditEntry {
  /** who did it; null for the command line (`npm run admin`) */
  actorId: number | null;
  action: AuditAction;
  /** what it was done to: 'staff:12', 'office:3', 'queue:general' */
  subject: string;
  /** the changed values before and after; callers leave passwords and hashes out */
  before: object | null;
  after: object | null;
  at: string;
}

/** Writes one audit row, in the caller's transaction when it passes one. */
export async function writeAudit(db: Kysely<Database>, e: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values({
    at: e.at, actor_agent_id: e.actorId, action: e.action, subject: e.subject,
    before: e.before === null ? null : JSON.stringify(e.before), after: e.after === null ? null : JSON.stringify(e.after),
  }).execute();
}

/** The values that differ between two flat views, as `[before, after]` holding only those keys. */
export function changedValues<T extends Record<string, unknown>>(before: T, after: T): [Partial<T>, Partial<T>] {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as Array<keyof T>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return [b, a];
}

export interface AuditView {
  id: number;
  at: string;
  actor: { id: number; login: string } | null;
  action: string;
  subject: string;
  before: object | null;
  after: object | null;
}

const parse = (text: string | null): object | null => {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' ? value as object | null : { value };
  } catch {
    return null;
  }
};

/** Reads the audit log for admins. */
export class AuditService {
  constructor(private readonly db: Db) {}

  /**
   * The newest `limit` rows first, of one subject when given. Rows written before the
   * before/after columns (or by actions without values) show their details as `after`.
   */
  async list(q: { limit: number; subject?: string | undefined }): Promise<AuditView[]> {
    let query = this.db.selectFrom('audit_log').leftJoin('agents', 'agents.id', 'audit_log.actor_agent_id')
      .select(['audit_log.id', 'audit_log.at', 'audit_log.actor_agent_id', 'agents.username', 'audit_log.action', 'audit_log.subject',
        'audit_log.details', 'audit_log.before', 'audit_log.after'])
      .orderBy('audit_log.id', 'desc').limit(q.limit);
    if (q.subject !== undefined) query = query.where('audit_log.subject', '=', q.subject);
    const rows = await query.execute();
    return rows.map((r) => ({
      id: r.id, at: r.at,
      actor: r.actor_agent_id === null ? null : { id: r.actor_agent_id, login: r.username ?? '' },
      action: r.action, subject: r.subject,
      before: parse(r.before),
      after: r.before === null && r.after === null && r.details !== '{}' ? parse(r.details) : parse(r.after),
    }));
  }
}
