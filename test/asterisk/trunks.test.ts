import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { loadConfig } from '../../server/config.js';
import { eventually } from '../support/fake-telephony.js';
import { addAccount, addAgent, addDeskAgent } from '../support/app.js';
import { noCallsLeft, startTestAsterisk, startTestServer, type TestServer } from '../support/asterisk.js';
import { runSipp, runSippPhone } from '../support/sipp.js';

/*
 * Carrier trunks on the real Asterisk, from a TRUNKS_FILE: sipp "carriers" on loopback
 * addresses call configured numbers (DIDs), a caller from an address no trunk matches is refused
 * and counted, Asterisk registers to two sipp registrars that demand digest authentication (one
 * with the right password, one with a wrong one), and an agent's outbound call leaves through the
 * trunk marked outbound. One Asterisk, one server.
 */

const registrarOk = await runSippPhone({ scenario: 'carrier-registrar.xml', keys: { user: 'cc-line', pass: 'right-password' }, timeoutS: 120 });
const registrarBad = await runSippPhone({ scenario: 'carrier-registrar.xml', keys: { user: 'cc-line2', pass: 'the-real-password' }, timeoutS: 120 });
// The carrier's side of outbound calls: answers, talks, hangs up.
const customer = await runSippPhone({ scenario: 'agent-hangs-up.xml', calls: 1, timeoutS: 120 });
const desk = await runSippPhone({ calls: 1, timeoutS: 120 });
t.teardown(() => { for (const p of [registrarOk, registrarBad, customer, desk]) p.kill(); });

const dir = mkdtempSync(join(tmpdir(), 'cc-trunks-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const trunksFile = join(dir, 'trunks.json');
writeFileSync(trunksFile, JSON.stringify({
  trunks: [
    {
      name: 'carrier', host: '127.0.0.1', port: customer.port, match: ['127.0.0.1'], callerIdFrom: 'pai', outbound: true,
      dids: [
        { number: '+74012999000', entry: 'ivr' },
        { number: '+74012999001', entry: { queue: 'general' } },
        { number: '+74012999002', entry: 'ivr-en' },
      ],
    },
    { name: 'carrier-b', host: '127.0.0.3', match: ['127.0.0.3/32'] },
    { name: 'carrier-tcp', host: '127.0.0.4', transport: 'tcp', match: ['127.0.0.4'], dids: [{ number: '+74012999004', entry: 'ivr-en' }] },
    { name: 'registrar-ok', host: '127.0.0.1', port: registrarOk.port, match: [], register: { username: 'cc-line', password: 'right-password', expiration: 600 } },
    { name: 'registrar-bad', host: '127.0.0.1', port: registrarBad.port, match: [], register: { username: 'cc-line2', password: 'wrong-password' } },
  ],
}, null, 2));
const env = { TRUNKS_FILE: trunksFile, SURVEY: 'off' };

const logLines: Array<{ msg: string } & Record<string, unknown>> = [];
const log = pino({ level: 'info' }, { write: (line: string) => { logLines.push(JSON.parse(line) as { msg: string }); } });

const asterisk = await startTestAsterisk(t, 'trunks', { trunks: loadConfig(env).trunks });
let deskId = 0;
const server: TestServer = await startTestServer(t, asterisk, {
  env, log, observeAsterisk: true,
  seed: async (db) => {
    await addAccount(db, '3900000001', '+74012000001');
    await db.updateTable('queues').set({ ring_s: 5, wrap_up_s: 0 }).execute();
    deskId = await addDeskAgent(db, 'desk1', desk.port);
    await addAgent(db, 'root', {}, { role: 'admin', password: 'root-password' });
  },
});
const admin = await server.loginAs('root', 'root-password');

interface TrunksReply {
  trunks: Array<{ name: string; registration: { state: string } | null }>;
  refused: { total: number; watching: boolean; byAddress: Array<{ address: string; count: number }> };
}
async function trunks(): Promise<TrunksReply> {
  const res = await admin.inject({ method: 'GET', url: '/api/trunks' });
  if (res.statusCode !== 200) throw new Error(`GET /api/trunks: ${res.statusCode} ${res.body}`);
  return res.json() as TrunksReply;
}

async function endedCall(where: { caller?: string; dialed?: string }) {
  return eventually(async () => {
    let q = server.db.selectFrom('calls').selectAll();
    if (where.caller !== undefined) q = q.where('caller_number', '=', where.caller);
    if (where.dialed !== undefined) q = q.where('dialed', '=', where.dialed);
    const row = await q.executeTakeFirst();
    return row?.ended_at != null ? row : undefined;
  }, 15_000, `the call ${JSON.stringify(where)} to be stored as ended`);
}
async function events(callId: string) {
  return server.db.selectFrom('call_events').select(['type', 'data']).where('call_id', '=', callId).orderBy('id').execute();
}
const arrival = async (callId: string) => JSON.parse((await events(callId)).find((e) => e.type === 'call_arrived')!.data) as Record<string, unknown>;

t.test('a carrier calling a configured number reaches the Russian IVR, with the number stored and the caller\'s number taken from P-Asserted-Identity', async (t) => {
  const sipp = await runSipp({
    scenario: [{ pause: 2500 }, { hangup: true }], sipPort: asterisk.sipPort, caller: '+79990001111', service: '+74012999000',
    headers: ['P-Asserted-Identity: <sip:+74012000001@127.0.0.1>'], timeoutS: 30,
  });
  t.equal((await sipp.done).code, 0, 'answered');
  const call = await endedCall({ dialed: '+74012999000' });
  t.equal(call.caller_number, '+74012000001', 'the asserted number, not the From header\'s');
  t.equal(call.identification, 'one', 'it identifies the customer');
  t.match(await arrival(call.id), { trunk: 'carrier', did: '+74012999000', entry: { kind: 'ivr', language: 'ru' } });
  t.match(JSON.parse((await events(call.id)).find((e) => e.type === 'ivr_started')!.data), { language: 'ru' });
});

t.test('a number configured for a queue goes straight to that queue, without the menu', async (t) => {
  const sipp = await runSipp({ scenario: [{ pause: 2500 }, { hangup: true }], sipPort: asterisk.sipPort, caller: '+79990002222', service: '+74012999001', timeoutS: 30 });
  t.equal((await sipp.done).code, 0, 'answered');
  const call = await endedCall({ dialed: '+74012999001' });
  const types = (await events(call.id)).map((e) => e.type);
  t.ok(types.includes('queue_entry') && types.includes('queue_joined'), `the caller joined the queue (${types.join(', ')})`);
  t.notOk(types.includes('ivr_started'), 'no menu');
  t.match(await arrival(call.id), { trunk: 'carrier', entry: { kind: 'queue', queue: 'general' } });
});

t.test('a number configured for the English IVR is greeted in English', async (t) => {
  const sipp = await runSipp({ scenario: [{ pause: 2000 }, { hangup: true }], sipPort: asterisk.sipPort, caller: '+79990003333', service: '+74012999002', timeoutS: 30 });
  t.equal((await sipp.done).code, 0, 'answered');
  const call = await endedCall({ dialed: '+74012999002' });
  t.match(JSON.parse((await events(call.id)).find((e) => e.type === 'ivr_started')!.data), { language: 'en' });
});

t.test('a second carrier whose caller number is read from From: a malformed number is stored as received and identifies nobody', async (t) => {
  const sipp = await runSipp({
    scenario: [{ pause: 2000 }, { hangup: true }], sipPort: asterisk.sipPort, caller: '12-ab', service: '74012000000', localIp: '127.0.0.3',
    headers: ['P-Asserted-Identity: <sip:+74012000001@127.0.0.3>'], timeoutS: 30,
  });
  t.equal((await sipp.done).code, 0, 'answered');
  const call = await endedCall({ dialed: '74012000000' });
  t.equal(call.caller_number, '12-ab', 'as received; the untrusted assertion is ignored');
  t.equal(call.caller_e164, null);
  t.equal(call.identification, 'none');
  t.equal(call.account_id, null);
  t.match(await arrival(call.id), { trunk: 'carrier-b', did: null, entry: { kind: 'ivr', language: 'ru' } });
});

t.test('a carrier over TCP reaches its number\'s entry', async (t) => {
  const sipp = await runSipp({
    scenario: [{ pause: 2000 }, { hangup: true }], sipPort: asterisk.sipPort, caller: '+79990006666', service: '+74012999004', localIp: '127.0.0.4', transport: 'tcp', timeoutS: 30,
  });
  t.equal((await sipp.done).code, 0, `answered: ${(await sipp.done).errors}`);
  const call = await endedCall({ dialed: '+74012999004' });
  t.match(await arrival(call.id), { trunk: 'carrier-tcp', entry: { kind: 'ivr', language: 'en' } });
  t.match(JSON.parse((await events(call.id)).find((e) => e.type === 'call_arrived')!.data), { channel: /^PJSIP\/carrier-tcp-/ });
});

t.test('a call from an address no trunk matches is refused by Asterisk, never reaches the server, and is counted and logged', async (t) => {
  const sipp = await runSipp({ scenario: 'refused-caller.xml', sipPort: asterisk.sipPort, caller: '+79990004444', service: '+74012999000', localIp: '127.0.0.2', timeoutS: 20 });
  t.equal((await sipp.done).code, 0, `answered 401: ${(await sipp.done).errors}`);
  const reply = await eventually(async () => {
    const r = await trunks();
    return r.refused.total >= 1 ? r : undefined;
  }, 10_000, 'the refused call to be counted');
  t.equal(reply.refused.watching, true);
  t.same(reply.refused.byAddress.map((a) => [a.address, a.count]), [['127.0.0.2', 1]]);
  t.ok(logLines.some((l) => l.msg === 'call refused: its address matches no trunk' && l['address'] === '127.0.0.2'), 'a line is logged');
  const rows = await server.db.selectFrom('calls').select('id').where('caller_number', '=', '+79990004444').execute();
  t.equal(rows.length, 0, 'nothing reached the Stasis application');
});

t.test('outbound registration with digest authentication shows registered; a wrong password shows rejected and is logged, and calls go on', async (t) => {
  const reply = await eventually(async () => {
    const r = await trunks();
    const state = (name: string) => r.trunks.find((x) => x.name === name)?.registration?.state;
    return state('registrar-ok') === 'registered' && state('registrar-bad') === 'rejected' ? r : undefined;
  }, 30_000, 'both registrations to settle');
  t.same(reply.trunks.find((x) => x.name === 'carrier')?.registration, null, 'a trunk identified by address does not register');
  t.equal((await registrarOk.done).code, 0, `the registrar's scenario ran to its end: ${(await registrarOk.done).errors}`);
  t.ok(logLines.some((l) => l.msg.startsWith('trunk registration rejected') && l['trunk'] === 'registrar-bad'), 'the rejection is logged');
  const sipp = await runSipp({ scenario: [{ pause: 1500 }, { hangup: true }], sipPort: asterisk.sipPort, caller: '+79990005555', service: '+74012999000', timeoutS: 30 });
  t.equal((await sipp.done).code, 0, 'a call is still taken');
  t.ok((await endedCall({ caller: '+79990005555' })).answered_at);
});

t.test('an agent\'s outbound call leaves through the trunk marked outbound', async (t) => {
  t.equal((await admin.inject({ method: 'POST', url: `/api/agents/${deskId}/login` })).statusCode, 200);
  await eventually(async () => ((await admin.inject({ method: 'GET', url: `/api/agents/${deskId}` })).json().state.kind === 'available' ? true : undefined), 10_000, 'the agent free');
  const res = await admin.inject({ method: 'POST', url: `/api/agents/${deskId}/calls`, payload: { number: '+79110000004' } });
  t.equal(res.statusCode, 201);
  const { callId } = res.json() as { callId: string };
  const row = await eventually(async () => {
    const c = await server.db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirst();
    return c?.ended_at != null ? c : undefined;
  }, 20_000, 'the outbound call to end');
  t.match(row, { direction: 'outbound', caller_number: '+79110000004', outcome: 'completed' });
  t.ok(row.answered_at, 'the carrier\'s side answered');
  t.equal((await customer.done).code, 0, `the carrier got the call at its trunk address: ${(await customer.done).errors}`);
  await admin.inject({ method: 'POST', url: `/api/agents/${deskId}/logout` });
});

t.test('no channel and no call bridge is left behind', async (t) => {
  // The queue's holding bridge stays while the server runs.
  await noCallsLeft(asterisk);
  t.pass('empty');
});
