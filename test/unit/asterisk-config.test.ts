import t from 'tap';
import { renderAsteriskConfig, renderTemplate, type AsteriskConfigParams } from '../../server/asterisk/config-files.js';
import { parseClassicMirrors, parseDeb822Mirrors } from '../../server/asterisk/host-packages.js';
import { rootKey, rootPath } from '../../server/asterisk/install.js';

const params: AsteriskConfigParams = {
  dirs: {
    etc: '/var/lib/contact-center/t1/etc',
    run: '/var/lib/contact-center/t1/run',
    spool: '/var/lib/contact-center/t1/spool',
    log: '/var/lib/contact-center/t1/log',
    db: '/var/lib/contact-center/t1/db',
    data: '/var/lib/contact-center/t1/data',
    cache: '/var/lib/contact-center/t1/cache',
    modules: '/usr/lib/x86_64-linux-gnu/asterisk/modules',
    sbin: '/usr/sbin',
  },
  httpPort: 28088,
  sipPort: 25060,
  rtpStart: 40000,
  rtpEnd: 40199,
  ariApp: 'cc-app',
  ariUsername: 'cc',
  ariPassword: '0123456789abcdef0123456789abcdef',
};

interface Section {
  name: string;
  values: Map<string, string[]>;
}

/** Asterisk's config syntax, enough for these checks: sections may repeat (pjsip.conf). */
function sections(text: string): Section[] {
  const out: Section[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/;.*$/, '').trim();
    if (line === '') continue;
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      out.push({ name: header[1]!, values: new Map() });
      continue;
    }
    const entry = /^([^=]+?)\s*=>?\s*(.*)$/.exec(line);
    const current = out.at(-1);
    if (!entry || !current) throw new Error(`unparsable line: ${raw}`);
    const key = entry[1]!.trim();
    current.values.set(key, [...(current.values.get(key) ?? []), entry[2]!.trim()]);
  }
  return out;
}

function section(text: string, name: string, type?: string): Section {
  const found = sections(text).find((s) => s.name === name && (type === undefined || s.values.get('type')?.[0] === type));
  if (!found) throw new Error(`no section [${name}]${type ? ` of type ${type}` : ''}`);
  return found;
}

const files = renderAsteriskConfig(params);
const file = (name: string): string => {
  const text = files[name];
  if (text === undefined) throw new Error(`${name} was not generated`);
  return text;
};

t.test('ARI is served on 127.0.0.1 only, on the given HTTP port, with the session limit raised', async (t) => {
  const general = section(file('http.conf'), 'general');
  t.same(general.values.get('enabled'), ['yes']);
  t.same(general.values.get('bindaddr'), ['127.0.0.1']);
  t.same(general.values.get('bindport'), ['28088']);
  t.same(general.values.get('sessionlimit'), ['1000'], 'the default 100 ran out under load');
  t.notOk(/tlsenable\s*=\s*yes/.test(file('http.conf')));
});

t.test('the ARI user carries the given name and password', async (t) => {
  t.same(section(file('ari.conf'), 'general').values.get('enabled'), ['yes']);
  const user = section(file('ari.conf'), 'cc', 'user');
  t.same(user.values.get('password'), [params.ariPassword]);
  t.same(user.values.get('password_format'), ['plain']);
});

t.test('SIP listens on the given port of 127.0.0.1 and calls from 127.0.0.1 are the trunk', async (t) => {
  const pjsip = file('pjsip.conf');
  t.same(section(pjsip, 'transport-udp', 'transport').values.get('bind'), ['127.0.0.1:25060']);
  t.same(section(pjsip, 'trunk', 'identify').values.get('match'), ['127.0.0.1']);
  const trunk = section(pjsip, 'trunk', 'endpoint');
  t.same(trunk.values.get('context'), ['from-trunk']);
  t.same(trunk.values.get('language'), ['ru']);
  t.same(trunk.values.get('allow'), ['alaw,ulaw']);
  t.same(section(pjsip, 'global', 'global').values.get('endpoint_identifier_order'), ['username,ip,anonymous']);
});

t.test('agents\' endpoints, auths and AORs may be pushed into memory beside pjsip.conf\'s, and no agent is hard-coded', async (t) => {
  const pjsip = section(file('sorcery.conf'), 'res_pjsip');
  for (const type of ['endpoint', 'auth', 'aor']) {
    t.same(pjsip.values.get(type), [`config,pjsip.conf,criteria=type=${type}`, 'memory'], type);
  }
  const endpoints = sections(file('pjsip.conf')).filter((s) => s.values.get('type')?.[0] === 'endpoint').map((s) => s.name);
  t.same(endpoints, ['trunk']);
});

t.test('browser softphones reach SIP over a WebSocket transport on loopback', async (t) => {
  const ws = section(file('pjsip.conf'), 'transport-ws', 'transport');
  t.same(ws.values.get('protocol'), ['ws']);
  t.same(ws.values.get('bind'), ['127.0.0.1']);
  t.notMatch(file('modules.conf'), /res_pjsip_transport_websocket/, 'its module is not kept from loading');
});

t.test('there is no anonymous endpoint, so calls from unknown addresses are refused', async (t) => {
  const endpoints = sections(file('pjsip.conf')).filter((s) => s.values.get('type')?.[0] === 'endpoint');
  t.same(endpoints.map((s) => s.name), ['trunk']);
});

t.test('every request URI is handed to the given Stasis application, and the product has no benchmark extensions', async (t) => {
  const context = section(file('extensions.conf'), 'from-trunk');
  const extens = context.values.get('exten') ?? [];
  t.same(extens.map((e) => e.split(',')[0]), ['_[!-~]!', 'h'], 'one catch-all pattern, and h');
  t.match(extens[0], /,1,Stasis\(cc-app\)$/);
  t.notMatch(extens[1], /Stasis/, 'a hung-up channel is not sent back into the application');
  t.notMatch(file('extensions.conf'), /#include/);
  t.notMatch(file('queues.conf'), /#include|\[bench\]/);
  t.notOk(files['extensions-bench.conf'], 'no benchmark dialplan file');
});

t.test('the benchmark\'s Asterisk also gets the plain-dialplan menu (8000, 8001) and app_queue\'s queue (8100)', async (t) => {
  const bench = renderAsteriskConfig({ ...params, bench: true });
  t.match(bench['extensions.conf'], /^#include extensions-bench\.conf$/m);
  t.match(bench['queues.conf'], /^#include queues-bench\.conf$/m);
  const extra = bench['extensions-bench.conf'] ?? '';
  // Appended to [from-trunk] ((+)): its exact numbers win over the catch-all pattern.
  t.match(extra, /^\[from-trunk\]\(\+\)$/m);
  const extens = sections(extra.replace('[from-trunk](+)', '[from-trunk]')).find((s) => s.name === 'from-trunk')?.values.get('exten') ?? [];
  t.same(extens.map((e) => e.split(',')[0]), ['8000', '8001', '8100']);
  for (const exten of extens) t.notMatch(exten, /Stasis/, 'the plain-dialplan menu and app_queue of npm run bench');
  t.same(section(bench['queues-bench.conf'] ?? '', 'bench').values.get('strategy'), ['leastrecent']);
});

t.test('RTP uses the given port range', async (t) => {
  const general = section(file('rtp.conf'), 'general');
  t.same(general.values.get('rtpstart'), ['40000']);
  t.same(general.values.get('rtpend'), ['40199']);
});

t.test('every folder Asterisk writes to is in the run folder', async (t) => {
  const dirs = section(file('asterisk.conf'), 'directories');
  for (const key of ['astetcdir', 'astrundir', 'astspooldir', 'astlogdir', 'astdbdir', 'astdatadir', 'astcachedir']) {
    t.match(dirs.values.get(key)?.[0], /^\/var\/lib\/contact-center\/t1\//, key);
  }
  t.same(dirs.values.get('astmoddir'), ['/usr/lib/x86_64-linux-gnu/asterisk/modules']);
  t.same(section(file('logger.conf'), 'logfiles').values.get('messages.log'), ['notice,warning,error,verbose']);
  t.same(section(file('musiconhold.conf'), 'default').values.get('directory'), ['/var/lib/contact-center/t1/data/moh']);
});

t.test('app_queue gets a queues.conf so it loads, and the modules that open ports of their own do not', async (t) => {
  t.ok(files['queues.conf']);
  const noload = section(file('modules.conf'), 'modules').values.get('noload') ?? [];
  for (const module of ['chan_dahdi.so', 'chan_iax2.so', 'pbx_dundi.so']) t.ok(noload.includes(module), module);
  for (const module of noload) t.notMatch(module, /^(res_pjsip\.so|res_ari|res_stasis|app_stasis|app_queue|chan_pjsip|res_http_websocket)/);
});

t.test('no placeholder is left in any generated file', async (t) => {
  for (const [name, text] of Object.entries(files)) t.notMatch(text, /\{\{/, name);
});

t.test('a template placeholder without a value is refused', async (t) => {
  t.throws(() => renderTemplate('bindport = {{HTTP_PROT}}', { HTTP_PORT: '1' }), /HTTP_PROT/);
});

t.test('a value holding a line break is refused, since it could add lines to the file', async (t) => {
  t.throws(() => renderTemplate('password = {{P}}', { P: 'x\n[evil]' }), /line break/);
});

t.test('a Stasis application name that the dialplan could not hold is refused', async (t) => {
  t.throws(() => renderAsteriskConfig({ ...params, ariApp: 'my app)' }), /ariApp/);
  t.throws(() => renderAsteriskConfig({ ...params, rtpStart: 40000, rtpEnd: 39000 }), /rtpEnd/);
});

t.test('the Debian mirror is the first deb URI of debian.sources, skipping the security archive', async (t) => {
  const text = [
    'Types: deb',
    'URIs: http://mirror.example/debian-security',
    'Suites: bookworm-security',
    'Components: main',
    '',
    'Types: deb deb-src',
    'URIs: http://mirror.example/debian',
    'Suites: bookworm bookworm-updates',
    'Components: main',
  ].join('\n');
  t.same(parseDeb822Mirrors(text), ['http://mirror.example/debian']);
  t.same(parseDeb822Mirrors('Types: deb-src\nURIs: http://x.example/debian\nSuites: bookworm\n'), []);
});

t.test('a classic sources.list line gives the mirror, options and comments aside', async (t) => {
  const text = [
    '# deb http://old.example/debian bookworm main',
    'deb-src http://src.example/debian bookworm main',
    'deb http://security.example/debian-security bookworm-security main',
    'deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] https://mirror.example/debian bookworm main',
  ].join('\n');
  t.same(parseClassicMirrors(text), ['https://mirror.example/debian']);
});

t.test('the Asterisk root is named by 12 hex digits of its recipe', async (t) => {
  t.match(rootKey(), /^[0-9a-f]{12}$/);
  t.equal(rootPath('/var/cache/x'), `/var/cache/x/asterisk-root-${rootKey()}`);
});
