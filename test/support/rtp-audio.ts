import type { UdpPacket } from './pcap.js';

/*
 * What a caller hears, from the RTP packets that reached them: when packets came, and whether
 * they carried sound. Asterisk sends nothing at all to a channel that has nothing to play, so
 * silence shows as a gap between packets; a packet of G.711 digital silence (a silence
 * generator) arrives but carries no energy, and music or speech does.
 */

export interface RtpPacket {
  /** when it reached the caller, µs since the epoch */
  atUs: number;
  /** the UDP port it was sent to */
  dstPort: number;
  payloadType: number;
  marker: boolean;
  seq: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

/** The RTP packets among UDP datagrams (version 2, a header that fits); others are skipped. */
export function rtpPackets(udp: UdpPacket[]): RtpPacket[] {
  const out: RtpPacket[] = [];
  for (const p of udp) {
    const b = p.payload;
    if (b.length < 12 || b[0]! >> 6 !== 2) continue;
    const csrc = b[0]! & 0x0f;
    let offset = 12 + 4 * csrc;
    if ((b[0]! & 0x10) !== 0 && b.length >= offset + 4) offset += 4 + 4 * b.readUInt16BE(offset + 2);
    if (offset > b.length) continue;
    out.push({
      atUs: p.atUs, dstPort: p.dstPort, payloadType: b[1]! & 0x7f, marker: (b[1]! & 0x80) !== 0, seq: b.readUInt16BE(2),
      timestamp: b.readUInt32BE(4), ssrc: b.readUInt32BE(8), payload: b.subarray(offset),
    });
  }
  return out;
}

/** G.711 A-law (ITU-T G.711, as Asterisk's alaw.c decodes it) to a linear 16-bit sample. */
export function alawToLinear(a: number): number {
  const v = a ^ 0x55;
  const exponent = (v & 0x70) >> 4;
  let magnitude = ((v & 0x0f) << 4) + 8;
  if (exponent !== 0) magnitude = (magnitude + 0x100) << (exponent - 1);
  return (v & 0x80) !== 0 ? magnitude : -magnitude;
}

/** G.711 µ-law to a linear 16-bit sample. */
export function ulawToLinear(u: number): number {
  const v = ~u & 0xff;
  const exponent = (v >> 4) & 0x07;
  const magnitude = ((((v & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return (v & 0x80) !== 0 ? -magnitude : magnitude;
}

const PT_PCMU = 0;
const PT_PCMA = 8;

/**
 * The RMS level of a packet's audio in dBFS, or undefined for a payload type that is not
 * G.711 (a telephone-event, another codec). G.711 digital silence (A-law 0xD5) is about -72 dBFS.
 */
export function levelDbfs(p: RtpPacket): number | undefined {
  const decode = p.payloadType === PT_PCMA ? alawToLinear : p.payloadType === PT_PCMU ? ulawToLinear : undefined;
  if (decode === undefined || p.payload.length === 0) return undefined;
  let sum = 0;
  for (const byte of p.payload) { const s = decode(byte); sum += s * s; }
  const rms = Math.sqrt(sum / p.payload.length);
  return rms === 0 ? -Infinity : 20 * Math.log10(rms / 32768);
}

/**
 * Above this a packet counts as sound (music, speech, even a quiet fade-in), below as silence:
 * G.711 digital silence is -72 dBFS, and its neighbouring codes (±24 of 32768) at most -63 dBFS
 * only when every sample is one.
 */
export const SOUND_DBFS = -66;

export interface HearingReport {
  /** the stretch analysed, µs since the epoch */
  fromUs: number;
  toUs: number;
  packets: number;
  /** packets whose level is above SOUND_DBFS */
  soundPackets: number;
  /** per window of `windowMs` from `fromUs`: packets, and packets with sound */
  windows: Array<{ startMs: number; packets: number; sound: number }>;
  /** the longest time without any packet (from `fromUs`, between packets, to `toUs`), ms */
  longestGapMs: number;
  /** the longest time without a packet of sound, ms: what a caller perceives as silence */
  longestSilenceMs: number;
  /** where the longest silence began, ms after `fromUs` */
  longestSilenceAtMs: number;
}

/**
 * What a caller heard from `fromUs` to `toUs`: packets and sound per window, the longest gap
 * between packets and the longest stretch without sound. The stretch's edges count as
 * packets' edges, so a caller who heard nothing at all has one gap as long as the stretch.
 */
export function hearing(packets: RtpPacket[], fromUs: number, toUs: number, windowMs = 2000): HearingReport {
  if (toUs <= fromUs) throw new Error('hearing: the stretch must end after it starts');
  const inside = packets.filter((p) => p.atUs >= fromUs && p.atUs < toUs).sort((a, b) => a.atUs - b.atUs);
  const windows = Array.from({ length: Math.ceil((toUs - fromUs) / 1000 / windowMs) }, (_, i) => ({ startMs: i * windowMs, packets: 0, sound: 0 }));
  let lastAny = fromUs;
  let lastSound = fromUs;
  let longestGapUs = 0;
  let longestSilenceUs = 0;
  let longestSilenceAtUs = fromUs;
  let soundPackets = 0;
  for (const p of inside) {
    const w = windows[Math.floor((p.atUs - fromUs) / 1000 / windowMs)]!;
    w.packets++;
    longestGapUs = Math.max(longestGapUs, p.atUs - lastAny);
    lastAny = p.atUs;
    if ((levelDbfs(p) ?? -Infinity) > SOUND_DBFS) {
      w.sound++;
      soundPackets++;
      if (p.atUs - lastSound > longestSilenceUs) { longestSilenceUs = p.atUs - lastSound; longestSilenceAtUs = lastSound; }
      lastSound = p.atUs;
    }
  }
  longestGapUs = Math.max(longestGapUs, toUs - lastAny);
  if (toUs - lastSound > longestSilenceUs) { longestSilenceUs = toUs - lastSound; longestSilenceAtUs = lastSound; }
  return {
    fromUs, toUs, packets: inside.length, soundPackets, windows,
    longestGapMs: longestGapUs / 1000, longestSilenceMs: longestSilenceUs / 1000, longestSilenceAtMs: (longestSilenceAtUs - fromUs) / 1000,
  };
}
