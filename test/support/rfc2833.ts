import { existsSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { readPcapUdp, writePcapUdp, type PcapRecord } from './pcap.js';

/*
 * Keys the way real phones send them: RFC 4733 (RFC 2833) telephone-events inside the caller's
 * RTP stream. One stream for a whole call: PCMA audio every 20 ms, and at each key a
 * telephone-event (payload type 101, as the scenario's SDP offers) with the same SSRC and
 * sequence numbers and timestamps that keep increasing — replaying sipp's per-key pcaps one
 * after another repeats their numbers, and Asterisk then drops repeated and close keys
 * (../shared/FACTS.md).
 */

/** A key and when it is pressed, in ms from the stream's start. */
export interface KeyPress { atMs: number; key: string }

export const PT_PCMA = 8;
export const PT_TELEPHONE_EVENT = 101;
const FRAME_MS = 20;
const SAMPLES_PER_FRAME = 160; // 8 kHz
/** How long each key is held: 5 updates (100 ms), then the end packet. */
const EVENT_UPDATES = 5;
/** RFC 4733 §2.5.1.4: the end of an event is sent three times. */
const END_PACKETS = 3;
/** A key takes this long in the stream: the event and 100 ms of audio before the next key. */
export const KEY_SLOT_MS = 200;
const VOLUME_DBM0 = 10;

const EVENT_CODES: Record<string, number> = { '*': 10, '#': 11, A: 12, B: 13, C: 14, D: 15 };

/** The RFC 4733 event code of a DTMF key; throws for anything else. */
export function eventCode(key: string): number {
  if (/^[0-9]$/.test(key)) return Number(key);
  const code = EVENT_CODES[key.toUpperCase()];
  if (code === undefined) throw new Error(`'${key}' is not a DTMF key`);
  return code;
}

// The caller's voice: the A-law audio of sipp's own g711a.pcap, looped; digital silence without it.
const SAMPLE_AUDIO = '/usr/share/sip-tester/g711a.pcap';
let voice: Buffer | undefined;
function callerAudio(): Buffer {
  voice ??= existsSync(SAMPLE_AUDIO)
    ? Buffer.concat(readPcapUdp(SAMPLE_AUDIO).map((p) => p.payload.subarray(12)))
    : Buffer.alloc(SAMPLES_PER_FRAME * 50, 0xd5);
  return voice;
}

function rtp(pt: number, marker: boolean, seq: number, timestamp: number, ssrc: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = (marker ? 0x80 : 0) | pt;
  header.writeUInt16BE(seq & 0xffff, 2);
  header.writeUInt32BE(timestamp >>> 0, 4);
  header.writeUInt32BE(ssrc >>> 0, 8);
  return Buffer.concat([header, payload]);
}

function eventPayload(code: number, end: boolean, duration: number): Buffer {
  const b = Buffer.alloc(4);
  b[0] = code;
  b[1] = (end ? 0x80 : 0) | VOLUME_DBM0;
  b.writeUInt16BE(duration, 2);
  return b;
}

/**
 * The RTP packets of a caller who talks for `durationMs` and presses `keys`: each key's event
 * starts on the 20-ms frame at or after its time, replaces the audio while it lasts (100 ms of
 * updates, duration growing by 160 samples per packet, marker on the first), and ends with three
 * end packets; the audio goes on after it. Keys closer than KEY_SLOT_MS or past the end are refused.
 */
export function telephoneEventStream(keys: KeyPress[], durationMs: number): PcapRecord[] {
  const frames = Math.ceil(durationMs / FRAME_MS);
  const starts = new Map<number, number>(); // frame → event code
  let lastFrame = -Infinity;
  for (const k of [...keys].sort((a, b) => a.atMs - b.atMs)) {
    const frame = Math.ceil(k.atMs / FRAME_MS);
    if (frame - lastFrame < KEY_SLOT_MS / FRAME_MS) throw new Error(`keys at ${k.atMs} ms: closer than ${KEY_SLOT_MS} ms to the one before`);
    if (frame + EVENT_UPDATES >= frames) throw new Error(`key '${k.key}' at ${k.atMs} ms: past the end of the stream (${durationMs} ms)`);
    starts.set(frame, eventCode(k.key));
    lastFrame = frame;
  }
  const ssrc = randomInt(1, 2 ** 31);
  let seq = randomInt(0, 2 ** 15);
  const ts0 = randomInt(0, 2 ** 30);
  const audio = callerAudio();
  const records: PcapRecord[] = [];
  const push = (atUs: number, packet: Buffer) => { records.push({ atUs, payload: packet }); seq++; };
  for (let frame = 0; frame < frames;) {
    const code = starts.get(frame);
    const atUs = frame * FRAME_MS * 1000;
    if (code === undefined) {
      const offset = (frame * SAMPLES_PER_FRAME) % (audio.length - SAMPLES_PER_FRAME);
      push(atUs, rtp(PT_PCMA, frame === 0, seq, ts0 + frame * SAMPLES_PER_FRAME, ssrc, audio.subarray(offset, offset + SAMPLES_PER_FRAME)));
      frame++;
      continue;
    }
    // Every packet of an event carries the timestamp of its start; a new key is a new timestamp.
    const ts = ts0 + frame * SAMPLES_PER_FRAME;
    for (let i = 0; i < EVENT_UPDATES; i++) {
      push((frame + i) * FRAME_MS * 1000, rtp(PT_TELEPHONE_EVENT, i === 0, seq, ts, ssrc, eventPayload(code, false, (i + 1) * SAMPLES_PER_FRAME)));
    }
    const endDuration = (EVENT_UPDATES + 1) * SAMPLES_PER_FRAME;
    for (let i = 0; i < END_PACKETS; i++) {
      // The three ends go out together (as Asterisk sends its own), each a packet of its own sequence number.
      push((frame + EVENT_UPDATES) * FRAME_MS * 1000 + i * 100, rtp(PT_TELEPHONE_EVENT, false, seq, ts, ssrc, eventPayload(code, true, endDuration)));
    }
    frame += EVENT_UPDATES + 1;
  }
  return records;
}

/** The same stream as a pcap file for sipp's play_pcap_audio. */
export function telephoneEventPcap(keys: KeyPress[], durationMs: number): Buffer {
  return writePcapUdp(telephoneEventStream(keys, durationMs));
}
