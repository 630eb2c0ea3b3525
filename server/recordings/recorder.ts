import type { FastifyBaseLogger } from 'fastify';
import { say, type Language } from '../../ivr/speech.js';
import type { TelephonyEvent, TelephonyPort } from '../ari/port.js';
import type { SpeechPort } from '../calls/service.js';
import { isoNow, type Db } from '../db/database.js';
import type { RecorderPort } from '../queue/service.js';
import { readWavHeader } from './wav.js';

export interface CallRecorderDeps {
  db: Db;
  telephony: TelephonyPort;
  speech: SpeechPort;
  log: FastifyBaseLogger;
  clock?: () => number;
}

/** Asterisk's `wav` format: 8 kHz 16-bit mono, readable by anything that plays audio. */
export const RECORDING_FORMAT = 'wav';
/** A notice whose end Asterisk never reports (a lost event) holds caller and agent apart no longer than this. */
const NOTICE_DEADLINE_MS = 30_000;
/** Enough of a file to hold its WAV header. */
const HEAD_BYTES = 4096;

/*
 * The recording notice, as one caller has it:
 *   none --callerQueued (queue records)--> playing --PlaybackStarted, PlaybackFinished--> heard
 *   playing --finished unheard | caller left | deadline | ARI error--> failed   (queued again: played again)
 * A conversation is recorded only after `heard`: nobody is recorded who was not told.
 */
type Notice =
  | { kind: 'none' }
  | { kind: 'playing'; playbackId: string; started: boolean; ended: Promise<void>; end: () => void; deadline: NodeJS.Timeout }
  | { kind: 'heard' }
  | { kind: 'failed'; reason: string };

interface CallEntry {
  callId: string;
  channelId: string;
  /** whether the queue the caller is in now records */
  records: boolean;
  notice: Notice;
  /** notices started, for unique playback ids */
  attempts: number;
  /** recordings made of this call: a transferred call may have one per agent */
  parts: number;
  /** names of this call's recordings still running */
  live: Set<string>;
}

/**
 * Records the conversations of queues that record (`queues.recording`), through ARI: plays the
 * notice to a caller as they join such a queue, records the caller's bridge with the agent to
 * Asterisk's recording spool once both are in it, and completes the `recordings` row (size,
 * duration from the file itself) when Asterisk reports the end, which comes when the queue
 * destroys the bridge or the caller leaves. No failure here ever ends or delays a call beyond
 * the notice: a recording that cannot be made is stored as failed and the call goes on.
 */
export class CallRecorder implements RecorderPort {
  readonly #calls = new Map<string, CallEntry>(); // by call id
  readonly #live = new Map<string, { callId: string; id: number }>(); // by recording name
  #off: (() => void) | undefined;
  readonly #clock: () => number;

  constructor(private readonly deps: CallRecorderDeps) {
    this.#clock = deps.clock ?? Date.now;
  }

  start(): void {
    this.#off = this.deps.telephony.onEvent((e) => this.#onTelephony(e));
  }

  /**
   * Rows left 'recording' by a server that stopped mid-call: the recording ended with its bridge
   * (or ends when reconciliation hangs the orphaned legs up), so each is completed from the file
   * Asterisk stored, or marked failed when there is none. Run after every ARI (re)connection.
   */
  async recover(): Promise<void> {
    const rows = await this.deps.db.selectFrom('recordings').select(['id', 'call_id', 'name']).where('status', '=', 'recording').execute();
    for (const row of rows) {
      if ([...this.#live.values()].some((l) => l.id === row.id)) continue;
      await this.#complete(row.id, row.call_id, row.name, 'finished', '').catch((err: unknown) => this.deps.log.warn({ err, name: row.name }, 'recording left by a stopped server not completed'));
    }
  }

  stop(): void {
    this.#off?.();
    for (const entry of this.#calls.values()) if (entry.notice.kind === 'playing') clearTimeout(entry.notice.deadline);
  }

  async callerQueued(callId: string, channelId: string, queueId: string): Promise<void> {
    let entry = this.#calls.get(callId);
    if (entry === undefined) {
      entry = { callId, channelId, records: false, notice: { kind: 'none' }, attempts: 0, parts: 0, live: new Set() };
      this.#calls.set(callId, entry);
    }
    try {
      entry.records = await this.#queueRecords(queueId);
      if (!entry.records || entry.notice.kind === 'heard' || entry.notice.kind === 'playing') return;
      const media = await this.deps.speech.media([say('recording_notice')], await this.#language(callId));
      entry.attempts += 1;
      const playbackId = `${callId}-recording-notice-${entry.attempts}`;
      let end = () => {};
      const ended = new Promise<void>((resolve) => { end = resolve; });
      const deadline = setTimeout(() => this.#noticeOver(entry, playbackId, 'no end reported'), NOTICE_DEADLINE_MS);
      deadline.unref();
      // Set before the request: Asterisk's report of the playback may come before its answer.
      entry.notice = { kind: 'playing', playbackId, started: false, ended, end, deadline };
      await this.deps.telephony.play(channelId, media, playbackId);
    } catch (err) {
      this.deps.log.error({ err, callId }, 'recording notice not played; the call will not be recorded');
      if (entry.notice.kind === 'playing') this.#noticeOver(entry, entry.notice.playbackId, `not played: ${(err as Error).message}`);
      else entry.notice = { kind: 'failed', reason: (err as Error).message };
    }
  }

  noticePlaying(callId: string): Promise<void> | undefined {
    const notice = this.#calls.get(callId)?.notice;
    return notice?.kind === 'playing' ? notice.ended : undefined;
  }

  async bridged(callId: string, agentId: number, bridgeId: string): Promise<void> {
    const entry = this.#calls.get(callId);
    if (entry === undefined || !entry.records) return;
    try {
      if (entry.notice.kind !== 'heard') {
        const reason = entry.notice.kind === 'failed' ? entry.notice.reason : `notice ${entry.notice.kind}`;
        this.deps.log.warn({ callId, reason }, 'call not recorded: the caller did not hear the notice');
        await this.#callEvent(callId, 'recording_skipped', { reason });
        return;
      }
      entry.parts += 1;
      const name = `cc-${callId}-${entry.parts}`;
      // The row first, so that Asterisk's report of the end always finds it.
      const row = await this.deps.db.insertInto('recordings').values({
        call_id: callId, name, format: RECORDING_FORMAT, agent_id: agentId, started_at: isoNow(this.#clock), status: 'recording',
      }).returning('id').executeTakeFirstOrThrow();
      this.#live.set(name, { callId, id: row.id });
      entry.live.add(name);
      try {
        await this.deps.telephony.recordBridge(bridgeId, name, RECORDING_FORMAT);
      } catch (err) {
        this.#live.delete(name);
        entry.live.delete(name);
        await this.#fail(row.id, callId, name, `not started: ${(err as Error).message}`);
        return;
      }
      await this.#callEvent(callId, 'recording_started', { name, part: entry.parts, bridgeId, agentId });
    } catch (err) {
      this.deps.log.error({ err, callId }, 'recording not started');
    }
  }

  #onTelephony(e: TelephonyEvent): void {
    switch (e.type) {
      case 'media_started': {
        const entry = this.#byPlayback(e.playbackId);
        if (entry?.notice.kind === 'playing') entry.notice.started = true;
        return;
      }
      case 'playback_finished': {
        const entry = this.#byPlayback(e.playbackId);
        if (entry?.notice.kind === 'playing') this.#noticeOver(entry, e.playbackId, entry.notice.started ? null : 'finished without starting');
        return;
      }
      case 'channel_left': {
        const entry = [...this.#calls.values()].find((c) => c.channelId === e.channelId);
        if (entry === undefined) return;
        if (entry.notice.kind === 'playing') this.#noticeOver(entry, entry.notice.playbackId, 'the caller left');
        this.#calls.delete(entry.callId);
        // The queue destroys the bridge, which ends the recording too; this covers a bridge left behind.
        for (const name of entry.live) {
          void this.deps.telephony.stopRecording(name).catch((err: unknown) => this.deps.log.warn({ err, name }, 'recording not stopped'));
        }
        return;
      }
      case 'recording_ended': {
        const live = this.#live.get(e.name);
        if (live === undefined) return;
        this.#live.delete(e.name);
        this.#calls.get(live.callId)?.live.delete(e.name);
        void this.#complete(live.id, live.callId, e.name, e.result, e.cause)
          .catch((err: unknown) => this.deps.log.error({ err, name: e.name }, 'recording not completed'));
        return;
      }
      default:
    }
  }

  #byPlayback(playbackId: string): CallEntry | undefined {
    for (const entry of this.#calls.values()) if (entry.notice.kind === 'playing' && entry.notice.playbackId === playbackId) return entry;
    return undefined;
  }

  /** The notice ended: heard in full (`failure` null) or not. Wakes whoever waits for it. */
  #noticeOver(entry: CallEntry, playbackId: string, failure: string | null): void {
    const notice = entry.notice;
    if (notice.kind !== 'playing' || notice.playbackId !== playbackId) return;
    clearTimeout(notice.deadline);
    entry.notice = failure === null ? { kind: 'heard' } : { kind: 'failed', reason: failure };
    notice.end();
    void this.#callEvent(entry.callId, failure === null ? 'recording_notice_heard' : 'recording_notice_failed', { playbackId, ...(failure !== null && { reason: failure }) })
      .catch((err: unknown) => this.deps.log.warn({ err }, 'notice event not recorded'));
  }

  /** Completes the row from the stored file: its size and, from its own header, its duration. */
  async #complete(id: number, callId: string, name: string, result: 'finished' | 'failed', cause: string): Promise<void> {
    if (result === 'failed') return this.#fail(id, callId, name, cause === '' ? 'Asterisk reported the recording failed' : cause);
    const file = await this.deps.telephony.readRecording(name);
    if (file === undefined) return this.#fail(id, callId, name, 'Asterisk stored no file (or the server stopped during the recording)');
    const chunks: Buffer[] = [];
    let head = 0;
    let size = 0;
    for await (const chunk of file.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (head < HEAD_BYTES) { chunks.push(chunk); head += chunk.length; }
      // Only the header is needed when Asterisk said how long the file is.
      if (file.sizeBytes !== null && head >= HEAD_BYTES) break;
    }
    file.body.destroy();
    const sizeBytes = file.sizeBytes ?? size;
    const wav = readWavHeader(Buffer.concat(chunks));
    // From the bytes there are rather than the header's count, which a crash may leave unwritten.
    const durationMs = wav === undefined ? null : Math.round(((sizeBytes - wav.dataOffset) * 1000) / wav.byteRate);
    await this.deps.db.updateTable('recordings').set({
      status: 'done', ended_at: isoNow(this.#clock), size_bytes: sizeBytes, duration_ms: durationMs,
    }).where('id', '=', id).execute();
    await this.#callEvent(callId, 'recording_finished', { name, sizeBytes, durationMs });
  }

  async #fail(id: number, callId: string, name: string, failure: string): Promise<void> {
    this.deps.log.warn({ callId, name, failure }, 'recording failed');
    await this.deps.db.updateTable('recordings').set({ status: 'failed', ended_at: isoNow(this.#clock), failure }).where('id', '=', id).execute();
    await this.#callEvent(callId, 'recording_failed', { name, failure });
  }

  async #queueRecords(queueId: string): Promise<boolean> {
    const queue = await this.deps.db.selectFrom('queues').select('recording').where('id', '=', queueId).executeTakeFirst();
    return queue?.recording === 1;
  }

  /**
   * The caller's language, from the call's stored state: the queue learns only the call's id,
   * and the call's machine has stored its state (which names the language) before it asks to enqueue.
   */
  async #language(callId: string): Promise<Language> {
    const row = await this.deps.db.selectFrom('calls').select('state').where('id', '=', callId).executeTakeFirst();
    const lang = row?.state == null ? undefined : (JSON.parse(row.state) as { lang?: unknown }).lang;
    return lang === 'en' ? 'en' : 'ru';
  }

  async #callEvent(callId: string, type: string, data: Record<string, unknown>): Promise<void> {
    await this.deps.db.insertInto('call_events').values({ call_id: callId, at: isoNow(this.#clock), type, data: JSON.stringify(data) }).execute();
  }
}
