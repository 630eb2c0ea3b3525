import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import ari from 'ari-client';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../errors.js';
import type { BridgeRole, ChannelSnapshot, ConnectionEvent, HangupParty, PjsipObjectType, StoredRecordingFile, TelephonyEvent, TelephonyPort } from './port.js';

export interface AriConnectionOptions {
  url: string;
  username: string;
  password: string;
  app: string;
  log: FastifyBaseLogger;
  /** Longest pause between reconnection attempts. */
  maxBackoffMs?: number;
}

type AriClient = Awaited<ReturnType<typeof ari.connect>>;

/** The raw shape of ARI's Channel model (ari-client's typings lag behind Asterisk 22). */
interface AriChannelJson {
  id: string;
  name: string;
  state: string;
  caller?: { number?: string; name?: string };
  dialplan?: { exten?: string; app_name?: string; app_data?: string };
  language?: string;
  creationtime?: string;
}

/**
 * The ARI client of the server: connects, registers the Stasis application, keeps the
 * connection alive across Asterisk restarts, and translates between ARI and TelephonyPort.
 *
 * ari-client retries its WebSocket ten times and then gives up for good
 * ('WebSocketMaxRetries'); a contact center must not, so when that happens (or the first
 * connect fails) this class starts over with a fresh client, backing off up to maxBackoffMs.
 * ARI does not replay events missed while the WebSocket was down: every (re)connection is
 * announced as a 'connected' event so that the call service can reconcile.
 */
export class AriConnection implements TelephonyPort {
  #client: AriClient | undefined;
  #connected = false;
  #everConnected = false;
  #closed = false;
  #retryTimer: NodeJS.Timeout | undefined;
  readonly #events = new EventEmitter();
  readonly #opts: Required<AriConnectionOptions>;

  constructor(opts: AriConnectionOptions) {
    this.#opts = { maxBackoffMs: 5000, ...opts };
    this.#events.setMaxListeners(0);
  }

  get connected(): boolean {
    return this.#connected;
  }

  onEvent(listener: (event: TelephonyEvent) => void): () => void {
    this.#events.on('telephony', listener);
    return () => this.#events.off('telephony', listener);
  }

  onConnection(listener: (event: ConnectionEvent) => void): () => void {
    this.#events.on('connection', listener);
    return () => this.#events.off('connection', listener);
  }

  /** Starts connecting; resolves once connected for the first time or when `waitMs` has passed. */
  async start(waitMs = 0): Promise<void> {
    void this.#connectLoop(0);
    if (waitMs <= 0) return;
    await new Promise<void>((resolve) => {
      const done = () => { clearTimeout(timer); off(); resolve(); };
      const timer = setTimeout(done, waitMs);
      const off = this.onConnection((e) => { if (e.type === 'connected') done(); });
      if (this.#connected) done();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = undefined;
    this.#setDisconnected('closed');
    if (client !== undefined) {
      stopClient(client);
    }
  }

  async #connectLoop(attempt: number): Promise<void> {
    if (this.#closed) return;
    const { url, username, password, app, log } = this.#opts;
    let client: AriClient | undefined;
    try {
      client = await ari.connect(url, username, password);
      if (this.#closed) { stopClient(client); return; }
      this.#wire(client);
      this.#client = client;
      await client.start(app);
    } catch (err) {
      if (client !== undefined) stopClient(client);
      if (this.#client === client) this.#client = undefined;
      const delay = Math.min(this.#opts.maxBackoffMs, 200 * 2 ** Math.min(attempt, 10));
      if (attempt === 0 || attempt % 10 === 0) {
        log.warn({ err: (err as Error).message, url, retryInMs: delay }, 'ARI not reachable; retrying');
      }
      this.#retryTimer = setTimeout(() => void this.#connectLoop(attempt + 1), delay);
    }
  }

  #wire(client: AriClient): void {
    const { log } = this.#opts;
    client.on('WebSocketConnected', () => {
      const first = !this.#everConnected;
      this.#everConnected = true;
      this.#connected = true;
      log.info({ first }, 'ARI connected');
      this.#events.emit('connection', { type: 'connected', first } satisfies ConnectionEvent);
    });
    client.on('WebSocketReconnecting', (err: Error | undefined) => {
      this.#setDisconnected(err?.message ?? 'WebSocket closed');
    });
    client.on('WebSocketMaxRetries', () => {
      log.warn('ARI WebSocket gave up reconnecting; starting over with a new client');
      (client as unknown as EventEmitter).removeAllListeners();
      if (this.#client === client) this.#client = undefined;
      this.#setDisconnected('max retries');
      this.#retryTimer = setTimeout(() => void this.#connectLoop(1), 200);
    });
    // ari-client hands over events as (event, resources); we read the event's JSON only.
    const on = (name: string, fn: (e: any) => TelephonyEvent | undefined) => {
      client.on(name as never, ((event: unknown) => {
        const mapped = fn(event);
        if (mapped !== undefined) this.#events.emit('telephony', mapped);
      }) as never);
    };
    on('StasisStart', (e) => ({ type: 'channel_entered', channel: snapshot(e.channel), args: e.args ?? [] }));
    // Asterisk unsubscribes the app from a channel at StasisEnd, so ChannelDestroyed (with the
    // final Q.850 cause) never reaches us; the hang-up request before it says who hung up.
    on('ChannelHangupRequest', (e) => ({ type: 'hangup_requested', channelId: e.channel.id, ...hangupParty(e) }));
    on('StasisEnd', (e) => ({ type: 'channel_left', channelId: e.channel.id }));
    // Reaches us only for channels we are still subscribed to: originated ones that never entered the app.
    on('ChannelDestroyed', (e) => ({ type: 'channel_destroyed', channelId: e.channel.id, cause: e.cause ?? 0 }));
    on('PlaybackFinished', (e) => {
      const target: string = e.playback?.target_uri ?? '';
      if (!target.startsWith('channel:')) return undefined;
      return { type: 'playback_finished', channelId: target.slice('channel:'.length), playbackId: e.playback.id };
    });
    // PlaybackContinuing still names the medium that just ended in media_uri; the one starting is next_media_uri.
    const mediaStarted = (field: 'media_uri' | 'next_media_uri') => (e: any): TelephonyEvent | undefined => {
      const target: string = e.playback?.target_uri ?? '';
      if (!target.startsWith('channel:')) return undefined;
      return { type: 'media_started', channelId: target.slice('channel:'.length), playbackId: e.playback.id, media: e.playback[field] ?? e.playback.media_uri ?? '' };
    };
    on('PlaybackStarted', mediaStarted('media_uri'));
    on('PlaybackContinuing', mediaStarted('next_media_uri'));
    on('ChannelDtmfReceived', (e) => ({ type: 'dtmf_received', channelId: e.channel.id, digit: e.digit, durationMs: e.duration_ms ?? 0 }));
    // A bridge recording reports to the application subscribed to its bridge, i.e. the one that made it.
    on('RecordingFinished', (e) => ({ type: 'recording_ended', name: e.recording.name, result: 'finished', cause: e.recording.cause ?? '' }));
    on('RecordingFailed', (e) => ({ type: 'recording_ended', name: e.recording.name, result: 'failed', cause: e.recording.cause ?? '' }));
  }

  #setDisconnected(reason: string): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.#opts.log.warn({ reason }, 'ARI disconnected');
    this.#events.emit('connection', { type: 'disconnected', reason } satisfies ConnectionEvent);
  }

  #require(): AriClient {
    if (this.#client === undefined || !this.#connected) {
      throw new AppError('CC_ERR_ARI_UNAVAILABLE', 'Asterisk (ARI) is not connected');
    }
    return this.#client;
  }

  async answer(channelId: string): Promise<void> {
    await this.#call('answer', { channelId }, (c) => c.channels.answer({ channelId }));
  }

  async play(channelId: string, media: string[], playbackId: string): Promise<void> {
    // ari-client sends an array as a comma-separated list, which ARI takes as several media in one playback.
    await this.#call('play', { channelId, media, playbackId }, (c) => c.channels.play({ channelId, media: media as never, playbackId }));
  }

  async stopPlayback(playbackId: string): Promise<void> {
    await this.#callIfThere('stop playback', { playbackId }, (c) => c.playbacks.stop({ playbackId }));
  }

  async hangup(channelId: string): Promise<void> {
    await this.#callIfThere('hangup', { channelId }, (c) => c.channels.hangup({ channelId }));
  }

  async listChannels(): Promise<ChannelSnapshot[]> {
    const channels = await this.#call('list channels', {}, (c) => c.channels.list());
    return (channels as unknown as AriChannelJson[])
      .filter((ch) => inApplication(ch, this.#opts.app))
      .map(snapshot);
  }

  async playbackExists(playbackId: string): Promise<boolean> {
    try {
      await this.#call('get playback', { playbackId }, (c) => c.playbacks.get({ playbackId }));
      return true;
    } catch (err) {
      if (err instanceof AppError && err.code === 'CC_ERR_ARI_CHANNEL_GONE') return false;
      throw err;
    }
  }

  async originate(o: { endpoint: string; channelId: string; appArgs: string[]; callerId: string; timeoutS: number; originator?: string }): Promise<void> {
    await this.#call('originate', { endpoint: o.endpoint, channelId: o.channelId }, (c) => c.channels.originate({
      endpoint: o.endpoint, channelId: o.channelId, app: this.#opts.app, appArgs: o.appArgs.join(','), callerId: o.callerId, timeout: o.timeoutS,
      // The agent leg takes the caller's codec, so Asterisk need not transcode (../shared/FACTS.md).
      ...(o.originator !== undefined && { originator: o.originator }),
    } as never));
  }

  async createBridge(type: 'mixing' | 'holding', name: string): Promise<string> {
    const bridge = await this.#call('create bridge', { type, name }, (c) => c.bridges.create({ type, name }));
    return (bridge as unknown as { id: string }).id;
  }

  async addToBridge(bridgeId: string, channelId: string, role?: BridgeRole): Promise<void> {
    await this.#call('add to bridge', { bridgeId, channelId, role }, (c) => c.bridges.addChannel({ bridgeId, channel: channelId, ...(role !== undefined && { role }) }));
  }

  async removeFromBridge(bridgeId: string, channelId: string): Promise<void> {
    await this.#call('remove from bridge', { bridgeId, channelId }, (c) => c.bridges.removeChannel({ bridgeId, channel: channelId }));
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    await this.#callIfThere('destroy bridge', { bridgeId }, (c) => c.bridges.destroy({ bridgeId }));
  }

  async startMoh(channelId: string): Promise<void> {
    // No class named: res_musiconhold takes the channel's own (setMusicClass), else 'default'.
    await this.#call('start music on hold', { channelId }, (c) => c.channels.startMoh({ channelId }));
  }

  async stopMoh(channelId: string): Promise<void> {
    await this.#call('stop music on hold', { channelId }, (c) => c.channels.stopMoh({ channelId }));
  }

  async mute(channelId: string, on: boolean): Promise<void> {
    await this.#call(on ? 'mute' : 'unmute', { channelId }, (c) => (on
      ? c.channels.mute({ channelId, direction: 'in' })
      : c.channels.unmute({ channelId, direction: 'in' })));
  }

  async setMusicClass(channelId: string, musicClass: string): Promise<void> {
    await this.#call('set music class', { channelId, musicClass }, (c) => c.channels.setChannelVar({ channelId, variable: 'CHANNEL(musicclass)', value: musicClass }));
  }

  async recordBridge(bridgeId: string, name: string, format: string): Promise<void> {
    await this.#call('record bridge', { bridgeId, name, format }, (c) => c.bridges.record({
      bridgeId, name, format, ifExists: 'fail', beep: false, terminateOn: 'none',
    }));
  }

  async stopRecording(name: string): Promise<void> {
    await this.#callIfThere('stop recording', { name }, (c) => c.recordings.stop({ recordingName: name }));
  }

  async readRecording(name: string): Promise<StoredRecordingFile | undefined> {
    this.#require();
    const { url, username, password } = this.#opts;
    // Fetched directly: ari-client reads every answer as text, which would mangle audio.
    let res: Response;
    try {
      res = await fetch(`${url.replace(/\/+$/, '')}/ari/recordings/stored/${encodeURIComponent(name)}/file`, {
        headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
      });
    } catch (err) {
      throw new AppError('CC_ERR_ARI_REQUEST_FAILED', `ARI read recording failed: ${(err as Error).message}`, { name }, { cause: err });
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.ok || res.body === null) {
      const text = await res.text().catch(() => '');
      throw new AppError('CC_ERR_ARI_REQUEST_FAILED', `ARI read recording failed: ${res.status} ${text}`, { name, status: res.status });
    }
    const length = res.headers.get('content-length');
    return {
      contentType: res.headers.get('content-type') ?? 'application/octet-stream',
      sizeBytes: length === null ? null : Number(length),
      body: Readable.fromWeb(res.body as ReadableStream<Uint8Array>),
    };
  }

  async pushConfig(objectType: PjsipObjectType, id: string, fields: Record<string, string>): Promise<void> {
    const tuples = Object.entries(fields).map(([attribute, value]) => ({ attribute, value }));
    // ARI reads the list from the body's "fields" member, and ari-client sends this parameter as the whole body.
    await this.#call('push config', { objectType, id, fields: Object.keys(fields) }, (c) => c.asterisk.updateObject({
      configClass: 'res_pjsip', objectType, id, fields: { fields: tuples } as never,
    }));
  }

  async deleteConfig(objectType: PjsipObjectType, id: string): Promise<void> {
    // ARI answers 404 "Object with id '…' not found" for one already deleted.
    await this.#callIfThere('delete config', { objectType, id }, (c) => c.asterisk.deleteObject({ configClass: 'res_pjsip', objectType, id }));
  }

  async readConfig(objectType: PjsipObjectType, id: string): Promise<Record<string, string> | undefined> {
    try {
      const tuples = await this.#call('read config', { objectType, id }, (c) => c.asterisk.getObject({ configClass: 'res_pjsip', objectType, id }));
      return Object.fromEntries(tuples.map((f) => [f.attribute, f.value]));
    } catch (err) {
      if (err instanceof AppError && err.code === 'CC_ERR_ARI_CHANNEL_GONE') return undefined;
      throw err;
    }
  }

  /** Like #call, for requests on something that may already be gone (a hang-up, a stop): that is not an error. */
  async #callIfThere(what: string, details: Record<string, unknown>, fn: (c: AriClient) => Promise<unknown>): Promise<void> {
    try {
      await this.#call(what, details, fn);
    } catch (err) {
      if (err instanceof AppError && err.code === 'CC_ERR_ARI_CHANNEL_GONE') return;
      throw err;
    }
  }

  /** Runs one ARI request, wrapping its failure in an AppError with the request named. */
  async #call<T>(what: string, details: Record<string, unknown>, fn: (c: AriClient) => Promise<T>): Promise<T> {
    const client = this.#require();
    try {
      return await fn(client);
    } catch (err) {
      // ari-client keeps only the response body ({"message":"Channel not found"}), not the status.
      const message = (err as Error).message ?? String(err);
      if (/not found/i.test(message)) {
        throw new AppError('CC_ERR_ARI_CHANNEL_GONE', `ARI ${what}: ${message}`, details, { cause: err });
      }
      throw new AppError('CC_ERR_ARI_REQUEST_FAILED', `ARI ${what} failed: ${message}`, details, { cause: err });
    }
  }
}

function stopClient(client: AriClient): void {
  (client as unknown as EventEmitter).removeAllListeners();
  // The typings want a callback; stop() closes the WebSocket synchronously and may throw if it never opened.
  try { (client as unknown as { stop(): void }).stop(); } catch { /* never opened */ }
}

/*
 * For a soft hang-up ARI puts Asterisk's soft-hangup flags in `cause`, not a Q.850 cause:
 * AST_SOFTHANGUP_SHUTDOWN (4) when Asterisk stops or restarts, AST_SOFTHANGUP_EXPLICIT (32)
 * for an ARI DELETE /channels. A hard request (no `soft`) comes from the far end (BYE) and
 * carries a Q.850 cause when the channel driver set one (measured on Asterisk 22.10.1).
 */
const SOFTHANGUP_SHUTDOWN = 4;
const SOFTHANGUP_EXPLICIT = 32;
const Q850_NORMAL_CLEARING = 16;

function hangupParty(e: { soft?: boolean; cause?: number }): { by: HangupParty; cause: number } {
  if (e.soft !== true) return { by: 'remote', cause: e.cause ?? Q850_NORMAL_CLEARING };
  const flags = e.cause ?? 0;
  if ((flags & SOFTHANGUP_SHUTDOWN) !== 0) return { by: 'asterisk', cause: flags };
  if ((flags & SOFTHANGUP_EXPLICIT) !== 0) return { by: 'us', cause: Q850_NORMAL_CLEARING };
  return { by: 'asterisk', cause: flags };
}

function snapshot(ch: AriChannelJson): ChannelSnapshot {
  return {
    id: ch.id,
    name: ch.name,
    state: ch.state,
    callerNumber: ch.caller?.number ?? '',
    callerName: ch.caller?.name ?? '',
    dialed: ch.dialplan?.exten ?? '',
    language: ch.language ?? '',
    createdAt: ch.creationtime ?? '',
    // app_data is "<app>[,arg…]" while the channel is in Stasis().
    args: ch.dialplan?.app_name === 'Stasis' ? (ch.dialplan.app_data ?? '').split(',').slice(1).filter((a) => a !== '') : [],
  };
}

/** A channel is ours while it sits in the Stasis() dialplan application with our app name. */
function inApplication(ch: AriChannelJson, app: string): boolean {
  const data = ch.dialplan?.app_data ?? '';
  return ch.dialplan?.app_name === 'Stasis' && (data === app || data.startsWith(`${app},`));
}
