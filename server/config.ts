import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { dirname, join, resolve } from 'node:path';
import type { CallbackOfferSettings } from '../ivr/callback-offer.js';
import type { AccountCheck } from '../ivr/flows.js';
import { AppError } from './errors.js';
import { DEFAULT_TRUNKS, loadTrunksFile, type Trunk } from './trunks/definition.js';

/*
 * The one place that reads process.env. Every variable is declared here with its default and
 * documented in README.md; the result is validated once, frozen, and passed down by the
 * composition root. A bad value is a clear error naming the variable and what it expects.
 */

const port = (description: string, def: number) =>
  Type.Integer({ minimum: 1, maximum: 65535, default: def, description, expects: 'an integer from 1 to 65535' });

export const ConfigSchema = Type.Object({
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'address the HTTP server listens on', expects: 'a host name or address' }),
  PORT: port('HTTP port of the server (API, agent UI)', 3000),
  TLS_CERT: Type.Optional(Type.String({ minLength: 1, description: 'PEM certificate (chain) the server serves https and wss with; with TLS_KEY', expects: 'a file path' })),
  TLS_KEY: Type.Optional(Type.String({ minLength: 1, description: 'PEM private key of TLS_CERT', expects: 'a file path' })),
  MEDIA_ADDRESS: Type.Optional(Type.String({ pattern: '^[0-9.]+$|^[0-9a-fA-F:]+$', description: 'the address Asterisk offers agents\' browsers for RTP and ICE (default: HOST when it is an address other than loopback; otherwise Asterisk\'s own choice)', expects: 'an IPv4 or IPv6 address' })),
  ICE_SERVERS: Type.Optional(Type.String({ minLength: 2, description: 'STUN/TURN servers for agents behind NAT, as JSON: [{"urls":"turn:host:3478","username":"u","credential":"p"}]; given to the softphone and to Asterisk', expects: 'a JSON array of {urls, username?, credential?}' })),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'log level', expects: 'one of fatal, error, warn, info, debug, trace, silent' },
  ),
  DB_PATH: Type.String({ minLength: 1, default: 'data/contact-center.db', description: 'SQLite database file', expects: 'a file path' }),
  // No schema default: unset, it follows DB_PATH's folder; set empty, no file is written (see loadConfig).
  QUEUE_LOG_PATH: Type.Optional(Type.String({ minLength: 1, description: 'file the queue_log lines are appended to (default: queue_log next to DB_PATH; empty: no file)', expects: 'a file path, or empty for none' })),
  SURVEY: Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'on', description: 'ask callers to rate the call when the agent hangs up first', expects: 'on or off' }),
  ARI_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s/]+(:\\d+)?/?$', description: 'ARI base URL of an existing Asterisk', expects: 'an http(s)://host:port URL' })),
  ARI_USERNAME: Type.Optional(Type.String({ minLength: 1, description: 'ARI user of an existing Asterisk', expects: 'a non-empty user name' })),
  ARI_PASSWORD: Type.Optional(Type.String({ minLength: 1, description: 'ARI password of an existing Asterisk', expects: 'a non-empty password' })),
  ARI_APP: Type.String({ pattern: '^[A-Za-z0-9_-]+$', default: 'contact-center', description: 'Stasis application name', expects: 'letters, digits, - and _' }),
  SIP_PORT: port('UDP (and TCP) port of the local Asterisk for carriers\' calls', 5060),
  SIP_BIND: Type.String({ pattern: '^(\\d{1,3}\\.){3}\\d{1,3}$', default: '127.0.0.1', description: 'address the local Asterisk\'s SIP for carriers listens on', expects: 'an IPv4 address, e.g. 0.0.0.0 for every interface' }),
  SIP_TLS_PORT: port('TLS port of the local Asterisk, opened only when a trunk uses TLS', 5061),
  HOURS_FILE: Type.Optional(Type.String({ minLength: 1, description: 'JSON file of the contact center\'s working hours (weekly hours, holidays, moved working days; Kaliningrad time), reloaded when it changes; default: server/schedule/calendar.json', expects: 'a file path' })),
  TRUNKS_FILE: Type.Optional(Type.String({ minLength: 1, description: 'JSON file of the carrier trunks (addresses, registration, numbers and where each goes); default: one trunk taking every call from 127.0.0.1 into the Russian IVR', expects: 'a file path' })),
  RTP_START: port('first RTP port of the local Asterisk', 10000),
  RTP_END: port('last RTP port of the local Asterisk', 20000),
  ASTERISK_HTTP_PORT: port('HTTP/ARI port of the local Asterisk', 8088),
  ASTERISK_CACHE_DIR: Type.String({ minLength: 1, default: '/var/cache/contact-center', description: 'where the Asterisk root is cached (outside the clone)', expects: 'a folder path' }),
  ASTERISK_RUN_DIR: Type.String({ minLength: 1, default: 'data/asterisk', description: 'run folders of a system-installed Asterisk', expects: 'a folder path' }),
  // No schema default: unset, it follows the trunk marked outbound (see loadConfig).
  OUTBOUND_ROUTE: Type.Optional(Type.String({ pattern: '^[A-Za-z]+/.*\\{number\\}', description: 'Asterisk dial string for agents\' outbound calls and callbacks; {number} is the E.164 number (default: PJSIP/{number}@<the trunk marked outbound>, else PJSIP/trunk/sip:{number}@127.0.0.1:5070)', expects: 'a dial string containing {number}, e.g. PJSIP/trunk/sip:{number}@carrier' })),
  ASTERISK_ROOT: Type.Optional(Type.String({ minLength: 1, description: 'with ARI_URL: the root folder of that Asterisk when it runs chrooted on this host (prompts are written inside it)', expects: 'a folder path' })),
  PROMPTS_DIR: Type.String({ minLength: 1, default: 'data/prompts', description: 'synthesized prompts when ARI_URL points at an external Asterisk (it must read them at the same path)', expects: 'a folder path' }),
  SESSION_IDLE_HOURS: Type.Integer({ minimum: 1, maximum: 720, default: 12, description: 'hours without a request after which a staff login ends', expects: 'an integer from 1 to 720' }),
  OUTBOUND_RING_S: Type.Integer({ minimum: 5, maximum: 120, default: 40, description: 'seconds a customer\'s phone rings on an outbound call or a callback before it counts as not answered', expects: 'an integer from 5 to 120' }),
  CALLBACK_RETRY_DELAY_S: Type.Integer({ minimum: 1, maximum: 86_400, default: 600, description: 'seconds before a callback the customer did not answer is tried again', expects: 'an integer from 1 to 86400' }),
  CALLBACK_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 10, default: 3, description: 'calls to a customer before a callback request is marked failed', expects: 'an integer from 1 to 10' }),
  CALLBACK_MIN_TALK_S: Type.Integer({ minimum: 0, maximum: 120, default: 5, description: 'a callback answered and hung up within this many seconds counts as a failed attempt', expects: 'an integer from 0 to 120' }),
  CALLBACK_OFFER_AFTER_S: Type.Integer({ minimum: 0, maximum: 3600, default: 60, description: 'seconds a caller waits in the queue before hearing the callback offer (0: not for waiting alone)', expects: 'an integer from 0 to 3600' }),
  CALLBACK_OFFER_ESTIMATE_S: Type.Integer({ minimum: 0, maximum: 86_400, default: 120, description: 'a waiting caller whose announced wait estimate is above this many seconds hears the callback offer at once (0: off)', expects: 'an integer from 0 to 86400' }),
  CALLBACK_OFFER_REPEAT_S: Type.Integer({ minimum: 0, maximum: 3600, default: 120, description: 'seconds after which a waiting caller hears the callback offer again (a 1 pressed during the music books it meanwhile; 0: said once per stay)', expects: 'an integer from 0 to 3600' }),
  IVR_ACCOUNT_CHECK: Type.Union([Type.Literal('phone'), Type.Literal('flat')], { default: 'phone', description: 'what a caller whose number is not linked to an account keys in before its balance is said: the phone number linked to the account, or the flat (house) number of its address', expects: 'phone or flat' }),
  MOH_CLASSES: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$', description: 'the music-on-hold classes the Asterisk has (its musiconhold.conf sections); a queue naming another is logged (default: the local Asterisk\'s, from server/asterisk/templates/musiconhold.conf)', expects: 'class names separated by commas, e.g. default,calm' })),
  DEMO_DATA: Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'on', description: 'fill an empty database with demo data at start', expects: 'on or off' }),
  DEMO_CUSTOMERS: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 3000, description: 'customers generated into an empty database', expects: 'an integer from 1 to 10000000' }),
  DEMO_SEED: Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, default: 20261125, description: 'seed of the demo data generator', expects: 'an integer from 0 to 2147483647' }),
});

type Env = Static<typeof ConfigSchema>;

export interface AriSettings { url: string; username: string; password: string }

/** A STUN or TURN server (the browser's RTCIceServer). */
export interface IceServer { urls: string; username?: string; credential?: string }

export interface Config {
  host: string;
  port: number;
  logLevel: Env['LOG_LEVEL'];
  dbPath: string;
  ariApp: string;
  /** Set when ARI_URL, ARI_USERNAME and ARI_PASSWORD point at an existing Asterisk; otherwise the project runs its own. */
  externalAri: AriSettings | undefined;
  localAsterisk: {
    /** SIP_BIND, SIP_TLS_PORT */
    sipBind: string; sipTlsPort: number;
    sipPort: number; httpPort: number; rtpStart: number; rtpEnd: number; cacheDir: string; runDir: string;
  };
  demo: { enabled: boolean; customers: number; seed: number };
  promptsDir: string;
  /** set with an external Asterisk that runs chrooted on this host */
  asteriskRoot: string | undefined;
  /** OUTBOUND_ROUTE, else PJSIP/{number}@<the outbound trunk>, else the historical default */
  outboundRoute: string;
  /** HOURS_FILE: the working hours' file; undefined: the shipped server/schedule/calendar.json */
  hoursFile: string | undefined;
  /** the carrier trunks (TRUNKS_FILE), or DEFAULT_TRUNKS */
  trunks: readonly Trunk[];
  /** how long a customer's phone rings on an outbound call or a callback */
  outboundRingS: number;
  /** A caller whose agent hangs up first is asked to rate the call (the post-call survey). */
  survey: boolean;
  /** A staff session ends after this many hours without a request. */
  sessionIdleHours: number;
  /** Where Asterisk-format queue_log lines are appended; null when QUEUE_LOG_PATH is set empty. */
  queueLogPath: string | null;
  callbacks: CallbackSettings;
  /** When a waiting caller hears the callback offer (ivr/callback-offer.ts). */
  callbackOffer: CallbackOfferSettings;
  /** What a caller proves before an account their number is not linked to is talked about (ivr/flows.ts). */
  accountCheck: AccountCheck;
  /** TLS_CERT and TLS_KEY (both or neither); without them a non-loopback HOST gets a self-signed certificate in tlsDir */
  tls: { certPath: string | undefined; keyPath: string | undefined; dir: string };
  /** where agents' browsers reach Asterisk's media; undefined: Asterisk's own choice (loopback, as for one machine) */
  mediaAddress: string | undefined;
  iceServers: IceServer[];
  /** MOH_CLASSES: the music-on-hold classes the Asterisk has; undefined: those of the project's musiconhold.conf */
  musicClasses: readonly string[] | undefined;
}

/** How callbacks are retried (server/callbacks/). */
export interface CallbackSettings {
  retryDelayMs: number;
  maxAttempts: number;
  /** an answered attempt shorter than this is a failed attempt (the customer hung up at once) */
  minTalkMs: number;
}

/** The variables the product reads, with defaults and descriptions, for README and error messages. */
export const configVariables = Object.entries(ConfigSchema.properties).map(([name, schema]) => ({
  name,
  default: (schema as TSchema).default as unknown,
  description: (schema as TSchema).description as string,
}));

/**
 * Reads and validates the configuration from an environment (process.env in production).
 * Throws CC_ERR_CONFIG_INVALID listing every bad variable; an empty string counts as unset,
 * except for QUEUE_LOG_PATH, where it turns the queue_log file off.
 */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const raw: Record<string, unknown> = {};
  for (const name of Object.keys(ConfigSchema.properties)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') raw[name] = value.trim();
  }
  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw));
  const problems: Array<{ variable: string; expected: string; got: unknown }> = [];
  for (const error of Value.Errors(ConfigSchema, withDefaults)) {
    const variable = error.path.replace(/^\//, '');
    const schema = ConfigSchema.properties[variable as keyof Env] as TSchema | undefined;
    if (problems.some((p) => p.variable === variable)) continue;
    problems.push({ variable, expected: (schema?.['expects'] as string | undefined) ?? error.message, got: raw[variable] });
  }
  const e = withDefaults as Env;
  if (problems.length === 0) {
    const ariSet = (['ARI_URL', 'ARI_USERNAME', 'ARI_PASSWORD'] as const).filter((k) => e[k] !== undefined);
    if (ariSet.length > 0 && ariSet.length < 3) {
      const missing = ['ARI_URL', 'ARI_USERNAME', 'ARI_PASSWORD'].filter((k) => !ariSet.includes(k as never));
      problems.push({ variable: missing.join(', '), expected: 'ARI_URL, ARI_USERNAME and ARI_PASSWORD set together, or none of them', got: undefined });
    }
    if (e.ICE_SERVERS !== undefined && parseIceServers(e.ICE_SERVERS) === null) {
      problems.push({ variable: 'ICE_SERVERS', expected: 'a JSON array of {urls: "stun:…" | "turn:…" | "turns:…", username?, credential?}', got: e.ICE_SERVERS });
    }
    if (e.RTP_START >= e.RTP_END) {
      problems.push({ variable: 'RTP_END', expected: `a port above RTP_START (${e.RTP_START})`, got: e.RTP_END });
    }
  }
  if (problems.length > 0) {
    const lines = problems.map((p) => `${p.variable}: expected ${p.expected}${p.got === undefined ? '' : ` (got ${JSON.stringify(p.got)})`}`);
    throw new AppError('CC_ERR_CONFIG_INVALID', `invalid configuration:\n  ${lines.join('\n  ')}`, { problems });
  }
  // A broken trunk stops the start with its own code, naming the trunk and the field.
  const trunks = e.TRUNKS_FILE === undefined ? DEFAULT_TRUNKS : Object.freeze(loadTrunksFile(e.TRUNKS_FILE));
  const tlsTrunk = trunks.find((t) => t.transport === 'tls');
  if (tlsTrunk !== undefined && (e.TLS_CERT === undefined || e.TLS_KEY === undefined)) {
    throw new AppError('CC_ERR_TRUNK_INVALID', `${e.TRUNKS_FILE}: trunk ${tlsTrunk.name}: transport tls needs TLS_CERT and TLS_KEY (Asterisk's TLS transport uses the server's certificate)`,
      { file: e.TRUNKS_FILE, trunk: tlsTrunk.name, field: 'transport', expected: 'udp or tcp, or TLS_CERT and TLS_KEY set' });
  }
  const outboundTrunk = trunks.find((t) => t.outbound);
  return Object.freeze({
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    dbPath: e.DB_PATH,
    ariApp: e.ARI_APP,
    externalAri: e.ARI_URL !== undefined
      ? Object.freeze({ url: e.ARI_URL.replace(/\/$/, ''), username: e.ARI_USERNAME!, password: e.ARI_PASSWORD! })
      : undefined,
    localAsterisk: Object.freeze({
      sipBind: e.SIP_BIND, sipTlsPort: e.SIP_TLS_PORT,
      sipPort: e.SIP_PORT, httpPort: e.ASTERISK_HTTP_PORT, rtpStart: e.RTP_START, rtpEnd: e.RTP_END,
      cacheDir: e.ASTERISK_CACHE_DIR, runDir: e.ASTERISK_RUN_DIR,
    }),
    demo: Object.freeze({ enabled: e.DEMO_DATA === 'on', customers: e.DEMO_CUSTOMERS, seed: e.DEMO_SEED }),
    promptsDir: resolve(e.PROMPTS_DIR),
    asteriskRoot: e.ASTERISK_ROOT,
    outboundRoute: e.OUTBOUND_ROUTE ?? (outboundTrunk !== undefined ? `PJSIP/{number}@${outboundTrunk.name}` : 'PJSIP/trunk/sip:{number}@127.0.0.1:5070'),
    trunks,
    hoursFile: e.HOURS_FILE === undefined ? undefined : resolve(e.HOURS_FILE),
    outboundRingS: e.OUTBOUND_RING_S,
    survey: e.SURVEY === 'on',
    sessionIdleHours: e.SESSION_IDLE_HOURS,
    queueLogPath: env['QUEUE_LOG_PATH']?.trim() === '' ? null : e.QUEUE_LOG_PATH ?? join(dirname(e.DB_PATH), 'queue_log'),
    callbacks: Object.freeze({ retryDelayMs: e.CALLBACK_RETRY_DELAY_S * 1000, maxAttempts: e.CALLBACK_MAX_ATTEMPTS, minTalkMs: e.CALLBACK_MIN_TALK_S * 1000 }),
    callbackOffer: Object.freeze({ afterWaitMs: e.CALLBACK_OFFER_AFTER_S * 1000, estimateAboveMs: e.CALLBACK_OFFER_ESTIMATE_S * 1000, repeatMs: e.CALLBACK_OFFER_REPEAT_S * 1000 }),
    accountCheck: e.IVR_ACCOUNT_CHECK,
    tls: Object.freeze({ certPath: e.TLS_CERT, keyPath: e.TLS_KEY, dir: join(dirname(e.DB_PATH), 'tls') }),
    mediaAddress: e.MEDIA_ADDRESS ?? (/^[0-9.]+$/.test(e.HOST) && !/^127\./.test(e.HOST) && e.HOST !== '0.0.0.0' ? e.HOST : undefined),
    iceServers: e.ICE_SERVERS === undefined ? [] : parseIceServers(e.ICE_SERVERS)!,
    musicClasses: e.MOH_CLASSES === undefined ? undefined : Object.freeze(e.MOH_CLASSES.split(',')),
  });
}

/** ICE_SERVERS as RTCIceServer objects, or null when it is not a JSON array of them. */
function parseIceServers(raw: string): IceServer[] | null {
  let value: unknown;
  try { value = JSON.parse(raw); } catch { return null; }
  if (!Array.isArray(value)) return null;
  const out: IceServer[] = [];
  for (const v of value) {
    if (typeof v !== 'object' || v === null) return null;
    const { urls, username, credential } = v as Record<string, unknown>;
    if (typeof urls !== 'string' || !/^(stun|turns?):[^\s]+$/.test(urls)) return null;
    if (username !== undefined && typeof username !== 'string') return null;
    if (credential !== undefined && typeof credential !== 'string') return null;
    if (urls.startsWith('turn') && (username === undefined || credential === undefined)) return null;
    out.push({ urls, ...(username !== undefined && { username }), ...(credential !== undefined && { credential }) });
  }
  return Object.freeze(out) as IceServer[];
}
