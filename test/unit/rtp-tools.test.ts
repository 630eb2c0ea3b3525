import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePcapUdp, writePcapUdp } from '../support/pcap.js';
import { KEY_SLOT_MS, PT_PCMA, PT_TELEPHONE_EVENT, telephoneEventStream } from '../support/rfc2833.js';
import { alawToLinear, hearing, levelDbfs, rtpPackets, ulawToLinear, type RtpPacket } from '../support/rtp-audio.js';
import { writeCallerScenario } from '../support/sipp-script.js';

/*
 * The tests' own RTP tools, so that what the Asterisk tests conclude from them can be trusted:
 * the RFC 2833 streams callers send, and how a capture is read and judged.
 */

const packetsOf = (keys: Array<{ atMs: number; key: string }>, ms: number): RtpPacket[] =>
  rtpPackets(telephoneEventStream(keys, ms).map((r) => ({ atUs: r.atUs, srcPort: 6000, dstPort: 6002, payload: r.payload })));

t.test('an RFC 2833 stream is one RTP stream: one SSRC, sequence numbers one apart, a packet every 20 ms', async (t) => {
  const packets = packetsOf([{ atMs: 400, key: '5' }], 2000);
  t.equal(new Set(packets.map((p) => p.ssrc)).size, 1, 'one SSRC');
  t.ok(packets.every((p, i) => i === 0 || p.seq === ((packets[i - 1]!.seq + 1) & 0xffff)), 'sequence numbers one apart');
  const audio = packets.filter((p) => p.payloadType === PT_PCMA);
  t.ok(audio.every((p) => p.payload.length === 160), 'PCMA frames of 20 ms');
  t.ok(audio.every((p, i) => i === 0 || p.timestamp - audio[i - 1]!.timestamp === 160 * Math.round((p.atUs - audio[i - 1]!.atUs) / 20_000)), 'audio timestamps follow the clock');
  t.equal(packets.at(-1)!.atUs, 1_980_000, 'audio to the end');
});

t.test('each key is an event of its own: updates with growing duration, then three end packets, all with the timestamp of its start', async (t) => {
  const packets = packetsOf([{ atMs: 0, key: '2' }, { atMs: KEY_SLOT_MS, key: '2' }, { atMs: 2 * KEY_SLOT_MS, key: '#' }], 1500);
  const events = packets.filter((p) => p.payloadType === PT_TELEPHONE_EVENT);
  const byTimestamp = new Map<number, RtpPacket[]>();
  for (const e of events) byTimestamp.set(e.timestamp, [...(byTimestamp.get(e.timestamp) ?? []), e]);
  t.equal(byTimestamp.size, 3, 'a repeated key gets a new timestamp');
  const codes = [...byTimestamp.values()].map((ps) => ps[0]!.payload[0]);
  t.same(codes, [2, 2, 11], 'the keys in order (# is event 11)');
  for (const ps of byTimestamp.values()) {
    t.ok(ps[0]!.marker, 'the first packet of an event is marked');
    const durations = ps.map((p) => p.payload.readUInt16BE(2));
    t.same(durations, [160, 320, 480, 640, 800, 960, 960, 960], 'durations grow by 160 samples, the end repeats the total');
    t.same(ps.map((p) => (p.payload[1]! & 0x80) !== 0), [false, false, false, false, false, true, true, true], 'three end packets');
  }
});

t.test('keys closer than a key slot, or past the end, are refused', async (t) => {
  t.throws(() => telephoneEventStream([{ atMs: 0, key: '1' }, { atMs: 100, key: '2' }], 1000), /closer/);
  t.throws(() => telephoneEventStream([{ atMs: 900, key: '1' }], 1000), /past the end/);
  t.throws(() => telephoneEventStream([{ atMs: 0, key: 'x' }], 1000), /not a DTMF key/);
});

t.test('an RFC 2833 caller\'s scenario sends no INFO and plays its own stream; -inf fields are refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-unit-sipp-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeCallerScenario(join(dir, 'caller.xml'), [{ pause: 500 }, { keys: '505' }, { pause: 1000 }, { hangup: true }], 'rfc2833');
  const xml = readFileSync(join(dir, 'caller.xml'), 'utf8');
  t.notMatch(xml, /INFO sip:/);
  t.match(xml, `play_pcap_audio="${join(dir, 'caller.pcap')}"`);
  t.match(xml, `<pause milliseconds="${3 * KEY_SLOT_MS}"/>`, 'the SIP part keeps the keys\' time');
  const events = rtpPackets(parsePcapUdp(readFileSync(join(dir, 'caller.pcap')))).filter((p) => p.payloadType === PT_TELEPHONE_EVENT && p.marker);
  t.same(events.map((e) => [e.atUs / 1000, e.payload[0]]), [[500, 5], [500 + KEY_SLOT_MS, 0], [500 + 2 * KEY_SLOT_MS, 5]], 'the keys at the script\'s times');
  t.throws(() => writeCallerScenario(join(dir, 'fields.xml'), [{ fields: [0] }], 'rfc2833'), /fields/);
});

t.test('a pcap written is read back: times, ports and payloads', async (t) => {
  const file = writePcapUdp([{ atUs: 0, payload: Buffer.from('one') }, { atUs: 1_500_020, payload: Buffer.from('two') }], { srcPort: 7000, dstPort: 7002 });
  t.same(parsePcapUdp(file).map((p) => [p.atUs, p.srcPort, p.dstPort, p.payload.toString()]), [[0, 7000, 7002, 'one'], [1_500_020, 7000, 7002, 'two']]);
  t.same(parsePcapUdp(file.subarray(0, file.length - 2)).length, 1, 'a packet cut short is left out');
});

t.test('G.711 decodes as Asterisk does: digital silence is quiet, a full-scale code is loud', async (t) => {
  t.equal(alawToLinear(0xd5), 8);
  t.equal(alawToLinear(0x55), -8);
  t.equal(alawToLinear(0xaa), 32256);
  t.equal(ulawToLinear(0xff), 0);
  t.equal(ulawToLinear(0x80), 32124);
  const packet = (byte: number): RtpPacket => ({ atUs: 0, dstPort: 1, payloadType: PT_PCMA, marker: false, seq: 0, timestamp: 0, ssrc: 1, payload: Buffer.alloc(160, byte) });
  t.ok(levelDbfs(packet(0xd5))! < -70, 'A-law silence is about -72 dBFS');
  t.ok(levelDbfs(packet(0xaa))! > -1, 'the loudest code is about 0 dBFS');
});

t.test('hearing: windows, the longest gap between packets and the longest stretch without sound', async (t) => {
  const loud = Buffer.alloc(160, 0xaa);
  const quiet = Buffer.alloc(160, 0xd5);
  const at = (ms: number, payload: Buffer): RtpPacket => ({ atUs: ms * 1000, dstPort: 1, payloadType: PT_PCMA, marker: false, seq: 0, timestamp: 0, ssrc: 1, payload });
  // Sound 0-1 s, digital silence 1-2.5 s, nothing 2.5-3.5 s, sound 3.5-4 s.
  const packets = [
    ...Array.from({ length: 50 }, (_, i) => at(i * 20, loud)),
    ...Array.from({ length: 75 }, (_, i) => at(1000 + i * 20, quiet)),
    ...Array.from({ length: 25 }, (_, i) => at(3500 + i * 20, loud)),
  ];
  const h = hearing(packets, 0, 4_000_000, 1000);
  t.same(h.windows.map((w) => w.sound), [50, 0, 0, 25]);
  t.same(h.windows.map((w) => w.packets), [50, 50, 25, 25]);
  t.equal(h.longestGapMs, 1020, 'from the last silent packet (2.48 s) to the next (3.5 s)');
  t.equal(h.longestSilenceMs, 2520, 'from the last sound (0.98 s) to the next (3.5 s)');
  t.equal(h.longestSilenceAtMs, 980);
  t.equal(hearing([], 0, 2_000_000).longestGapMs, 2000, 'nothing heard: one gap the whole stretch');
});
