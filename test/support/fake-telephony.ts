import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { BridgeRole, ChannelSnapshot, ConnectionEvent, PjsipObjectType, StoredRecordingFile, TelephonyEvent, TelephonyPort } from '../../server/ari/port.js';
import { AppError } from '../../server/errors.js';

export type RecordedRequest =
  | { op: 'answer'; channelId: string }
  | { op: 'play'; channelId: string; media: string[]; playbackId: string }
  | { op: 'stop_playback'; playbackId: string }
  | { op: 'hangup'; channelId: string }
  | { op: 'push_config'; objectType: PjsipObjectType; id: string; fields: Record<string, string> }
  | { op: 'delete_config'; objectType: PjsipObjectType; id: string }
  | { op: 'originate'; endpoint: string; channelId: string; appArgs: string[]; callerId: string; timeoutS: number }
  | { op: 'create_bridge'; bridgeId: string; type: 'mixing' | 'holding' }
  | { op: 'add_to_bridge'; bridgeId: string; channelId: string; role?: BridgeRole }
  | { op: 'remove_from_bridge'; bridgeId: string; channelId: string }
  | { op: 'destroy_bridge'; bridgeId: string }
  | { op: 'set_music_class'; channelId: string; musicClass: string }
  | { op: 'start_moh' | 'stop_moh'; channelId: string }
  | { op: 'mute'; channelId: string; on: boolean }
  | { op: 'record_bridge'; bridgeId: string; name: string; format: string }
  | { op: 'stop_recording'; name: string };

/**
 * A TelephonyPort that records every request and lets a test play Asterisk's part:
 * emit events, choose which channels exist, make the next request of a kind fail.
 */
export class FakeTelephony implements TelephonyPort {
  connected = false;
  readonly requests: RecordedRequest[] = [];
  readonly channels = new Map<string, ChannelSnapshot>();
  readonly playbacks = new Set<string>();
  readonly failNext = new Set<RecordedRequest['op']>();
  /** PJSIP objects pushed and not deleted, by `${objectType}/${id}`, with their fields as given. */
  readonly config = new Map<string, Record<string, string>>();
  /** Recordings in progress, by name, with the bridge they record. */
  readonly liveRecordings = new Map<string, string>();
  /** Stored recordings' files, by name: a stopped recording leaves `recordingAudio` here. */
  readonly storedRecordings = new Map<string, Buffer>();
  /** What a recording holds once stopped: one second of silence as an 8 kHz 16-bit WAV, unless a test sets it. */
  recordingAudio: Buffer = silentWav(1000);
  readonly #events = new EventEmitter();

  onEvent(listener: (event: TelephonyEvent) => void): () => void {
    this.#events.on('t', listener);
    return () => this.#events.off('t', listener);
  }

  onConnection(listener: (event: ConnectionEvent) => void): () => void {
    this.#events.on('c', listener);
    return () => this.#events.off('c', listener);
  }

  connect(first = true): void {
    this.connected = true;
    this.#events.emit('c', { type: 'connected', first } satisfies ConnectionEvent);
  }

  disconnect(): void {
    this.connected = false;
    this.#events.emit('c', { type: 'disconnected', reason: 'test' } satisfies ConnectionEvent);
  }

  emit(event: TelephonyEvent): void {
    this.#events.emit('t', event);
  }

  /** A caller's channel entering our application, as StasisStart reports it. */
  callIn(id: string, callerNumber: string): ChannelSnapshot {
    const channel: ChannelSnapshot = {
      id, name: `PJSIP/trunk-${id}`, state: 'Ring', callerNumber, callerName: '', dialed: '1000',
      language: 'ru', createdAt: new Date(0).toISOString(), args: [],
    };
    this.channels.set(id, channel);
    this.emit({ type: 'channel_entered', channel, args: [] });
    return channel;
  }

  /** The far end hangs up (a BYE): Asterisk reports the request, then the channel leaves. */
  hangUpFromCaller(channelId: string, cause = 16): void {
    this.channels.delete(channelId);
    this.emit({ type: 'hangup_requested', channelId, by: 'remote', cause });
    this.emit({ type: 'channel_left', channelId });
  }

  /** Asterisk shutting down under the channel. */
  shutDownUnder(channelId: string): void {
    this.channels.delete(channelId);
    this.emit({ type: 'hangup_requested', channelId, by: 'asterisk', cause: 4 });
    this.emit({ type: 'channel_left', channelId });
  }

  #fail(op: RecordedRequest['op']): void {
    if (this.failNext.delete(op)) throw new AppError('CC_ERR_ARI_REQUEST_FAILED', `fake ${op} failure`);
  }

  async answer(channelId: string): Promise<void> {
    this.requests.push({ op: 'answer', channelId });
    this.#fail('answer');
  }

  async play(channelId: string, media: string[], playbackId: string): Promise<void> {
    this.requests.push({ op: 'play', channelId, media, playbackId });
    this.#fail('play');
    this.playbacks.add(playbackId);
  }

  /** Like Asterisk: a stopped playback still reports that it finished. */
  async stopPlayback(playbackId: string): Promise<void> {
    this.requests.push({ op: 'stop_playback', playbackId });
    this.#fail('stop_playback');
    const channelId = [...this.requests].reverse().find((r) => r.op === 'play' && r.playbackId === playbackId);
    if (this.playbacks.delete(playbackId) && channelId?.op === 'play') {
      queueMicrotask(() => this.emit({ type: 'playback_finished', channelId: channelId.channelId, playbackId }));
    }
  }

  /** A caller's key, as ChannelDtmfReceived reports it. */
  press(channelId: string, keys: string): void {
    for (const digit of keys) this.emit({ type: 'dtmf_received', channelId, digit, durationMs: 100 });
  }

  /** Like Asterisk: a hang-up we ask for comes back as a request by us, then the channel leaves. */
  async hangup(channelId: string): Promise<void> {
    this.requests.push({ op: 'hangup', channelId });
    this.#fail('hangup');
    if (this.channels.delete(channelId)) {
      queueMicrotask(() => {
        this.emit({ type: 'hangup_requested', channelId, by: 'us', cause: 16 });
        this.emit({ type: 'channel_left', channelId });
      });
    }
  }

  async originate(o: { endpoint: string; channelId: string; appArgs: string[]; callerId: string; timeoutS: number }): Promise<void> {
    this.requests.push({ op: 'originate', endpoint: o.endpoint, channelId: o.channelId, appArgs: o.appArgs, callerId: o.callerId, timeoutS: o.timeoutS });
    this.#fail('originate');
  }

  #bridges = 0;

  async createBridge(type: 'mixing' | 'holding'): Promise<string> {
    const bridgeId = `bridge-${++this.#bridges}`;
    this.requests.push({ op: 'create_bridge', bridgeId, type });
    return bridgeId;
  }

  async addToBridge(bridgeId: string, channelId: string, role?: BridgeRole): Promise<void> {
    this.requests.push({ op: 'add_to_bridge', bridgeId, channelId, ...(role !== undefined && { role }) });
  }

  async removeFromBridge(bridgeId: string, channelId: string): Promise<void> {
    this.requests.push({ op: 'remove_from_bridge', bridgeId, channelId });
  }

  /** Like Asterisk: a bridge that goes ends its recordings. */
  async destroyBridge(bridgeId: string): Promise<void> {
    this.requests.push({ op: 'destroy_bridge', bridgeId });
    for (const [name, bridge] of this.liveRecordings) if (bridge === bridgeId) this.#endRecording(name);
  }

  async recordBridge(bridgeId: string, name: string, format: string): Promise<void> {
    this.requests.push({ op: 'record_bridge', bridgeId, name, format });
    this.#fail('record_bridge');
    if (this.liveRecordings.has(name) || this.storedRecordings.has(name)) throw new AppError('CC_ERR_ARI_REQUEST_FAILED', `fake: recording ${name} exists`);
    this.liveRecordings.set(name, bridgeId);
  }

  /** Like Asterisk: a stopped recording is stored and reports that it finished. */
  async stopRecording(name: string): Promise<void> {
    this.requests.push({ op: 'stop_recording', name });
    this.#fail('stop_recording');
    this.#endRecording(name);
  }

  #endRecording(name: string): void {
    if (!this.liveRecordings.delete(name)) return;
    this.storedRecordings.set(name, this.recordingAudio);
    queueMicrotask(() => this.emit({ type: 'recording_ended', name, result: 'finished', cause: '' }));
  }

  async readRecording(name: string): Promise<StoredRecordingFile | undefined> {
    const audio = this.storedRecordings.get(name);
    if (audio === undefined) return undefined;
    return { contentType: 'audio/wav', sizeBytes: audio.length, body: Readable.from([audio]) };
  }

  async startMoh(channelId: string): Promise<void> {
    this.requests.push({ op: 'start_moh', channelId });
  }

  async stopMoh(channelId: string): Promise<void> {
    this.requests.push({ op: 'stop_moh', channelId });
  }

  async mute(channelId: string, on: boolean): Promise<void> {
    this.requests.push({ op: 'mute', channelId, on });
  }

  async setMusicClass(channelId: string, musicClass: string): Promise<void> {
    this.requests.push({ op: 'set_music_class', channelId, musicClass });
  }

  /** The agent's phone answered an offer: its channel enters our application with the offer's args. */
  agentAnswers(channelId: string, args: string[]): void {
    const channel: ChannelSnapshot = {
      id: channelId, name: `PJSIP/agent-${channelId}`, state: 'Up', callerNumber: '', callerName: '', dialed: '', language: 'ru', createdAt: new Date(0).toISOString(), args,
    };
    this.channels.set(channelId, channel);
    this.emit({ type: 'channel_entered', channel, args });
  }

  async listChannels(): Promise<ChannelSnapshot[]> {
    return [...this.channels.values()];
  }

  async playbackExists(playbackId: string): Promise<boolean> {
    return this.playbacks.has(playbackId);
  }

  async pushConfig(objectType: PjsipObjectType, id: string, fields: Record<string, string>): Promise<void> {
    this.requests.push({ op: 'push_config', objectType, id, fields: { ...fields } });
    this.#fail('push_config');
    this.config.set(`${objectType}/${id}`, { ...this.config.get(`${objectType}/${id}`), ...fields });
  }

  async deleteConfig(objectType: PjsipObjectType, id: string): Promise<void> {
    this.requests.push({ op: 'delete_config', objectType, id });
    this.#fail('delete_config');
    this.config.delete(`${objectType}/${id}`);
  }

  async readConfig(objectType: PjsipObjectType, id: string): Promise<Record<string, string> | undefined> {
    const fields = this.config.get(`${objectType}/${id}`);
    return fields === undefined ? undefined : { ...fields };
  }

  finishPlayback(channelId: string, playbackId: string): void {
    this.playbacks.delete(playbackId);
    this.emit({ type: 'playback_finished', channelId, playbackId });
  }

  /**
   * A caller from `number` who presses 0 during the greeting: the queue's first words are said
   * ("connecting you", or that nobody is on shift with the callback offer), and when they end
   * the caller goes into the queue's holding bridge with music.
   */
  async callerWaits(channelId: string, number = '+74012000001'): Promise<void> {
    this.callIn(channelId, number);
    const greeting = await eventually(() => this.requests.find((r) => r.op === 'play' && r.channelId === channelId));
    this.press(channelId, '0');
    const connecting = await eventually(() => this.requests.find((r) => r.op === 'play' && r.channelId === channelId && r !== greeting
      && r.media.some((m) => m.includes('queue_entered') || m.includes('queue_no_operators'))));
    if (connecting.op === 'play') this.finishPlayback(channelId, connecting.playbackId);
    await eventually(() => this.requests.find((r) => r.op === 'add_to_bridge' && r.channelId === channelId), 3000, 'the caller in the holding bridge');
  }
}

/** A WAV file as Asterisk's `wav` format writes it (8 kHz, 16-bit, mono) holding `ms` of silence. */
export function silentWav(ms: number): Buffer {
  const data = Buffer.alloc(Math.round(ms * 16));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, ms = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
