import type { SipTransport, Trunk } from '../trunks/definition.js';

/*
 * The carriers' side of the local Asterisk's pjsip.conf, generated from the trunks (TRUNKS_FILE):
 * the TCP and TLS transports when a trunk uses them (UDP is always in templates/pjsip.conf), and
 * for each trunk its endpoint, AOR, identify, auths and outbound registration. They live in
 * pjsip.conf, not in sorcery's memory: outbound registrations and identifies are read from
 * pjsip.conf at start and work from the first second, with no ARI push to race the first call.
 *
 * Every trunk's calls enter the same context, `from-trunk`; the server tells the trunk by the
 * channel's endpoint (PJSIP/<trunk>-…) and the entry by the number dialled (server/trunks/routing.ts).
 */

export const TRUNK_CONTEXT = 'from-trunk';

export interface TrunkTransportSettings {
  /** SIP_BIND: the address the carriers' transports listen on */
  bind: string;
  /** UDP and TCP port (SIP_PORT) */
  sipPort: number;
  /** SIP_TLS_PORT; only used when a trunk uses TLS */
  tlsPort: number;
  /** the certificate and key as Asterisk sees them (copied into its run folder); required when a trunk uses TLS */
  tls?: { certFile: string; keyFile: string } | undefined;
}

/** The transport section name of each protocol (transport-udp is templates/pjsip.conf's). */
export function transportName(t: SipTransport): string {
  return `transport-${t}`;
}

/**
 * pjsip.conf sections for `trunks`, appended to the template's. Throws when a trunk uses TLS
 * and no certificate is given (config.ts refuses that earlier, naming the trunk).
 */
export function renderTrunkSections(trunks: readonly Trunk[], s: TrunkTransportSettings): string {
  const out: string[] = [];
  const used = new Set(trunks.map((t) => t.transport));
  if (used.has('tcp')) {
    out.push(section(transportName('tcp'), [['type', 'transport'], ['protocol', 'tcp'], ['bind', `${s.bind}:${s.sipPort}`]],
      'Carriers over TCP: same address and port as UDP.'));
  }
  if (used.has('tls')) {
    if (s.tls === undefined) throw new Error('a trunk uses TLS but no certificate was given (TLS_CERT, TLS_KEY)');
    out.push(section(transportName('tls'), [
      ['type', 'transport'], ['protocol', 'tls'], ['bind', `${s.bind}:${s.tlsPort}`],
      ['cert_file', s.tls.certFile], ['priv_key_file', s.tls.keyFile], ['method', 'tlsv1_2'],
    ], 'Carriers over TLS, with the server\'s certificate (TLS_CERT, TLS_KEY).'));
  }
  for (const t of trunks) out.push(...trunkSections(t));
  return out.join('\n');
}

function trunkSections(t: Trunk): string[] {
  const transport = transportName(t.transport);
  // ';' starts a comment in Asterisk's config files; '\;' is a literal one.
  const uriParams = t.transport === 'udp' ? '' : `\\;transport=${t.transport}`;
  const hostPort = `${t.host}:${t.port}`;
  const endpoint: Array<[string, string]> = [
    ['type', 'endpoint'], ['transport', transport], ['context', TRUNK_CONTEXT],
    ['disallow', 'all'], ['allow', 'alaw,ulaw'], ['language', 'ru'], ['direct_media', 'no'],
    ['rtp_symmetric', 'yes'], ['force_rport', 'yes'], ['rewrite_contact', 'yes'], ['dtmf_mode', 'rfc4733'],
    ['aors', t.name],
  ];
  // The caller's number from P-Asserted-Identity when the carrier asserts it there (From may hold anything).
  if (t.callerIdFrom === 'pai') endpoint.push(['trust_id_inbound', 'yes']);
  if (t.auth !== null) endpoint.push(['outbound_auth', t.name]);
  const summary = [
    `Trunk ${t.name}: ${t.transport} ${hostPort}`,
    t.match.length > 0 ? `calls from ${t.match.join(', ')}` : 'calls identified by its registration (line)',
    `caller number from ${t.callerIdFrom === 'pai' ? 'P-Asserted-Identity' : 'From'}`,
  ].join('; ');
  const out = [section(t.name, endpoint, `${summary}.`)];
  // A contact only for the trunk calls leave by: PJSIP/<number>@<trunk> dials sip:<number>@host:port.
  out.push(section(t.name, t.outbound ? [['type', 'aor'], ['contact', `sip:${hostPort}${uriParams}`]] : [['type', 'aor']]));
  if (t.match.length > 0) out.push(section(t.name, [['type', 'identify'], ['endpoint', t.name], ...t.match.map((m): [string, string] => ['match', m])]));
  if (t.auth !== null) {
    out.push(section(t.name, [['type', 'auth'], ['auth_type', 'userpass'], ['username', t.auth.username], ['password', t.auth.password]]));
  }
  if (t.register !== null) {
    const auth = `${t.name}.register`;
    out.push(section(auth, [['type', 'auth'], ['auth_type', 'userpass'], ['username', t.register.username], ['password', t.register.password]]));
    out.push(section(t.name, [
      ['type', 'registration'], ['transport', transport], ['outbound_auth', auth],
      ['server_uri', `sip:${hostPort}${uriParams}`], ['client_uri', `sip:${t.register.username}@${hostPort}${uriParams}`],
      ['contact_user', t.register.username], ['expiration', String(t.register.expirationS)],
      ['retry_interval', '60'],
      // A carrier refusing our password is tried again now and then (the admin may fix it there), not hammered.
      ['forbidden_retry_interval', '600'], ['fatal_retry_interval', '600'],
      // Calls the carrier sends to our registered contact carry ;line=…, which names this trunk.
      ['line', 'yes'], ['endpoint', t.name],
    ], 'Outbound registration: its state is shown by GET /api/trunks.'));
  }
  return out;
}

function section(name: string, entries: Array<[string, string]>, comment?: string): string {
  for (const [key, value] of entries) {
    // Checked by server/trunks/definition.ts already; a last guard against a value that would add lines or a comment.
    if (/[\r\n]|(?<!\\);/.test(value)) throw new Error(`pjsip.conf [${name}] ${key}: a value with a line break or an unescaped ';'`);
  }
  const head = comment === undefined ? '' : `; ${comment}\n`;
  return `${head}[${name}]\n${entries.map(([k, v]) => `${k} = ${v}`).join('\n')}\n`;
}
