import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import type { TelephonyEvent } from '../../server/ari/port.js';
import { readWavHeader } from '../../server/recordings/wav.js';
import { say } from '../../ivr/speech.js';
import { eventually } from '../support/fake-telephony.js';
import { ariGet, startDeskServer, startTestAsterisk } from '../support/asterisk.js';
import { runSipp, runSippPhone } from '../support/sipp.js';

/*
 * The general queue records. A real caller (sipp, sending g711a audio) presses 0, a desk phone
 * (sipp at the agent's fixed contact, sending audio too) answers at once, so the caller meets
 * the agent only when the notice has played in full; they talk for about four seconds of
 * recording and the caller's line is hung up. Asterisk's playback events (through the server's
 * own ARI connection) show the notice was played on the caller's channel, and a supervisor
 * fetches the recording as a WAV with real audio in it.
 */

t.test('a recorded call: the caller hears the notice, then the conversation is recorded to a playable WAV a supervisor may fetch', async (t) => {
  const asterisk = await startTestAsterisk(t, 'recording');
  const phone = await runSippPhone({ timeoutS: 60 });
  t.teardown(() => phone.kill());
  // The caller's line is hung up by the test: no survey after the agent.
  const { server, agentId, boss } = await startDeskServer(t, asterisk, phone.port, { SURVEY: 'off' });
  const general = ((await boss.inject({ method: 'GET', url: '/api/queues' })).json() as Array<Record<string, unknown>>).find((q) => q.id === 'general')!;
  const { id: _, ...body } = general;
  t.equal((await boss.inject({ method: 'PUT', url: '/api/queues/general', payload: { ...body, recording: true } })).json().recording, true, 'general records');

  // What Asterisk reports of playbacks, as the server's ARI connection hears it.
  const playbacks: Array<TelephonyEvent & { at: number }> = [];
  t.teardown(server.telephony.onEvent((e) => {
    if (e.type === 'media_started' || e.type === 'playback_finished') playbacks.push({ ...e, at: Date.now() });
  }));
  const noticeMedia = await server.speech.media([say('recording_notice')], 'ru');

  t.equal((await boss.inject({ method: 'POST', url: `/api/agents/${agentId}/login` })).json().state.kind, 'available', 'the agent is free');

  const caller = await runSipp({ scenario: [{ keys: '0' }, { waitBye: 30_000 }], sipPort: asterisk.sipPort, caller: '+74012000001', timeoutS: 40 });
  const call = await eventually(async () => server.db.selectFrom('calls').selectAll().where('caller_number', '=', '+74012000001').executeTakeFirst(), 10_000, 'the call');
  const recording = await eventually(async () => server.db.selectFrom('recordings').selectAll().where('call_id', '=', call.id).executeTakeFirst(), 20_000, 'the recording to start');
  t.equal(recording.status, 'recording', 'recording started');

  // The notice, on the caller's channel, started and finished before the recording (which starts once both are bridged).
  const started = playbacks.find((e) => e.type === 'media_started' && e.playbackId.includes('recording-notice'));
  const finished = playbacks.find((e) => e.type === 'playback_finished' && e.playbackId.includes('recording-notice'));
  t.ok(started && finished, 'PlaybackStarted and PlaybackFinished of the notice');
  if (started?.type !== 'media_started' || finished?.type !== 'playback_finished') return;
  t.equal(started.channelId, call.channel_id, 'played to the caller');
  t.equal(finished.channelId, call.channel_id, 'and finished there');
  t.same(started.media, noticeMedia[0], 'the notice\'s own audio');
  t.ok(finished.at - started.at > 1500, `played in full (${finished.at - started.at} ms)`);
  t.ok(finished.at <= Date.parse(recording.started_at), 'over before the recording started');
  const queueEntered = playbacks.find((e) => e.type === 'media_started' && e.playbackId !== started.playbackId && e.channelId === call.channel_id && e.at > started.at);
  t.ok(queueEntered === undefined || queueEntered.at >= finished.at, 'nothing else was said over it');

  // About four seconds of conversation, as the file in Asterisk's spool grows (ARI gives a live
  // recording no duration): 8 kHz 16-bit is 16,000 bytes a second.
  const spoolFile = join(asterisk.runDir, 'spool', 'recording', `${recording.name}.wav`);
  await eventually(async () => ((await stat(spoolFile).catch(() => undefined))?.size ?? 0) >= 44 + 4 * 16_000 ? true : undefined, 10_000, 'four seconds recorded');
  t.equal((await ariGet<{ state: string }>(asterisk, `/recordings/live/${recording.name}`)).state, 'recording', 'still recording');
  await fetch(`${asterisk.ari.url}/ari/channels/${call.channel_id}`, {
    method: 'DELETE', headers: { authorization: `Basic ${Buffer.from(`${asterisk.ari.username}:${asterisk.ari.password}`).toString('base64')}` },
  });
  t.equal((await caller.done).code, 0, 'the caller was hung up cleanly');
  t.equal((await phone.done).code, 0, 'the agent phone was hung up cleanly');

  const done = await eventually(async () => {
    const row = await server.db.selectFrom('recordings').selectAll().where('id', '=', recording.id).executeTakeFirst();
    return row?.status !== 'recording' ? row : undefined;
  }, 10_000, 'the recording to complete');
  t.match(done, { status: 'done', format: 'wav', agent_id: agentId, failure: null }, 'the recording is complete');
  const wallMs = Date.parse(done!.ended_at!) - Date.parse(done!.started_at);
  t.ok(done!.duration_ms! >= 3500 && Math.abs(done!.duration_ms! - wallMs) < 1000, `${done!.duration_ms} ms recorded over ${wallMs} ms`);

  const audio = await boss.inject({ method: 'GET', url: `/api/calls/${call.id}/recording/audio` });
  t.equal(audio.statusCode, 200, 'the supervisor gets the audio');
  t.equal(audio.headers['content-type'], 'audio/wav');
  const wav = readWavHeader(audio.rawPayload);
  t.match(wav, { audioFormat: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 }, 'RIFF/WAVE, 8 kHz 16-bit mono PCM');
  t.ok(wav !== undefined && wav.dataBytes > 0 && wav.dataOffset + wav.dataBytes === audio.rawPayload.length, 'the whole file, its data chunk complete');
  t.ok(Math.abs(wav!.durationMs - done!.duration_ms!) < 50, `its header says ${wav?.durationMs} ms`);
  t.equal(audio.rawPayload.length, done!.size_bytes, 'the size stored');
  // Both sipp ends send audio: the recording is not silence.
  let loudest = 0;
  for (let at = wav!.dataOffset; at + 1 < audio.rawPayload.length; at += 2) loudest = Math.max(loudest, Math.abs(audio.rawPayload.readInt16LE(at)));
  t.ok(loudest > 1000, `sound in it (peak ${loudest})`);

  const audit = await server.db.selectFrom('audit_log').selectAll().where('subject', '=', `call:${call.id}`).execute();
  t.match(audit, [{ action: 'recording.play', actor_agent_id: boss.agentId }], 'the playback audited');

  await eventually(async () => {
    const channels = await ariGet<unknown[]>(asterisk, '/channels');
    const left = (await ariGet<Array<{ bridge_type: string }>>(asterisk, '/bridges')).filter((b) => b.bridge_type !== 'holding');
    return channels.length === 0 && left.length === 0 ? true : undefined;
  }, 10_000, 'no channel and no call bridge left');
});
