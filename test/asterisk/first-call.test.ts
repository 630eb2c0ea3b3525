import t from 'tap';
import { eventually } from '../support/fake-telephony.js';
import { addAccount } from '../support/app.js';
import { noLeftovers, startTestAsterisk, startTestServer, type TestServer } from '../support/asterisk.js';
import { runSipp } from '../support/sipp.js';

async function callsFrom(server: TestServer, caller: string) {
  return server.db.selectFrom('calls').selectAll().where('caller_number', '=', caller).orderBy('started_at').execute();
}

t.test('a real SIP call is answered in the Stasis app, greeted in Russian, and stored with its times and outcome when the caller hangs up', async (t) => {
  const asterisk = await startTestAsterisk(t, 'first-call');
  const server = await startTestServer(t, asterisk);
  const accountId = await addAccount(server.db, '3900000001', '+74012000001');

  const sipp = await runSipp({ scenario: [{ pause: 3000 }, { hangup: true }], sipPort: asterisk.sipPort, caller: '+74012000001', timeoutS: 30 });
  const result = await sipp.done;
  t.equal(result.code, 0, `sipp succeeded: ${result.errors}`);

  const [call] = await eventually(async () => {
    const rows = await callsFrom(server, '+74012000001');
    return rows.length === 1 && rows[0]!.ended_at !== null ? rows : undefined;
  }, 10_000, 'the call to be stored as ended');
  t.equal(call!.caller_e164, '+74012000001');
  t.equal(call!.identification, 'one');
  t.equal(call!.account_id, accountId);
  t.equal(call!.outcome, 'abandoned', 'the caller left without being served');
  t.equal(call!.hangup_cause_text, 'Normal Clearing');
  t.ok(call!.answered_at, 'answered');
  t.ok(call!.started_at <= call!.answered_at! && call!.answered_at! <= call!.ended_at!, 'start, answer and end in order');
  const events = await server.db.selectFrom('call_events').select(['type', 'data']).where('call_id', '=', call!.id).orderBy('id').execute();
  const types = events.map((e) => e.type);
  t.same(types.slice(0, 4), ['call_arrived', 'started', 'answered', 'ivr_started']);
  t.equal(types.at(-1), 'hung_up');
  const heard = events.filter((e) => e.type === 'media_started').map((e) => (JSON.parse(e.data) as { media: string }).media);
  t.match(heard[0], /^sound:\/var\/cache\/contact-center\/prompts\/ru\//, 'Asterisk played the synthesized Russian greeting');
  await noLeftovers(asterisk);
});

t.test('a call to any request URI (a name, an E.164 number, a short number) reaches the Russian IVR, and what was dialled is stored with the call', async (t) => {
  const asterisk = await startTestAsterisk(t, 'any-uri');
  const server = await startTestServer(t, asterisk);
  const dialled = ['anything', 'Support-Line.2', '+74012345678', '112'];
  for (const [i, service] of dialled.entries()) {
    const caller = `+7999005000${i}`;
    const sipp = await runSipp({ scenario: [{ pause: 1500 }, { hangup: true }], sipPort: asterisk.sipPort, caller, service, timeoutS: 30 });
    const result = await sipp.done;
    t.equal(result.code, 0, `sip:${service}@… answered (not 404): ${result.errors}`);
    const [call] = await eventually(async () => {
      const rows = await callsFrom(server, caller);
      return rows[0]?.ended_at != null ? rows : undefined;
    }, 10_000, `the call to ${service} to be stored`);
    t.equal(call!.dialed, service, `dialled ${service} is stored`);
    const events = await server.db.selectFrom('call_events').select(['type', 'data']).where('call_id', '=', call!.id).orderBy('id').execute();
    t.match(JSON.parse(events.find((e) => e.type === 'call_arrived')!.data), { dialed: service });
    t.match(JSON.parse(events.find((e) => e.type === 'ivr_started')?.data ?? '{}'), { language: 'ru' }, `${service}: the default entry, the Russian IVR`);
  }
  await noLeftovers(asterisk);
});

t.test('when Asterisk restarts under a running server, the call that was up is recorded as failed and the next call is taken', async (t) => {
  const asterisk = await startTestAsterisk(t, 'restart');
  const server = await startTestServer(t, asterisk);

  const first = await runSipp({ scenario: [{ waitBye: 30_000 }], sipPort: asterisk.sipPort, caller: '+74012000011', timeoutS: 30 });
  await eventually(async () => (await callsFrom(server, '+74012000011'))[0]?.answered_at ?? undefined, 10_000, 'the first call to be answered');
  await asterisk.restart();
  first.kill();

  await eventually(() => (server.telephony.connected ? true : undefined), 20_000, 'the server to reconnect');
  const [lost] = await eventually(async () => {
    const rows = await callsFrom(server, '+74012000011');
    return rows[0]?.ended_at != null ? rows : undefined;
  }, 10_000, 'the interrupted call to be closed');
  t.equal(lost!.outcome, 'failed');

  const second = await runSipp({ scenario: [{ pause: 1500 }, { hangup: true }], sipPort: asterisk.sipPort, caller: '+74012000012', timeoutS: 30 });
  t.equal((await second.done).code, 0, 'the next call is taken');
  const [next] = await eventually(async () => {
    const rows = await callsFrom(server, '+74012000012');
    return rows[0]?.ended_at != null ? rows : undefined;
  }, 10_000, 'the next call to be stored');
  t.ok(next!.answered_at, 'answered');
  t.equal(next!.outcome, 'abandoned');
  await noLeftovers(asterisk);
});
