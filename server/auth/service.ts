import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { isoNow } from '../db/database.js';
import type { AgentRole } from '../db/schema.js';
import { writeAudit } from '../audit/service.js';
import { authInvalid, authRequired, authThrottled, currentPasswordWrong, passwordWeak } from './errors.js';
import { weakPasswordReason } from './password-rules.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { SessionAgent } from './schemas.js';
import { LoginThrottle } from './throttle.js';

/** A failed login more than this many times within the window is answered 429 until the window slides. */
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 5 * 60_000;
/** last_seen_at is written at most this often per session: not one fsync'd write per API request. */
const TOUCH_EVERY_MS = 60_000;
const TOKEN_BYTES = 32;
/** base64url of TOKEN_BYTES bytes */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A session's key in the table: the token's SHA-256, so the database never holds a usable token. */
export function sessionId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionServiceDeps {
  db: Db;
  clock: () => number;
  /** A session ends after this many hours without a request. */
  idleHours: number;
}

/** Staff logins: checks passwords, creates, resolves (sliding the idle time) and ends sessions. */
export class SessionService {
  readonly #throttle: LoginThrottle;
  /**
   * A hash of a password no one knows, checked for unknown usernames so they cost the same
   * scrypt as known ones. Made at construction, in the background: made on first use, it would
   * make the first unknown username cost two.
   */
  readonly #dummyHash: Promise<string>;

  constructor(private readonly deps: SessionServiceDeps) {
    this.#throttle = new LoginThrottle({ limit: MAX_FAILURES, windowMs: FAILURE_WINDOW_MS, clock: deps.clock });
    this.#dummyHash = hashPassword(randomBytes(16).toString('hex'));
  }

  /**
   * Checks `username` and `password` and opens a session; returns its token (for the cookie only)
   * and the agent. Rejects with CC_ERR_AUTH_INVALID for an unknown username, a wrong password and
   * an inactive account alike, each after one full scrypt so the time taken tells nothing; with
   * CC_ERR_AUTH_THROTTLED (no password check) once the username had MAX_FAILURES attempts within
   * FAILURE_WINDOW_MS.
   */
  async login(username: string, password: string, userAgent: string): Promise<{ token: string; agent: SessionAgent }> {
    const key = username.normalize('NFC').toLowerCase();
    const waitMs = this.#throttle.begin(key);
    if (waitMs > 0) throw authThrottled(Math.ceil(waitMs / 1000));
    const row = await this.deps.db.selectFrom('agents')
      .select(['id', 'username', 'display_name', 'role', 'language', 'active', 'password_hash', 'must_change_password'])
      .where('username', '=', username).executeTakeFirst();
    const matches = await verifyPassword(password, row?.password_hash ?? await this.#dummyHash);
    if (row === undefined || !matches || row.active !== 1) throw authInvalid();
    this.#throttle.succeeded(key);

    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const now = this.deps.clock();
    // Housekeeping: sessions are few (one or two per staff member), so this stays cheap.
    await this.deps.db.deleteFrom('sessions').where('expires_at', '<=', isoNow(() => now)).execute();
    await this.deps.db.insertInto('sessions').values({
      id: sessionId(token), agent_id: row.id, created_at: isoNow(() => now), last_seen_at: isoNow(() => now),
      expires_at: this.#expiry(now), user_agent: userAgent.slice(0, 256),
    }).execute();
    return { token, agent: view(row) };
  }

  /**
   * The agent whose live session `token` opens, sliding its idle expiry; undefined for a
   * malformed or unknown token, an expired session (deleted on the way) or a deactivated agent.
   */
  async resolve(token: string): Promise<SessionAgent | undefined> {
    if (!TOKEN.test(token)) return undefined;
    const id = sessionId(token);
    const row = await this.deps.db.selectFrom('sessions')
      .innerJoin('agents', 'agents.id', 'sessions.agent_id')
      .select(['agents.id', 'agents.username', 'agents.display_name', 'agents.role', 'agents.language', 'agents.active',
        'agents.must_change_password', 'sessions.expires_at', 'sessions.last_seen_at'])
      .where('sessions.id', '=', id).executeTakeFirst();
    if (row === undefined) return undefined;
    const now = this.deps.clock();
    if (row.expires_at <= isoNow(() => now)) {
      await this.deps.db.deleteFrom('sessions').where('id', '=', id).execute();
      return undefined;
    }
    if (row.active !== 1) return undefined;
    if (now - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
      await this.deps.db.updateTable('sessions').set({ last_seen_at: isoNow(() => now), expires_at: this.#expiry(now) })
        .where('id', '=', id).execute();
    }
    return view(row);
  }

  /** Ends the session `token` opens; nothing happens for one that is unknown or already ended. */
  async logout(token: string): Promise<void> {
    if (!TOKEN.test(token)) return;
    await this.deps.db.deleteFrom('sessions').where('id', '=', sessionId(token)).execute();
  }

  /** The SIP account of an active agent (for their own softphone); CC_ERR_AUTH_REQUIRED when deactivated. */
  async sipAccount(agentId: number): Promise<{ username: string; password: string }> {
    const row = await this.deps.db.selectFrom('agents').select(['username', 'sip_password'])
      .where('id', '=', agentId).where('active', '=', 1).executeTakeFirst();
    if (row === undefined) throw authRequired();
    return { username: row.username, password: row.sip_password };
  }

  /** Sets the language of the agent's page (and their screen pops); returns the agent as the session shows them. */
  async setLanguage(agentId: number, language: 'ru' | 'en'): Promise<SessionAgent> {
    await this.deps.db.updateTable('agents').set({ language }).where('id', '=', agentId).execute();
    return this.#agent(agentId);
  }

  /**
   * A staff member chooses their own password, proving it is them with the current one. Rejects
   * with CC_ERR_AUTH_INVALID (status 403) for a wrong current password (counted like a failed login: after
   * MAX_FAILURES within the window, CC_ERR_AUTH_THROTTLED without checking), and with
   * CC_ERR_AUTH_PASSWORD_WEAK (`details.reason`, see password-rules.ts) for a new one the rules
   * refuse. On success the password is stored, the one-time flag cleared, every other session of
   * theirs ended (`keepSession` is the token of the one to keep) and `password.change` audited.
   */
  async changePassword(agentId: number, currentPassword: string, newPassword: string, keepSession: string): Promise<SessionAgent> {
    const row = await this.deps.db.selectFrom('agents').select(['username', 'password_hash', 'must_change_password'])
      .where('id', '=', agentId).where('active', '=', 1).executeTakeFirst();
    if (row === undefined) throw authRequired();
    const key = row.username.normalize('NFC').toLowerCase();
    const waitMs = this.#throttle.begin(key);
    if (waitMs > 0) throw authThrottled(Math.ceil(waitMs / 1000));
    if (!(await verifyPassword(currentPassword, row.password_hash))) throw currentPasswordWrong();
    this.#throttle.succeeded(key);
    const reason = weakPasswordReason(newPassword, { login: row.username, current: currentPassword });
    if (reason !== null) throw passwordWeak(reason);
    const hash = await hashPassword(newPassword);
    const at = isoNow(this.deps.clock);
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('agents').set({ password_hash: hash, must_change_password: 0 }).where('id', '=', agentId).execute();
      await trx.deleteFrom('sessions').where('agent_id', '=', agentId).where('id', '!=', sessionId(keepSession)).execute();
      await writeAudit(trx, {
        at, actorId: agentId, action: 'password.change', subject: `staff:${agentId}`,
        before: { mustChangePassword: row.must_change_password === 1 }, after: { mustChangePassword: false },
      });
    });
    return this.#agent(agentId);
  }

  async #agent(agentId: number): Promise<SessionAgent> {
    const row = await this.deps.db.selectFrom('agents').select(['id', 'username', 'display_name', 'role', 'language', 'must_change_password'])
      .where('id', '=', agentId).executeTakeFirst();
    if (row === undefined) throw authRequired();
    return view(row);
  }

  #expiry(now: number): string {
    return new Date(now + this.deps.idleHours * 3_600_000).toISOString();
  }
}

function view(a: { id: number; username: string; display_name: string; role: AgentRole; language: string; must_change_password: number }): SessionAgent {
  return { id: a.id, username: a.username, displayName: a.display_name, role: a.role, language: a.language, mustChangePassword: a.must_change_password === 1 };
}
