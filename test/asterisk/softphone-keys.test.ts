import t from 'tap';
import { startBaresip } from '../support/baresip.js';
import { eventually } from '../support/fake-telephony.js';
import { noLeftovers, startTestAsterisk, startTestServer } from '../support/asterisk.js';

/*
 * A real SIP softphone (Debian's baresip) as the caller, so the keys are RFC 4733 events as a
 * phone's own RTP stack makes them, not ones the tests generate.
 */

t.test('a real softphone\'s keys reach the IVR exactly: 4, then 2222505# as an appeal number', async (t) => {
  const asterisk = await startTestAsterisk(t, 'softphone-keys');
  t.teardown(() => noLeftovers(asterisk));
  const server = await startTestServer(t, asterisk);
  const phone = await startBaresip('+79990080001');
  t.teardown(() => phone.stop());
  const events = async (callId: string) => (await server.db.selectFrom('call_events').select(['type', 'data']).where('call_id', '=', callId).orderBy('id').execute())
    .map((e) => ({ type: e.type, data: JSON.parse(e.data) as Record<string, unknown> }));
  const waitFor = (callId: string, type: string, what: string) =>
    eventually(async () => ((await events(callId)).some((e) => e.type === type) ? true : undefined), 15_000, what);

  await phone.dial(`sip:1000@127.0.0.1:${asterisk.sipPort}`);
  const call = await eventually(async () => server.db.selectFrom('calls').selectAll().where('caller_number', '=', '+79990080001').executeTakeFirst(), 15_000, 'the softphone\'s call');
  await waitFor(call.id, 'ivr_started', 'the greeting');
  await phone.sendKeys('4');
  await waitFor(call.id, 'flow_started', 'the appeal status flow');
  await phone.sendKeys('2222505#');
  await waitFor(call.id, 'number_entered', 'the appeal number');
  await phone.hangUp();
  const ended = await eventually(async () => {
    const row = await server.db.selectFrom('calls').selectAll().where('id', '=', call.id).executeTakeFirst();
    return row?.ended_at != null ? row : undefined;
  }, 15_000, 'the call to end');
  t.ok(ended.hangup_cause_text, `the call ended when the phone hung up (${ended.outcome})`);
  const history = await events(call.id);
  t.equal(history.filter((e) => e.type === 'dtmf').map((e) => e.data['digit']).join(''), '42222505#', 'every key once, in order', { output: phone.output().slice(-2000) });
  t.ok(history.some((e) => e.type === 'number_entered' && e.data['value'] === '2222505'), 'the number typed is 2222505');
});
