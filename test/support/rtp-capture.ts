import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureHostPackages, TCPDUMP } from '../../server/asterisk/host-packages.js';
import { readPcapUdp } from './pcap.js';
import { rtpPackets, type RtpPacket } from './rtp-audio.js';

/*
 * Hearing what a sipp caller hears: tcpdump (Debian's, provisioned like sipp) captures on `lo`
 * every UDP packet sent to the callers' media ports, and the capture is read back in Node
 * (./pcap.ts). Everything stays on the loopback interface.
 */

export interface RtpCapture {
  /** Stops capturing; resolves with the RTP packets that reached each port asked for, in order of arrival. */
  stop(): Promise<Map<number, RtpPacket[]>>;
  /** Stops without reading (teardown after a failure); safe to call twice. */
  kill(): void;
}

const START_DEADLINE_MS = 10_000;

/**
 * Starts capturing the RTP sent to these UDP ports on 127.0.0.1 (sipp's `-mp`, SippRun.mediaPort).
 * Resolves once tcpdump is capturing, so nothing sent afterwards is missed. Installs tcpdump
 * with apt when it is missing (CC_ERR_HOST_PACKAGE_MISSING when it cannot).
 */
export async function captureRtp(ports: number[]): Promise<RtpCapture> {
  if (ports.length === 0) throw new Error('captureRtp: no port to capture');
  await ensureHostPackages([TCPDUMP]);
  const dir = mkdtempSync(join(tmpdir(), 'cc-rtp-capture-'));
  const file = join(dir, 'rtp.pcap');
  const filter = `udp and (${ports.map((p) => `dst port ${p}`).join(' or ')})`;
  // -U writes each packet as it comes; -Z root keeps tcpdump from switching to a user that may not write here.
  const child = spawn(TCPDUMP.program, ['-i', 'lo', '-n', '-s', '0', '-U', '-Z', 'root', '-w', file, filter], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let exited = false;
  const closed = new Promise<void>((resolve) => child.once('close', () => { exited = true; resolve(); }));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`tcpdump did not start capturing: ${stderr}`)); }, START_DEADLINE_MS);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // tcpdump says so once its filter is attached and packets are being taken.
      if (/listening on lo/.test(stderr)) { clearTimeout(timer); resolve(); }
    });
    void closed.then(() => { clearTimeout(timer); reject(new Error(`tcpdump exited: ${stderr}`)); });
  });
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  return {
    async stop() {
      // SIGINT: tcpdump flushes the file and exits.
      if (!exited) child.kill('SIGINT');
      await closed;
      const packets = rtpPackets(readPcapUdp(file));
      cleanUp();
      return new Map(ports.map((port) => [port, packets.filter((p) => p.dstPort === port)]));
    },
    kill() {
      if (!exited) child.kill('SIGKILL');
      void closed.then(cleanUp);
    },
  };
}
