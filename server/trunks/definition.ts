import { readFileSync } from 'node:fs';
import type { CallEntry } from '../../ivr/call.js';
import { trunkInvalid } from './errors.js';

/*
 * Carrier trunks as data (TRUNKS_FILE): where each carrier is, how its calls are recognised
 * (its addresses, or the outbound registration they arrive on), the numbers it delivers and where
 * each goes. Pure: read and checked once at start by server/config.ts; the local Asterisk's PJSIP
 * objects are generated from it (server/asterisk/trunk-config.ts) and calls are routed by it
 * (server/trunks/routing.ts).
 */

export type SipTransport = 'udp' | 'tcp' | 'tls';

export interface TrunkRegistration {
  username: string;
  password: string;
  /** seconds asked for in each REGISTER */
  expirationS: number;
}

export interface TrunkCredentials { username: string; password: string }

export interface Did {
  /** as the carrier puts it in the request URI's user part, e.g. +74012999000 */
  number: string;
  entry: CallEntry;
}

export interface Trunk {
  /** PJSIP endpoint, AOR, identify and registration id; calls from it are channels PJSIP/<name>-… */
  name: string;
  host: string;
  port: number;
  transport: SipTransport;
  /** addresses or networks (a.b.c.d/n) or host names calls are taken from; [] only with `register` */
  match: string[];
  register: TrunkRegistration | null;
  /** answers the carrier's challenges to our INVITEs (default: the registration's credentials) */
  auth: TrunkCredentials | null;
  /** where the caller's number is read from: the From header, or P-Asserted-Identity (trusted) */
  callerIdFrom: 'from' | 'pai';
  dids: Did[];
  /** where a call to a number not in `dids` goes */
  defaultEntry: CallEntry;
  /** agents' outbound calls and callbacks leave through this trunk */
  outbound: boolean;
}

/** The Russian IVR: where every call goes unless a DID says otherwise. */
export const RUSSIAN_IVR: CallEntry = Object.freeze({ kind: 'ivr', language: 'ru' }) as CallEntry;

/**
 * Without TRUNKS_FILE: today's single trunk, named `trunk`, taking every call from 127.0.0.1
 * (caller number from From) into the Russian IVR, whatever number was dialled.
 */
export const DEFAULT_TRUNKS: readonly Trunk[] = Object.freeze([Object.freeze({
  name: 'trunk', host: '127.0.0.1', port: 5060, transport: 'udp', match: ['127.0.0.1'], register: null, auth: null,
  callerIdFrom: 'from', dids: [], defaultEntry: RUSSIAN_IVR, outbound: false,
}) as Trunk]);

const TRUNK_FIELDS = ['name', 'host', 'port', 'transport', 'match', 'register', 'auth', 'callerIdFrom', 'dids', 'defaultEntry', 'outbound'];
const NAME = /^[a-z][a-z0-9-]{0,31}$/;
const HOST = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const SIP_USER = /^[A-Za-z0-9+._~!$&'()*=-]{1,64}$/;
// A value that ends up in pjsip.conf: no line break (a new line), no ';' (a comment) and no
// leading or trailing blank (Asterisk trims them).
const CONF_VALUE = /^[^\s;\x00-\x1f\x7f](?:[^;\x00-\x1f\x7f]*[^\s;\x00-\x1f\x7f])?$/;
const DID_NUMBER = /^[A-Za-z0-9+*#._-]{1,64}$/;
const QUEUE_ID = /^[a-z][a-z0-9_]{0,31}$/;

/** Reads and checks TRUNKS_FILE; throws CC_ERR_TRUNK_INVALID (see parseTrunks), also for an unreadable file or bad JSON. */
export function loadTrunksFile(path: string): Trunk[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw trunkInvalid(path, null, '(file)', `a readable file (${(err as Error).message})`, undefined, err);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw trunkInvalid(path, null, '(file)', `JSON (${(err as Error).message})`, undefined, err);
  }
  return parseTrunks(json, path);
}

/**
 * Checks a trunks document (`{ "trunks": [ … ] }`) and returns the trunks with defaults filled in.
 * Throws CC_ERR_TRUNK_INVALID naming the trunk and the field (details: trunk, field, expected, got)
 * for the first problem: an unknown field or transport, a bad name, host, port or address, a
 * registration or auth without a username or password, a trunk that nothing identifies, two
 * trunks whose matches overlap, a DID listed twice (in one trunk or two), a bad entry, more than
 * one outbound trunk.
 */
export function parseTrunks(doc: unknown, source = 'TRUNKS_FILE'): Trunk[] {
  const top = record(doc, null, 'trunks', 'an object {"trunks": [ … ]}', source);
  for (const key of Object.keys(top)) if (key !== 'trunks') throw invalid(source, null, key, 'only the field "trunks"', key);
  if (!Array.isArray(top['trunks']) || top['trunks'].length === 0) throw invalid(source, null, 'trunks', 'a non-empty array of trunks', top['trunks']);
  const trunks: Trunk[] = [];
  for (const [i, raw] of (top['trunks'] as unknown[]).entries()) {
    const label = typeof (raw as { name?: unknown } | null)?.name === 'string' ? (raw as { name: string }).name : `#${i + 1}`;
    trunks.push(parseTrunk(raw, label, source));
  }
  checkAcrossTrunks(trunks, source);
  return trunks;
}

function parseTrunk(raw: unknown, label: string, source: string): Trunk {
  const o = record(raw, label, '', 'an object', source);
  for (const key of Object.keys(o)) if (!TRUNK_FIELDS.includes(key)) throw invalid(source, label, key, `one of the fields ${TRUNK_FIELDS.join(', ')}`, key);
  const name = o['name'];
  if (typeof name !== 'string' || !NAME.test(name)) throw invalid(source, label, 'name', 'lowercase letters, digits and "-", starting with a letter, at most 32', name);
  const host = o['host'];
  if (typeof host !== 'string' || !HOST.test(host)) throw invalid(source, name, 'host', 'an IPv4 address or a host name', host);
  const transport = o['transport'] ?? 'udp';
  if (transport !== 'udp' && transport !== 'tcp' && transport !== 'tls') throw invalid(source, name, 'transport', 'udp, tcp or tls', transport);
  const port = o['port'] ?? (transport === 'tls' ? 5061 : 5060);
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) throw invalid(source, name, 'port', 'an integer from 1 to 65535', port);

  let register: TrunkRegistration | null = null;
  if (o['register'] !== undefined) {
    const r = record(o['register'], name, 'register', 'an object {username, password, expiration?}', source);
    for (const key of Object.keys(r)) if (!['username', 'password', 'expiration'].includes(key)) throw invalid(source, name, `register.${key}`, 'one of username, password, expiration', key);
    const creds = credentials(r, name, 'register', source);
    const expiration = r['expiration'] ?? 3600;
    if (!Number.isInteger(expiration) || (expiration as number) < 60 || (expiration as number) > 86_400) throw invalid(source, name, 'register.expiration', 'an integer number of seconds from 60 to 86400', expiration);
    register = { ...creds, expirationS: expiration as number };
  }
  let auth: TrunkCredentials | null = register === null ? null : { username: register.username, password: register.password };
  if (o['auth'] !== undefined) {
    const a = record(o['auth'], name, 'auth', 'an object {username, password}', source);
    for (const key of Object.keys(a)) if (!['username', 'password'].includes(key)) throw invalid(source, name, `auth.${key}`, 'one of username, password', key);
    auth = credentials(a, name, 'auth', source);
  }

  let match: string[] = [host];
  if (o['match'] !== undefined) {
    if (!Array.isArray(o['match'])) throw invalid(source, name, 'match', 'an array of addresses, networks (a.b.c.d/n) or host names', o['match']);
    match = [];
    for (const [i, m] of (o['match'] as unknown[]).entries()) {
      if (typeof m !== 'string' || !(isNetwork(m) || HOST.test(m))) throw invalid(source, name, `match[${i}]`, 'an IPv4 address, a network a.b.c.d/n or a host name', m);
      match.push(m);
    }
  }
  if (match.length === 0 && register === null) throw invalid(source, name, 'match', 'at least one address (a trunk without registration is recognised by its addresses only)', []);

  const callerIdFrom = o['callerIdFrom'] ?? 'from';
  if (callerIdFrom !== 'from' && callerIdFrom !== 'pai') throw invalid(source, name, 'callerIdFrom', 'from or pai', callerIdFrom);

  const dids: Did[] = [];
  if (o['dids'] !== undefined) {
    if (!Array.isArray(o['dids'])) throw invalid(source, name, 'dids', 'an array of {number, entry}', o['dids']);
    for (const [i, d] of (o['dids'] as unknown[]).entries()) {
      const field = `dids[${i}]`;
      const r = record(d, name, field, 'an object {number, entry}', source);
      for (const key of Object.keys(r)) if (!['number', 'entry'].includes(key)) throw invalid(source, name, `${field}.${key}`, 'one of number, entry', key);
      const number = r['number'];
      if (typeof number !== 'string' || !DID_NUMBER.test(number)) throw invalid(source, name, `${field}.number`, 'the number as the carrier sends it (digits, +, letters, *#._-), at most 64', number);
      if (dids.some((x) => sameDid(x.number, number))) throw invalid(source, name, `${field}.number`, 'a number listed once', number);
      dids.push({ number, entry: parseEntry(r['entry'] ?? 'ivr', name, `${field}.entry`, source) });
    }
  }
  const defaultEntry = parseEntry(o['defaultEntry'] ?? 'ivr', name, 'defaultEntry', source);
  const outbound = o['outbound'] ?? false;
  if (typeof outbound !== 'boolean') throw invalid(source, name, 'outbound', 'true or false', outbound);
  return { name, host, port: port as number, transport, match, register, auth, callerIdFrom, dids, defaultEntry, outbound };
}

function credentials(o: Record<string, unknown>, trunk: string, field: string, source: string): TrunkCredentials {
  const { username, password } = o;
  if (typeof username !== 'string' || !SIP_USER.test(username)) throw invalid(source, trunk, `${field}.username`, 'a SIP user name (letters, digits, +._~!$&\'()*=-), at most 64', username);
  if (password === undefined || password === '') throw invalid(source, trunk, `${field}.password`, 'a password (it is missing)', password);
  if (typeof password !== 'string' || !CONF_VALUE.test(password)) throw invalid(source, trunk, `${field}.password`, 'a string without ";", line breaks or blanks at either end', '(hidden)');
  return { username, password };
}

function parseEntry(raw: unknown, trunk: string, field: string, source: string): CallEntry {
  if (raw === 'ivr') return RUSSIAN_IVR;
  if (raw === 'ivr-en') return { kind: 'ivr', language: 'en' };
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const keys = Object.keys(raw);
    const queue = (raw as { queue?: unknown }).queue;
    if (keys.length === 1 && typeof queue === 'string' && QUEUE_ID.test(queue)) return { kind: 'queue', queue };
  }
  throw invalid(source, trunk, field, '"ivr", "ivr-en" or {"queue": "<queue id>"}', raw);
}

function checkAcrossTrunks(trunks: Trunk[], source: string): void {
  for (const [i, t] of trunks.entries()) {
    for (const earlier of trunks.slice(0, i)) {
      if (earlier.name === t.name) throw invalid(source, t.name, 'name', 'a name no other trunk has', t.name);
      for (const m of t.match) {
        const other = earlier.match.find((e) => overlaps(e, m));
        if (other !== undefined) throw invalid(source, t.name, 'match', `addresses no other trunk matches (${m} overlaps ${other} of trunk ${earlier.name})`, m);
      }
      for (const d of t.dids) {
        if (earlier.dids.some((e) => sameDid(e.number, d.number))) throw invalid(source, t.name, 'dids', `numbers no other trunk lists (${d.number} is also trunk ${earlier.name}'s)`, d.number);
      }
    }
  }
  const outbound = trunks.filter((t) => t.outbound);
  if (outbound.length > 1) throw invalid(source, outbound[1]!.name, 'outbound', `true on one trunk at most (already ${outbound[0]!.name})`, true);
}

/** DIDs are compared as the carrier may write them: with or without the leading '+'. */
export function sameDid(a: string, b: string): boolean {
  return a.replace(/^\+/, '') === b.replace(/^\+/, '');
}

function isNetwork(m: string): boolean {
  const [address, bits, ...rest] = m.split('/');
  if (rest.length > 0 || !IPV4.test(address!)) return false;
  return bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) <= 32);
}

/** Whether two match entries can take the same address: networks that intersect, or the same host name. */
export function overlaps(a: string, b: string): boolean {
  if (!isNetwork(a) || !isNetwork(b)) return a.toLowerCase() === b.toLowerCase();
  const [na, ba] = range(a);
  const [nb, bb] = range(b);
  const bits = Math.min(ba, bb);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((na & mask) >>> 0) === ((nb & mask) >>> 0);
}

function range(network: string): [number, number] {
  const [address, bits] = network.split('/');
  const n = address!.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
  return [n, bits === undefined ? 32 : Number(bits)];
}

function record(raw: unknown, trunk: string | null, field: string, expected: string, source: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(source, trunk, field, expected, raw);
  return raw as Record<string, unknown>;
}

function invalid(source: string, trunk: string | null, field: string, expected: string, got: unknown) {
  return trunkInvalid(source, trunk, field, expected, got);
}
