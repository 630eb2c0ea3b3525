import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { AgentPhones } from '../../server/agents/phones.js';
import { AriConnection } from '../../server/ari/connection.js';
import type { AsteriskInstance } from '../../server/asterisk/instance.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import type { NewAgent } from '../../server/db/schema.js';
import { noLeftovers, startTestAsterisk, TEST_APP } from '../support/asterisk.js';
import { eventually } from '../support/fake-telephony.js';
import { runSippPhone } from '../support/sipp.js';

const scenarios = new URL('../support/sipp/', import.meta.url).pathname;

/** A SIP phone registering once as `username` (sipp, scenario agent-registers.xml); resolves with sipp's exit code. */
function register(asterisk: AsteriskInstance, username: string, password: string): Promise<number | null> {
  const child = spawn('sipp', [
    `127.0.0.1:${asterisk.sipPort}`, '-sf', `${scenarios}agent-registers.xml`, '-i', '127.0.0.1', '-p', '0',
    '-s', username, '-au', username, '-ap', password, '-m', '1', '-nostdin', '-timeout', '10s', '-timeout_error',
  ], { stdio: 'ignore', cwd: tmpdir() });
  return new Promise((resolve) => child.on('close', resolve));
}

const contacts = async (asterisk: AsteriskInstance, aor: string) =>
  (await asterisk.cli(`pjsip show aor ${aor}`)).split('\n').filter((l) => /Contact:\s+\S+\/sip:/.test(l));

type Teardown = { teardown(fn: () => unknown): void };

async function ari(asterisk: AsteriskInstance, method: string, path: string): Promise<{ status: number; body: any }> {
  const { url, username, password } = asterisk.ari;
  const res = await fetch(`${url}/ari${path}`, {
    method, headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

const endpointStatus = async (asterisk: AsteriskInstance, name: string) => (await ari(asterisk, 'GET', `/endpoints/PJSIP/${name}`)).status;

async function agentsDb(t: Teardown, agents: NewAgent[]): Promise<Db> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-phones-'));
  const db = openDatabase(join(dir, 'cc.db'));
  t.teardown(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  await migrateToLatest(db);
  await db.insertInto('agents').values(agents).execute();
  return db;
}

const agent = (username: string, more: Partial<NewAgent> = {}): NewAgent => ({
  // Every column given: a multi-row insert into SQLite puts NULL, not the default, in a column one row leaves out.
  username, display_name: username, role: 'agent', password_hash: 'x', sip_password: `${username}-sip-secret`, language: 'ru',
  active: 1, phone_kind: 'webrtc', sip_contact: null, created_at: '2026-11-25T12:00:00.000Z', ...more,
});

async function connect(t: Teardown, asterisk: AsteriskInstance): Promise<AriConnection> {
  const conn = new AriConnection({ ...asterisk.ari, app: TEST_APP, log: pino({ level: 'silent' }), maxBackoffMs: 500 });
  t.teardown(() => conn.close());
  await conn.start(10_000);
  if (!conn.connected) throw new Error('no ARI connection');
  return conn;
}

t.test('agents\' phones pushed from the database are real PJSIP endpoints: a desk phone takes a call, a softphone gets WebRTC settings, and both come back after an Asterisk restart only once synchronised again', async (t) => {
  const asterisk = await startTestAsterisk(t, 'agent-phones');
  const phone = await runSippPhone({ timeoutS: 60 });
  t.teardown(() => phone.kill());
  const db = await agentsDb(t, [
    agent('desk1', { phone_kind: 'sip', sip_contact: `sip:desk1@127.0.0.1:${phone.port}` }),
    agent('browser1'),
    agent('gone1', { active: 0 }),
  ]);
  const conn = await connect(t, asterisk);
  const phones = new AgentPhones(db, conn, pino({ level: 'silent' }));

  t.equal(await endpointStatus(asterisk, 'desk1'), 404, 'no agent endpoint before synchronising');
  await phones.syncAll();
  t.equal(await endpointStatus(asterisk, 'desk1'), 200, 'the desk phone\'s endpoint exists');
  t.equal(await endpointStatus(asterisk, 'browser1'), 200, 'the softphone\'s endpoint exists');
  t.equal(await endpointStatus(asterisk, 'gone1'), 404, 'an inactive agent has none');

  const browser = await ari(asterisk, 'GET', '/asterisk/config/dynamic/res_pjsip/endpoint/browser1');
  const fields = new Map((browser.body as Array<{ attribute: string; value: string }>).map((f) => [f.attribute, f.value]));
  t.match(Object.fromEntries(fields), {
    webrtc: 'yes', media_encryption: 'dtls', ice_support: 'true', transport: 'transport-ws', context: 'from-agents',
  }, 'the softphone endpoint has WebRTC settings');
  t.match(await asterisk.cli('pjsip show aor desk1'), `sip:desk1@127.0.0.1:${phone.port}`, 'the desk phone\'s fixed contact is on its AOR');
  const auth = await ari(asterisk, 'GET', '/asterisk/config/dynamic/res_pjsip/auth/desk1');
  t.ok((auth.body as Array<{ attribute: string; value: string }>).some((f) => f.attribute === 'password' && f.value === 'desk1-sip-secret'),
    'the auth carries the agent\'s SIP password from the database');

  const entered = new Promise<string>((resolve) => {
    const off = conn.onEvent((e) => { if (e.type === 'channel_entered') { off(); resolve(e.channel.id); } });
  });
  const originate = await ari(asterisk, 'POST', `/channels?endpoint=PJSIP/desk1&app=${TEST_APP}&timeout=10`);
  t.equal(originate.status, 200, 'the originate to the agent is accepted');
  const channelId = await entered;
  t.equal(channelId, originate.body.id, 'the desk phone answered: the agent\'s channel entered the Stasis application');
  const listed = await eventually(async () => {
    const channels = (await ari(asterisk, 'GET', '/channels')).body as Array<{ id: string; state: string; name: string }>;
    return channels.find((c) => c.id === channelId && c.state === 'Up');
  }, 5000, 'the agent\'s channel to be up');
  t.match(listed.name, /^PJSIP\/desk1-/);
  t.equal((await ari(asterisk, 'DELETE', `/channels/${channelId}`)).status, 204, 'hung up');
  const call = await phone.done;
  t.equal(call.code, 0, `the phone saw INVITE, ACK and BYE: ${call.errors}`);
  t.equal(call.successful, 1);
  await noLeftovers(asterisk);

  await asterisk.restart();
  await eventually(() => (conn.connected ? true : undefined), 20_000, 'ARI to reconnect');
  t.equal(await endpointStatus(asterisk, 'desk1'), 404, 'a restart loses the pushed endpoints');
  t.equal(await endpointStatus(asterisk, 'browser1'), 404);
  t.equal(await endpointStatus(asterisk, 'trunk'), 200, 'but not pjsip.conf\'s');
  t.same(await phones.syncAll(), { pushed: 2, unchanged: 0, removed: 1, skipped: 0 });
  t.equal(await endpointStatus(asterisk, 'desk1'), 200, 'synchronising brings them back');
  t.equal(await endpointStatus(asterisk, 'browser1'), 200);
});

t.test('synchronising again after a reconnection leaves unchanged phones alone, so a registered phone stays registered', async (t) => {
  const asterisk = await startTestAsterisk(t, 'agent-phones-reg');
  const db = await agentsDb(t, [agent('desk2', { phone_kind: 'sip' })]);
  const conn = await connect(t, asterisk);
  const phones = new AgentPhones(db, conn, pino({ level: 'silent' }));
  t.same(await phones.syncAll(), { pushed: 1, unchanged: 0, removed: 0, skipped: 0 });
  t.equal(await register(asterisk, 'desk2', 'desk2-sip-secret'), 0, 'the phone registers with the password from the database');
  t.equal((await contacts(asterisk, 'desk2')).length, 1, 'registered');

  const restarted = new AgentPhones(db, conn, pino({ level: 'silent' }));
  t.same(await restarted.syncAll(), { pushed: 0, unchanged: 1, removed: 0, skipped: 0 }, 'a new server finds the phone as it would push it');
  t.equal((await contacts(asterisk, 'desk2')).length, 1, 'still registered');

  await db.updateTable('agents').set({ sip_password: 'a-new-secret' }).where('username', '=', 'desk2').execute();
  t.same(await restarted.syncAll(), { pushed: 1, unchanged: 0, removed: 0, skipped: 0 }, 'a changed password is pushed');
  t.not(await register(asterisk, 'desk2', 'desk2-sip-secret'), 0, 'the old password no longer registers');
  t.equal(await register(asterisk, 'desk2', 'a-new-secret'), 0, 'the new one does');
});

t.test('deactivating an agent and synchronising it removes its endpoint; switching a phone to SIP drops its WebRTC settings', async (t) => {
  const asterisk = await startTestAsterisk(t, 'agent-phones-sync');
  const db = await agentsDb(t, [agent('op1')]);
  const conn = await connect(t, asterisk);
  const phones = new AgentPhones(db, conn, pino({ level: 'silent' }));
  await phones.syncAll();
  const { id } = await db.selectFrom('agents').select('id').where('username', '=', 'op1').executeTakeFirstOrThrow();

  await db.updateTable('agents').set({ phone_kind: 'sip' }).where('id', '=', id).execute();
  await phones.sync(id);
  const fields = (await ari(asterisk, 'GET', '/asterisk/config/dynamic/res_pjsip/endpoint/op1')).body as Array<{ attribute: string; value: string }>;
  const value = (name: string) => fields.find((f) => f.attribute === name)?.value;
  t.equal(value('transport'), 'transport-udp');
  t.equal(value('media_encryption'), 'no', 'no DTLS left over from the softphone');
  t.equal(value('webrtc'), 'no');

  await db.updateTable('agents').set({ active: 0 }).where('id', '=', id).execute();
  await phones.sync(id);
  t.equal(await endpointStatus(asterisk, 'op1'), 404);
  t.equal((await ari(asterisk, 'GET', '/asterisk/config/dynamic/res_pjsip/auth/op1')).status, 404, 'its auth is gone too');
  await phones.sync(id);
  t.pass('removing a phone that is already gone is not an error');
});
