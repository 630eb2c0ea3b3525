import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import t, { type Test } from 'tap';
import { step, type CallContext } from '../../ivr/call.js';
import { renderAsteriskConfig, type AsteriskConfigParams } from '../../server/asterisk/config-files.js';
import { loadConfig } from '../../server/config.js';
import { isAppError } from '../../server/errors.js';
import { DEFAULT_TRUNKS, overlaps, parseTrunks, type Trunk } from '../../server/trunks/definition.js';
import { parseRefusal, parseRegistrations } from '../../server/trunks/observer.js';
import { routeCall } from '../../server/trunks/routing.js';
import { TrunkService } from '../../server/trunks/service.js';
import { defaultMenus } from '../support/ivr-driver.js';

const good = {
  trunks: [
    {
      name: 'rostelecom', host: '10.20.0.5', port: 5070, transport: 'udp', match: ['10.20.0.0/24'], callerIdFrom: 'pai', outbound: true,
      dids: [{ number: '+74012999000', entry: 'ivr' }, { number: '+74012999001', entry: { queue: 'billing' } }],
    },
    { name: 'mts', host: 'sip.carrier.example', transport: 'tcp', register: { username: 'line1', password: 's3cret' }, match: [], defaultEntry: 'ivr-en' },
  ],
};

/** The trunks document `good` with `edit` applied to a deep copy. */
function variant(edit: (doc: any) => void): unknown {
  const doc = structuredClone(good) as any;
  edit(doc);
  return doc;
}

function refusal(t: Test, doc: unknown, trunk: string | null, field: string, what: string): void {
  try {
    parseTrunks(doc, 'trunks.json');
    t.fail(`${what}: accepted`);
  } catch (err) {
    t.ok(isAppError(err) && err.code === 'CC_ERR_TRUNK_INVALID', `${what}: CC_ERR_TRUNK_INVALID`);
    t.match((err as { details: object }).details, { file: 'trunks.json', trunk, field }, `${what}: names trunk ${trunk} and field ${field}`);
    if (trunk !== null) t.match((err as Error).message, `trunk ${trunk}: ${field}`, `${what}: the message names them too`);
  }
}

t.test('a good trunks file is read with its defaults filled in', async (t) => {
  const [a, b] = parseTrunks(good);
  t.match(a, { name: 'rostelecom', port: 5070, transport: 'udp', match: ['10.20.0.0/24'], register: null, auth: null, callerIdFrom: 'pai', outbound: true });
  t.same(a!.dids, [
    { number: '+74012999000', entry: { kind: 'ivr', language: 'ru' } },
    { number: '+74012999001', entry: { kind: 'queue', queue: 'billing' } },
  ]);
  t.same(a!.defaultEntry, { kind: 'ivr', language: 'ru' }, 'unknown numbers go to the Russian IVR');
  t.match(b, { port: 5060, transport: 'tcp', match: [], callerIdFrom: 'from', outbound: false, defaultEntry: { kind: 'ivr', language: 'en' } });
  t.same(b!.register, { username: 'line1', password: 's3cret', expirationS: 3600 });
  t.same(b!.auth, { username: 'line1', password: 's3cret' }, 'the registration\'s credentials answer INVITE challenges too');
  const [c] = parseTrunks({ trunks: [{ name: 'tls-carrier', host: '10.1.1.1', transport: 'tls' }] });
  t.equal(c!.port, 5061, 'TLS defaults to port 5061');
  t.same(c!.match, ['10.1.1.1'], 'without match a trunk is recognised by its host');
});

t.test('a broken trunk definition is refused with a message naming the trunk and the field', async (t) => {
  refusal(t, variant((d) => { d.trunks[0].transport = 'sctp'; }), 'rostelecom', 'transport', 'an unknown transport');
  refusal(t, variant((d) => { delete d.trunks[1].register.password; }), 'mts', 'register.password', 'a registration without a password');
  refusal(t, variant((d) => { d.trunks[1].register.password = ''; }), 'mts', 'register.password', 'an empty registration password');
  refusal(t, variant((d) => { d.trunks[1].register.password = 'a;b'; }), 'mts', 'register.password', 'a password Asterisk would cut at ";"');
  refusal(t, variant((d) => { d.trunks[1].match = ['10.20.0.77']; }), 'mts', 'match', 'a match overlapping another trunk\'s network');
  refusal(t, variant((d) => { d.trunks[1].match = ['10.0.0.0/8']; }), 'mts', 'match', 'a network containing another trunk\'s');
  refusal(t, variant((d) => { d.trunks[1].dids = [{ number: '74012999000' }]; }), 'mts', 'dids', 'a DID another trunk has (with or without +)');
  refusal(t, variant((d) => { d.trunks[0].dids.push({ number: '+74012999000', entry: 'ivr' }); }), 'rostelecom', 'dids[2].number', 'a DID listed twice');
  refusal(t, variant((d) => { d.trunks[0].dids[1].entry = { queue: 'Billing Dept' }; }), 'rostelecom', 'dids[1].entry', 'a bad queue id');
  refusal(t, variant((d) => { d.trunks[0].dids[0].entry = 'menu'; }), 'rostelecom', 'dids[0].entry', 'an unknown entry');
  refusal(t, variant((d) => { d.trunks[1].outbound = true; }), 'mts', 'outbound', 'a second outbound trunk');
  refusal(t, variant((d) => { d.trunks[1].name = 'rostelecom'; d.trunks[1].match = ['10.9.9.9']; }), 'rostelecom', 'name', 'two trunks of one name');
  refusal(t, variant((d) => { d.trunks[0].name = 'Rostelecom 1'; }), 'Rostelecom 1', 'name', 'a name Asterisk sections should not have');
  refusal(t, variant((d) => { d.trunks[0].port = 70000; }), 'rostelecom', 'port', 'a port out of range');
  refusal(t, variant((d) => { d.trunks[0].host = 'bad host'; }), 'rostelecom', 'host', 'a host with a blank');
  refusal(t, variant((d) => { d.trunks[0].match = ['10.20.0.0/33']; }), 'rostelecom', 'match[0]', 'a network with 33 bits');
  refusal(t, variant((d) => { delete d.trunks[1].register; }), 'mts', 'match', 'a trunk nothing identifies (no address, no registration)');
  refusal(t, variant((d) => { d.trunks[0].callerIdFrom = 'contact'; }), 'rostelecom', 'callerIdFrom', 'an unknown caller number source');
  refusal(t, variant((d) => { d.trunks[0].regsiter = {}; }), 'rostelecom', 'regsiter', 'a misspelt field');
  refusal(t, variant((d) => { d.trunks[1].register.expiration = 5; }), 'mts', 'register.expiration', 'a registration expiring too soon');
  refusal(t, variant((d) => { d.trunks[1].auth = { username: 'line1' }; }), 'mts', 'auth.password', 'an auth without a password');
  refusal(t, { trunks: [] }, null, 'trunks', 'no trunk at all');
  refusal(t, [], null, 'trunks', 'a bare array');
});

t.test('TRUNKS_FILE is read by the configuration; a TLS trunk without the server\'s certificate is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-trunks-unit-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'trunks.json');
  writeFileSync(file, JSON.stringify(good));
  const config = loadConfig({ TRUNKS_FILE: file });
  t.same(config.trunks.map((x) => x.name), ['rostelecom', 'mts']);
  t.equal(config.outboundRoute, 'PJSIP/{number}@rostelecom', 'outbound calls leave through the trunk marked outbound');
  t.equal(loadConfig({ TRUNKS_FILE: file, OUTBOUND_ROUTE: 'PJSIP/x/sip:{number}@1.2.3.4' }).outboundRoute, 'PJSIP/x/sip:{number}@1.2.3.4', 'OUTBOUND_ROUTE still wins');
  t.same(loadConfig({}).trunks, DEFAULT_TRUNKS, 'without TRUNKS_FILE: the one trunk of 127.0.0.1');
  t.equal(loadConfig({}).outboundRoute, 'PJSIP/trunk/sip:{number}@127.0.0.1:5070');
  t.equal(loadConfig({}).localAsterisk.sipBind, '127.0.0.1');
  writeFileSync(file, JSON.stringify({ trunks: [{ name: 'secure', host: '10.1.1.1', transport: 'tls' }] }));
  t.throws(() => loadConfig({ TRUNKS_FILE: file }), { code: 'CC_ERR_TRUNK_INVALID', details: { trunk: 'secure', field: 'transport' } });
  writeFileSync(file, '{"trunks": [');
  t.throws(() => loadConfig({ TRUNKS_FILE: file }), { code: 'CC_ERR_TRUNK_INVALID', details: { trunk: null } }, 'not JSON');
  t.throws(() => loadConfig({ TRUNKS_FILE: join(dir, 'missing.json') }), { code: 'CC_ERR_TRUNK_INVALID' }, 'no such file');
  t.throws(() => loadConfig({ SIP_BIND: 'everywhere' }), { code: 'CC_ERR_CONFIG_INVALID' });
});

t.test('networks overlap when one contains the other or they are the same; host names only when equal', async (t) => {
  t.ok(overlaps('10.0.0.0/8', '10.1.2.3'));
  t.ok(overlaps('192.168.1.0/24', '192.168.1.128/25'));
  t.notOk(overlaps('192.168.1.0/25', '192.168.1.128/25'));
  t.notOk(overlaps('127.0.0.1', '127.0.0.2'));
  t.ok(overlaps('0.0.0.0/0', '8.8.8.8'));
  t.ok(overlaps('SIP.carrier.example', 'sip.carrier.example'));
  t.notOk(overlaps('sip.carrier.example', '10.0.0.1'));
});

// ---- the generated PJSIP configuration

const params: AsteriskConfigParams = {
  dirs: { etc: '/r/etc', run: '/r/run', spool: '/r/spool', log: '/r/log', db: '/r/db', data: '/r/data', cache: '/r/cache', modules: '/m', sbin: '/usr/sbin' },
  httpPort: 28088, sipPort: 25060, rtpStart: 40000, rtpEnd: 40199, ariApp: 'cc-app', ariUsername: 'cc', ariPassword: '0123456789abcdef0123456789abcdef',
};

/** [name] sections of one type, as key → values. */
function sectionOf(conf: string, name: string, type: string): Map<string, string[]> | undefined {
  for (const block of conf.split(/\n(?=\[)/)) {
    // ';' starts a comment, '\;' is a literal ';' (Asterisk's config syntax).
    const lines = block.split('\n').map((l) => l.replace(/(?<!\\);.*$/, '').replace(/\\;/g, ';').trim()).filter((l) => l !== '');
    if (lines[0] !== `[${name}]`) continue;
    const values = new Map<string, string[]>();
    for (const line of lines.slice(1)) {
      const [key, ...rest] = line.split('=');
      values.set(key!.trim(), [...(values.get(key!.trim()) ?? []), rest.join('=').trim()]);
    }
    if (values.get('type')?.[0] === type) return values;
  }
  return undefined;
}

t.test('the generated pjsip.conf: each trunk\'s endpoint, AOR, identify, auths and registration on the transports it needs, bound to SIP_BIND', async (t) => {
  const trunks = parseTrunks(good);
  const pjsip = renderAsteriskConfig({ ...params, trunks, sipBind: '0.0.0.0' })['pjsip.conf']!;
  t.same(sectionOf(pjsip, 'transport-udp', 'transport')?.get('bind'), ['0.0.0.0:25060']);
  t.same(sectionOf(pjsip, 'transport-tcp', 'transport')?.get('bind'), ['0.0.0.0:25060'], 'TCP because mts uses it');
  t.notOk(sectionOf(pjsip, 'transport-tls', 'transport'), 'no TLS transport when no trunk uses TLS');

  const rt = sectionOf(pjsip, 'rostelecom', 'endpoint')!;
  t.same(rt.get('transport'), ['transport-udp']);
  t.same(rt.get('context'), ['from-trunk']);
  t.same(rt.get('trust_id_inbound'), ['yes'], 'the caller number from P-Asserted-Identity');
  t.notOk(rt.get('outbound_auth'), 'no credentials, no outbound auth');
  t.same(sectionOf(pjsip, 'rostelecom', 'identify')?.get('match'), ['10.20.0.0/24']);
  t.same(sectionOf(pjsip, 'rostelecom', 'aor')?.get('contact'), ['sip:10.20.0.5:5070'], 'the outbound trunk\'s AOR is where PJSIP/<number>@rostelecom goes');
  t.notOk(sectionOf(pjsip, 'rostelecom', 'registration'));

  const mts = sectionOf(pjsip, 'mts', 'endpoint')!;
  t.same(mts.get('transport'), ['transport-tcp']);
  t.notOk(mts.get('trust_id_inbound'), 'From is the caller number: P-Asserted-Identity is not trusted');
  t.same(mts.get('outbound_auth'), ['mts']);
  t.same(sectionOf(pjsip, 'mts', 'auth')?.get('password'), ['s3cret']);
  t.notOk(sectionOf(pjsip, 'mts', 'identify'), 'identified by its registration only (match: [])');
  t.notOk(sectionOf(pjsip, 'mts', 'aor')?.get('contact'), 'not the outbound trunk');
  const reg = sectionOf(pjsip, 'mts', 'registration')!;
  t.same(reg.get('server_uri'), ['sip:sip.carrier.example:5060;transport=tcp']);
  t.same(reg.get('client_uri'), ['sip:line1@sip.carrier.example:5060;transport=tcp']);
  t.same(reg.get('outbound_auth'), ['mts.register']);
  t.same(reg.get('line'), ['yes']);
  t.same(reg.get('endpoint'), ['mts'], 'calls on the registration\'s line are this trunk\'s');
  t.same(sectionOf(pjsip, 'mts.register', 'auth')?.get('username'), ['line1']);
  t.notMatch(pjsip, /type\s*=\s*endpoint[^[]*\n\[anonymous\]/, 'no anonymous endpoint');
  t.notMatch(pjsip, /^\[anonymous\]/m);
});

t.test('a TLS trunk gets a TLS transport on SIP_TLS_PORT with the certificate Asterisk reads', async (t) => {
  const trunks = parseTrunks({ trunks: [{ name: 'secure', host: '10.1.1.1', transport: 'tls' }] });
  const pjsip = renderAsteriskConfig({ ...params, trunks, tlsPort: 25061, tls: { certFile: '/r/etc/trunk-tls.crt', keyFile: '/r/etc/trunk-tls.key' } })['pjsip.conf']!;
  const tls = sectionOf(pjsip, 'transport-tls', 'transport')!;
  t.same(tls.get('bind'), ['127.0.0.1:25061']);
  t.same(tls.get('cert_file'), ['/r/etc/trunk-tls.crt']);
  t.same(sectionOf(pjsip, 'secure', 'endpoint')?.get('transport'), ['transport-tls']);
  t.throws(() => renderAsteriskConfig({ ...params, trunks }), /TLS/, 'never without a certificate');
});

// ---- routing, and what the IVR does with the entry

t.test('a call is routed by its channel\'s trunk and the number dialled', async (t) => {
  const trunks = parseTrunks(good);
  t.same(routeCall(trunks, 'PJSIP/rostelecom-0000002a', '+74012999001'), { trunk: 'rostelecom', did: '+74012999001', entry: { kind: 'queue', queue: 'billing' } });
  t.same(routeCall(trunks, 'PJSIP/rostelecom-0000002a', '74012999000'), { trunk: 'rostelecom', did: '+74012999000', entry: { kind: 'ivr', language: 'ru' } }, 'without the + too');
  t.same(routeCall(trunks, 'PJSIP/mts-00000001', '555'), { trunk: 'mts', did: null, entry: { kind: 'ivr', language: 'en' } }, 'an unknown number: the trunk\'s default entry');
  t.same(routeCall(trunks, 'PJSIP/elsewhere-00000001', '+74012999001').entry, { kind: 'queue', queue: 'billing' }, 'a DID is a DID whatever endpoint it comes on');
  t.same(routeCall(DEFAULT_TRUNKS, 'PJSIP/trunk-00000001', 'anything'), { trunk: 'trunk', did: null, entry: { kind: 'ivr', language: 'ru' } });
});

t.test('a call whose entry is a queue is enqueued when answered, without the menu; an English entry is greeted in English', async (t) => {
  const ctx = (entry: CallContext['entry']): CallContext => ({ callId: 'c1', menus: defaultMenus(), identified: null, ...(entry && { entry }) });
  const [queued, fx] = step(ctx({ kind: 'queue', queue: 'billing' }), { kind: 'answering', keys: '1' }, { type: 'answered' });
  t.match(queued, { kind: 'queued', queue: 'billing', lang: 'ru' });
  t.ok(fx.some((e) => e.do === 'enqueue' && e.queue === 'billing'), 'enqueued');
  t.notOk(fx.some((e) => e.do === 'note' && e.what === 'ivr_started'), 'no menu');
  const [english, efx] = step(ctx({ kind: 'ivr', language: 'en' }), { kind: 'answering', keys: '' }, { type: 'answered' });
  t.match(english, { kind: 'ivr', lang: 'en' });
  t.ok(efx.some((e) => e.do === 'note' && e.what === 'ivr_started' && e.data['language'] === 'en'));
  const [russian] = step(ctx(undefined), { kind: 'answering', keys: '' }, { type: 'answered' });
  t.match(russian, { kind: 'ivr', lang: 'ru' }, 'no entry: the Russian IVR');
});

// ---- what the monitor reads from Asterisk

const REGISTRATIONS = `
 <Registration/ServerURI..............................>  <Auth....................>  <Status.......>
==========================================================================================

 registrar-bad/sip:127.0.0.1:20123                        registrar-bad.register      Rejected         (exp. 0s)
 registrar-ok/sip:127.0.0.1:20124                         registrar-ok.register       Registered       (exp. 589s)
 plain/sip:10.0.0.1:5060                                  n/a                         Unregistered     

Objects found: 3
`;

t.test('registration states are read from `pjsip show registrations`', async (t) => {
  t.same([...parseRegistrations(REGISTRATIONS)], [['registrar-bad', 'Rejected'], ['registrar-ok', 'Registered'], ['plain', 'Unregistered']]);
  t.same([...parseRegistrations('No objects found.\n')], []);
});

t.test('a refusal is read from Asterisk\'s log line; other lines are not', async (t) => {
  const line = "[2026-12-08 01:11:30.123] NOTICE[4242] res_pjsip/pjsip_distributor.c: Request 'INVITE' from '<sip:+79990004444@127.0.0.2:20111>' failed for '127.0.0.2:20111' (callid: 1-4242@127.0.0.2) - No matching endpoint found";
  t.same(parseRefusal(line), { method: 'INVITE', from: '<sip:+79990004444@127.0.0.2:20111>', address: '127.0.0.2', port: 20111, callId: '1-4242@127.0.0.2' });
  t.same(parseRefusal("Request 'INVITE' from '<sip:x@[::1]>' failed for '[::1]:5060' (callid: a) - No matching endpoint found after 5 tries in 3.2 ms")?.address, '::1');
  t.equal(parseRefusal('[…] NOTICE[1] chan_pjsip.c: something else'), null);
});

t.test('the monitor counts refused calls once each per address, logs them, and shows registration changes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-trunks-log-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const logFile = join(dir, 'messages.log');
  writeFileSync(logFile, "old: Request 'INVITE' from '<sip:a@10.9.9.9>' failed for '10.9.9.9:5060' (callid: old) - No matching endpoint found\n");
  const lines: Array<Record<string, unknown>> = [];
  let cliOutput = 'No objects found.\n';
  const service = new TrunkService({
    trunks: parseTrunks(good), log: pino({ level: 'info' }, { write: (l: string) => { lines.push(JSON.parse(l) as Record<string, unknown>); } }),
    observer: { logFile, cli: async () => cliOutput }, logPollMs: 60_000, registrationPollMs: 60_000, clock: () => Date.parse('2026-12-08T10:00:00Z'),
  });
  await service.start();
  t.teardown(() => service.stop());
  const refused = (ip: string, callId: string, method = 'INVITE') =>
    `[x] NOTICE[1] res_pjsip/pjsip_distributor.c: Request '${method}' from '<sip:+7999@${ip}>' failed for '${ip}:5060' (callid: ${callId}) - No matching endpoint found\n`;
  appendFileSync(logFile, refused('10.5.5.5', 'c1') + refused('10.5.5.5', 'c1') + refused('10.5.5.5', 'c2') + refused('10.6.6.6', 'c3') + refused('10.6.6.6', 'o1', 'OPTIONS'));
  await service.readLog();
  const { refused: counts, trunks } = service.list();
  t.equal(counts.total, 3, 'three calls: a retransmission and an OPTIONS do not count, nor what was logged before the start');
  t.same(counts.byAddress.map((a) => [a.address, a.count]), [['10.5.5.5', 2], ['10.6.6.6', 1]]);
  t.equal(lines.filter((l) => l['msg'] === 'call refused: its address matches no trunk').length, 2, 'one line per address a minute');
  t.same(trunks.find((x) => x.name === 'mts')?.registration, { username: 'line1', state: 'unknown', since: null });
  t.equal(trunks.find((x) => x.name === 'rostelecom')?.registration, null);
  t.notMatch(JSON.stringify(service.list()), /s3cret/, 'passwords are never shown');

  cliOutput = ' mts/sip:sip.carrier.example:5060;transport=tcp   mts.register   Rejected   (exp. 0s)\n';
  await service.pollRegistrations();
  t.equal(service.list().trunks.find((x) => x.name === 'mts')?.registration?.state, 'rejected');
  t.ok(lines.some((l) => l['level'] === 50 && l['trunk'] === 'mts' && String(l['msg']).startsWith('trunk registration rejected')), 'the rejection is logged as an error');
  cliOutput = ' mts/sip:sip.carrier.example:5060;transport=tcp   mts.register   Registered   (exp. 3500s)\n';
  await service.pollRegistrations();
  t.equal(service.list().trunks.find((x) => x.name === 'mts')?.registration?.state, 'registered');
  t.ok(lines.some((l) => l['msg'] === 'trunk registered' && l['trunk'] === 'mts'));
});

t.test('without a local Asterisk to watch, states are unknown and nothing is counted', async (t) => {
  const service = new TrunkService({ trunks: parseTrunks(good) as Trunk[], log: pino({ level: 'silent' }) });
  await service.start();
  t.match(service.list(), { refused: { total: 0, watching: false, byAddress: [] } });
  await service.stop();
});
