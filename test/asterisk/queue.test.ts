import t from 'tap';
import { eventually } from '../support/fake-telephony.js';
import { ariGet, noLeftovers, startDeskServer, startTestAsterisk } from '../support/asterisk.js';
import { runSipp, runSippPhone } from '../support/sipp.js';
import { KEY_MODES } from '../support/sipp-script.js';

/*
 * A real caller (sipp) presses 0 and waits; an agent's desk phone (a sipp UAS that does not
 * register: the agent's fixed SIP contact) answers; both talk through a mixing bridge. Once for
 * each way a caller's key travels (SIP INFO, RFC 2833 in the RTP).
 */

interface RtpStats { txcount: number; rxcount: number }

for (const keyMode of KEY_MODES) t.test(`a caller who presses 0 (${keyMode === 'info' ? 'SIP INFO' : 'RFC 2833'}) reaches a plain-SIP agent phone, audio flows both ways, and hanging up frees everything`, async (t) => {
  const asterisk = await startTestAsterisk(t, `queue-${keyMode}`);
  const phone = await runSippPhone({ timeoutS: 60 });
  t.teardown(() => phone.kill());
  const { server, agentId, boss: api } = await startDeskServer(t, asterisk, phone.port);
  const login = await api.inject({ method: 'POST', url: `/api/agents/${agentId}/login` });
  t.equal(login.json().state.kind, 'available');

  const caller = await runSipp({ scenario: [{ keys: '0' }, { pause: 7000 }, { hangup: true }], sipPort: asterisk.sipPort, caller: '+74012000001', timeoutS: 40, keyMode });
  const call = await eventually(async () => {
    const row = await server.db.selectFrom('calls').selectAll().where('caller_number', '=', '+74012000001').executeTakeFirst();
    return row?.agent_id != null ? row : undefined;
  }, 15_000, 'the agent to answer');
  t.equal(call.agent_id, agentId);
  t.equal((await api.inject({ method: 'GET', url: `/api/agents/${agentId}` })).json().state.kind, 'on_call');

  // Two-way audio, as Asterisk counts RTP packets on both legs of the bridge.
  const bridges = await ariGet<Array<{ bridge_type: string; channels: string[] }>>(asterisk, '/bridges');
  const mixing = bridges.find((b) => b.bridge_type === 'mixing' && b.channels.length === 2);
  t.ok(mixing, 'a mixing bridge holds the caller and the agent');
  const legs = await eventually(async () => {
    const stats = await Promise.all(mixing!.channels.map((id) => ariGet<RtpStats>(asterisk, `/channels/${id}/rtp_statistics`)));
    return stats.every((s) => s.rxcount > 20 && s.txcount > 20) ? stats : undefined;
  }, 8000, 'RTP both ways on both legs');
  t.equal(legs.length, 2);
  t.ok(mixing!.channels.includes(call.channel_id), 'the caller is in the bridge');

  t.equal((await caller.done).code, 0, 'the caller hung up cleanly');
  t.equal((await phone.done).code, 0, 'the agent phone was hung up cleanly');
  const ended = await eventually(async () => {
    const row = await server.db.selectFrom('calls').selectAll().where('id', '=', call.id).executeTakeFirst();
    return row?.ended_at != null ? row : undefined;
  }, 10_000, 'the call to end');
  t.equal(ended.outcome, 'completed');
  // The agent's leg ends a moment after the caller's (the queue hangs it up): wait for it.
  const agent = await eventually(async () => {
    const a = (await api.inject({ method: 'GET', url: `/api/agents/${agentId}` })).json();
    return ['wrap_up', 'available'].includes(a.state.kind) ? a : undefined;
  }, 5000, 'the agent to wrap up');
  t.ok(agent, `the agent wraps up (${agent.state.kind})`);
  const history = await server.db.selectFrom('call_events').select('type').where('call_id', '=', call.id).execute();
  for (const type of ['operator_requested', 'queue_entered', 'queue_offered', 'queue_answered', 'agent_connected']) {
    t.ok(history.some((e) => e.type === type), `the history has ${type}`);
  }
  // Holding bridges stay for the next caller; nothing else may remain.
  await eventually(async () => {
    const channels = await ariGet<unknown[]>(asterisk, '/channels');
    const left = (await ariGet<Array<{ bridge_type: string }>>(asterisk, '/bridges')).filter((b) => b.bridge_type !== 'holding');
    return channels.length === 0 && left.length === 0 ? true : undefined;
  }, 10_000, 'no channel and no call bridge left');
  await server.http.close();
  await noLeftovers(asterisk).catch(() => undefined);
});
