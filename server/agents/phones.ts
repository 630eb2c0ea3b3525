import type { FastifyBaseLogger } from 'fastify';
import type { PjsipObjectType, TelephonyPort } from '../ari/port.js';
import type { Db } from '../db/database.js';
import type { Agent } from '../db/schema.js';
import { AppError, isAppError } from '../errors.js';

/*
 * Agents' phones live in the database, not in pjsip.conf: each agent becomes a PJSIP endpoint,
 * auth and AOR, all three named after the agent's username (pjsip.conf identifies by username
 * first, so a softphone's REGISTER from 'operator1' finds the endpoint 'operator1'), pushed into
 * Asterisk through ARI push configuration (templates/sorcery.conf maps them to the memory wizard).
 *
 * Memory objects vanish when Asterisk restarts, so the server must call AgentPhones.syncAll()
 * after every ARI (re)connection, before offering calls to agents.
 */

/** The dialplan context calls from agents' phones enter. Agents make no calls yet: it has no extensions. */
export const AGENT_CONTEXT = 'from-agents';
/** Transports of templates/pjsip.conf. */
const WS_TRANSPORT = 'transport-ws';
const UDP_TRANSPORT = 'transport-udp';
/** Objects of pjsip.conf: an agent of that name would collide with them. */
const RESERVED_NAMES = new Set(['trunk']);

export type PhoneAgent = Pick<Agent, 'username' | 'sip_password' | 'phone_kind' | 'sip_contact' | 'language'>;

/** The fields of each PJSIP object of one agent's phone, as ARI push configuration takes them. */
export type PhoneObjects = Record<PjsipObjectType, Record<string, string>>;

/** What the site adds to every browser phone: MEDIA_ADDRESS, the address agents' desks reach Asterisk's media at. */
export interface PhoneSite { mediaAddress?: string | undefined }

/**
 * The PJSIP endpoint, auth and AOR of an agent's phone. A 'webrtc' phone is a browser softphone
 * registering over the WebSocket transport (DTLS-SRTP, opus first); a 'sip' phone is a plain SIP
 * phone over UDP, which registers unless `sip_contact` gives a fixed contact. Both authenticate
 * with the agent's username and `sip_password`. Throws CC_ERR_VALIDATION for a username that is
 * not a plain SIP user name or is taken by pjsip.conf ('trunk'), an empty SIP password, or a
 * `sip_contact` that is not one sip:/sips: URI.
 */
export function endpointFields(agent: PhoneAgent, site: PhoneSite = {}): PhoneObjects {
  const id = agent.username;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id) || RESERVED_NAMES.has(id)) {
    throw invalid('username', 'letters, digits, \'.\', \'_\' or \'-\' and not a pjsip.conf name', id);
  }
  if (agent.sip_password === '') throw invalid('sip_password', 'not empty', '');
  if (agent.sip_contact !== null && !/^sips?:[^\s,<>"]+$/.test(agent.sip_contact)) {
    throw invalid('sip_contact', 'one sip: or sips: URI', agent.sip_contact);
  }
  const auth = { auth_type: 'userpass', username: id, password: agent.sip_password };
  const common = { context: AGENT_CONTEXT, disallow: 'all', auth: id, aors: id, language: agent.language, direct_media: 'no' };
  // One registration at a time: a second softphone tab or desk phone takes over from the first.
  const registering = { max_contacts: '1', remove_existing: 'yes' };
  if (agent.phone_kind === 'webrtc') {
    return {
      endpoint: {
        ...common, transport: WS_TRANSPORT, allow: 'opus,alaw,ulaw', webrtc: 'yes', dtls_auto_generate_cert: 'yes',
        // On a machine with several networks, the one the agents' desks reach: in the SDP, the ICE candidates and the RTP socket.
        ...(site.mediaAddress !== undefined && { media_address: site.mediaAddress, bind_rtp_to_media_address: 'yes' }),
      },
      auth,
      aor: registering,
    };
  }
  return {
    endpoint: {
      ...common, transport: UDP_TRANSPORT, allow: 'alaw,ulaw', rtp_symmetric: 'yes', force_rport: 'yes',
      rewrite_contact: 'yes', dtmf_mode: 'rfc4733',
    },
    auth,
    aor: agent.sip_contact === null ? registering : { contact: agent.sip_contact },
  };
}

function invalid(field: string, expected: string, got: string): AppError {
  return new AppError('CC_ERR_VALIDATION', `agent phone: ${field} must be ${expected}`, { field, expected, got });
}

// auth and aor first, so that the endpoint never names objects that do not exist yet.
const PUSH_ORDER: readonly PjsipObjectType[] = ['auth', 'aor', 'endpoint'];
const DELETE_ORDER: readonly PjsipObjectType[] = ['endpoint', 'aor', 'auth'];

/** What synchronising one agent did. */
export type PhoneSyncOutcome = 'pushed' | 'unchanged' | 'removed' | 'skipped';
export type PhoneSyncSummary = Record<PhoneSyncOutcome, number>;

/**
 * Keeps Asterisk's agent phones equal to the agents table. A phone whose objects Asterisk
 * already holds with the same fields is left alone, so that a server restart or an ARI
 * reconnection does not cut off registered softphones. A phone whose fields changed is
 * replaced (delete, then create): Asterisk 22.10.1 refuses any ARI update of an existing
 * endpoint ("Allocation failed"), and an update merges fields, which would leave a former
 * WebRTC phone's DTLS settings on one switched to plain SIP. Deleting the AOR drops the
 * phone's registration: the phone is unreachable until it registers again.
 */
export class AgentPhones {
  /** The username each agent's objects were last pushed under, to remove them after a rename. */
  readonly #pushed = new Map<number, string>();

  constructor(
    private readonly db: Db,
    private readonly telephony: TelephonyPort,
    private readonly log: FastifyBaseLogger,
    private readonly site: PhoneSite = {},
  ) {}

  /**
   * Pushes the phone of every active agent and deletes those of inactive ones. An agent whose
   * row cannot make a phone (see endpointFields) is logged and skipped. Rejects on the first
   * ARI failure (CC_ERR_ARI_UNAVAILABLE, CC_ERR_ARI_REQUEST_FAILED): the next connection runs
   * it again. Agents deleted from the table are not known, so their objects stay until
   * Asterisk restarts: deactivate agents instead.
   */
  async syncAll(): Promise<PhoneSyncSummary> {
    const summary: PhoneSyncSummary = { pushed: 0, unchanged: 0, removed: 0, skipped: 0 };
    for (const agent of await this.#agents().execute()) summary[await this.#apply(agent)] += 1;
    this.log.info(summary, 'agent phones synchronised with Asterisk');
    return summary;
  }

  /**
   * Pushes one agent's phone, or deletes it when the agent is inactive; an unknown id does
   * nothing ('skipped'). Rejects with CC_ERR_VALIDATION for a row that cannot make a phone,
   * and with the ARI errors of syncAll.
   */
  async sync(agentId: number): Promise<PhoneSyncOutcome> {
    const agent = await this.#agents().where('id', '=', agentId).executeTakeFirst();
    if (agent === undefined) return 'skipped';
    if (agent.active === 1) endpointFields(agent, this.site);
    return this.#apply(agent);
  }

  #agents() {
    return this.db.selectFrom('agents')
      .select(['id', 'username', 'sip_password', 'phone_kind', 'sip_contact', 'language', 'active'])
      .orderBy('id');
  }

  async #apply(agent: PhoneAgent & { id: number; active: number }): Promise<PhoneSyncOutcome> {
    const previous = this.#pushed.get(agent.id);
    if (previous !== undefined && previous !== agent.username) {
      await this.#delete(previous);
      this.#pushed.delete(agent.id);
    }
    if (agent.active !== 1) {
      await this.#delete(agent.username);
      this.#pushed.delete(agent.id);
      return 'removed';
    }
    let objects: PhoneObjects;
    try {
      objects = endpointFields(agent, this.site);
    } catch (err) {
      if (!isAppError(err, 'CC_ERR_VALIDATION')) throw err;
      this.log.error({ agentId: agent.id, details: err.details }, 'agent phone not pushed: %s', err.message);
      return 'skipped';
    }
    let outcome: PhoneSyncOutcome = 'unchanged';
    if (!(await this.#holds(agent.username, objects))) {
      await this.#delete(agent.username);
      for (const type of PUSH_ORDER) await this.telephony.pushConfig(type, agent.username, objects[type]);
      outcome = 'pushed';
    }
    this.#pushed.set(agent.id, agent.username);
    return outcome;
  }

  /** True when Asterisk holds all three objects with these fields. */
  async #holds(id: string, objects: PhoneObjects): Promise<boolean> {
    for (const type of PUSH_ORDER) {
      const current = await this.telephony.readConfig(type, id);
      if (current === undefined || !sameFields(objects[type], current)) return false;
    }
    return true;
  }

  async #delete(id: string): Promise<void> {
    for (const type of DELETE_ORDER) await this.telephony.deleteConfig(type, id);
  }
}

/**
 * Whether the fields we push match what Asterisk reads back, in its own spelling: booleans as
 * true/false (dtls_auto_generate_cert as 'Yes'), codec lists as '(a|b)'. Fields Asterisk does
 * not read back (disallow) are not compared.
 */
export function sameFields(pushed: Record<string, string>, held: Record<string, string>): boolean {
  return Object.entries(pushed).every(([name, value]) => {
    const current = held[name];
    return current === undefined || spelling(name, current) === spelling(name, value);
  });
}

// The yes/no fields endpointFields pushes; only these are compared as booleans (not, say, a password 'yes').
const BOOLEAN_FIELDS = new Set(['webrtc', 'dtls_auto_generate_cert', 'bind_rtp_to_media_address', 'direct_media', 'rtp_symmetric', 'force_rport', 'rewrite_contact', 'remove_existing']);

function spelling(name: string, value: string): string {
  if (name === 'allow') return value.replace(/^\(|\)$/g, '').split(/[|,]/).join(',');
  if (BOOLEAN_FIELDS.has(name)) return String(['yes', 'true', 'on'].includes(value.toLowerCase()));
  return value;
}
