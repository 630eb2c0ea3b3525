import { readFileSync } from 'node:fs';

/*
 * Just enough of the pcap file format (https://www.tcpdump.org/manpages/pcap-savefile.5.html)
 * for the tests' RTP: read the UDP packets tcpdump captured on `lo`, and write the Ethernet /
 * IPv4 / UDP packets sipp's play_pcap_audio replays (its prepare_pcap.c takes link types
 * Ethernet and Linux SLL only, and replaces the addresses and ports with the call's own).
 */

/** A UDP datagram of a capture: when it was seen (µs since the epoch), its ports and payload. */
export interface UdpPacket {
  atUs: number;
  srcPort: number;
  dstPort: number;
  payload: Buffer;
}

const LINKTYPE_NULL = 0;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_LINUX_SLL2 = 276;

/**
 * The IPv4 UDP packets of a pcap file (microsecond or nanosecond timestamps, either byte
 * order). Other packets are skipped; a file cut short mid-packet (a capture still being
 * written) yields the packets before the cut. Throws on a file that is not pcap or a link
 * type it does not know.
 */
export function readPcapUdp(path: string): UdpPacket[] {
  return parsePcapUdp(readFileSync(path));
}

export function parsePcapUdp(file: Buffer): UdpPacket[] {
  if (file.length < 24) return [];
  const magic = file.readUInt32LE(0);
  let le: boolean;
  let nano: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) { le = true; nano = magic === 0xa1b23c4d; }
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) { le = false; nano = magic === 0x4d3cb2a1; }
  else throw new Error(`not a pcap file (magic 0x${magic.toString(16)})`);
  const u32 = (at: number) => (le ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const linkType = u32(20) & 0xffff;
  const out: UdpPacket[] = [];
  for (let at = 24; at + 16 <= file.length;) {
    const sec = u32(at);
    const frac = u32(at + 4);
    const caplen = u32(at + 8);
    const start = at + 16;
    if (start + caplen > file.length) break;
    const frame = file.subarray(start, start + caplen);
    at = start + caplen;
    const ip = ipv4Of(frame, linkType, le);
    if (ip === undefined || ip.length < 20 || ip[0]! >> 4 !== 4 || ip[9] !== 17) continue;
    const udp = ip.subarray((ip[0]! & 0x0f) * 4);
    if (udp.length < 8) continue;
    const udpLen = Math.min(udp.readUInt16BE(4), udp.length);
    out.push({
      atUs: sec * 1_000_000 + (nano ? Math.floor(frac / 1000) : frac),
      srcPort: udp.readUInt16BE(0), dstPort: udp.readUInt16BE(2), payload: Buffer.from(udp.subarray(8, udpLen)),
    });
  }
  return out;
}

function ipv4Of(frame: Buffer, linkType: number, le: boolean): Buffer | undefined {
  switch (linkType) {
    case LINKTYPE_ETHERNET: return frame.length >= 14 && frame.readUInt16BE(12) === 0x0800 ? frame.subarray(14) : undefined;
    case LINKTYPE_LINUX_SLL: return frame.length >= 16 && frame.readUInt16BE(14) === 0x0800 ? frame.subarray(16) : undefined;
    case LINKTYPE_LINUX_SLL2: return frame.length >= 20 && frame.readUInt16BE(0) === 0x0800 ? frame.subarray(20) : undefined;
    case LINKTYPE_RAW: return frame;
    // BSD loopback: a 4-byte address family in the capturing host's byte order (2 = IPv4).
    case LINKTYPE_NULL: return frame.length >= 4 && (le ? frame.readUInt32LE(0) : frame.readUInt32BE(0)) === 2 ? frame.subarray(4) : undefined;
    default: throw new Error(`pcap link type ${linkType} is not supported`);
  }
}

/** A datagram to write: its time from the file's start (µs) and its payload. */
export interface PcapRecord { atUs: number; payload: Buffer }

/**
 * A pcap file (microseconds, little-endian, Ethernet) of UDP datagrams from
 * 127.0.0.1:`srcPort` to 127.0.0.1:`dstPort`. sipp keeps only the port differences and the
 * gaps between timestamps, so one fixed pair of ports and a start at 0 are enough.
 */
export function writePcapUdp(records: PcapRecord[], ports: { srcPort: number; dstPort: number } = { srcPort: 6000, dstPort: 6002 }): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16); // snaplen
  header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  const parts: Buffer[] = [header];
  let ipId = 0;
  for (const r of records) {
    const frame = Buffer.alloc(14 + 20 + 8 + r.payload.length);
    frame.writeUInt16BE(0x0800, 12); // zero MAC addresses, as Linux writes for lo
    const ip = frame.subarray(14, 34);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + 8 + r.payload.length, 2);
    ip.writeUInt16BE(ipId++ & 0xffff, 4);
    ip[8] = 64; // TTL
    ip[9] = 17; // UDP
    ip.set([127, 0, 0, 1], 12);
    ip.set([127, 0, 0, 1], 16);
    ip.writeUInt16BE(ipChecksum(ip), 10);
    const udp = frame.subarray(34);
    udp.writeUInt16BE(ports.srcPort, 0);
    udp.writeUInt16BE(ports.dstPort, 2);
    udp.writeUInt16BE(8 + r.payload.length, 4);
    // UDP checksum 0 (none): sipp recomputes it for the ports it sends from and to.
    r.payload.copy(udp, 8);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(r.atUs / 1_000_000), 0);
    rec.writeUInt32LE(Math.round(r.atUs % 1_000_000), 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    parts.push(rec, frame);
  }
  return Buffer.concat(parts);
}

function ipChecksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
