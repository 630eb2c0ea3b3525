import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { AppError } from '../errors.js';
import { USE_EXISTING_ASTERISK } from './install.js';

/** Whether a TCP port can be listened on at `host` right now (default 127.0.0.1). */
export function isTcpPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Whether a UDP port can be bound at `host` right now (default 127.0.0.1). Binding 0.0.0.0
 * also fails while any single address holds the port, so pass it for the stricter check.
 */
export function isUdpPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ port, address: host, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

/**
 * Rejects with CC_ERR_ASTERISK_PORT_TAKEN, naming the port and the variable that sets it, when
 * Asterisk's HTTP port (TCP) or SIP port (UDP) on 127.0.0.1 is already in use.
 */
export async function assertPortsFree(ports: { httpPort: number; sipPort: number }): Promise<void> {
  if (!(await isTcpPortFree(ports.httpPort))) throw portTaken(ports.httpPort, 'TCP', 'ASTERISK_HTTP_PORT');
  if (!(await isUdpPortFree(ports.sipPort))) throw portTaken(ports.sipPort, 'UDP', 'SIP_PORT');
}

function portTaken(port: number, protocol: 'TCP' | 'UDP', variable: string): AppError {
  return new AppError(
    'CC_ERR_ASTERISK_PORT_TAKEN',
    `Asterisk cannot start because ${protocol} port ${port} on 127.0.0.1 (${variable}) is already in use; ` +
      `set ${variable} to a free port, ${USE_EXISTING_ASTERISK}.`,
    { port, protocol, variable },
  );
}

export interface TestPorts {
  httpPort: number;
  sipPort: number;
  rtpStart: number;
  rtpEnd: number;
  serverPort: number;
}

const SINGLE_PORT_RANGE = { from: 20000, to: 29999 } as const;
// Below Linux's default ephemeral range (32768-60999) would be better, but 200-port blocks need
// room; Asterisk skips an RTP port that an outgoing connection happens to hold.
const RTP_RANGE = { from: 30000, to: 59999 } as const;
const RTP_BLOCK = 200;
const ATTEMPTS = 50;

/**
 * Picks a random set of ports that are free right now: HTTP, SIP and the server's port in
 * 20000-29999, and a block of 200 RTP ports in 30000-59999, so test files running in parallel
 * get their own. Another process may still take a port between this check and its use.
 */
export async function allocateTestPorts(): Promise<TestPorts> {
  const taken = new Set<number>();
  const httpPort = await pickSingle(taken, (p) => isTcpPortFree(p));
  const sipPort = await pickSingle(taken, (p) => isUdpPortFree(p));
  const serverPort = await pickSingle(taken, (p) => isTcpPortFree(p));
  const blocks = Math.floor((RTP_RANGE.to + 1 - RTP_RANGE.from) / RTP_BLOCK);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const rtpStart = RTP_RANGE.from + randomInt(blocks) * RTP_BLOCK;
    const rtpEnd = rtpStart + RTP_BLOCK - 1;
    if (await rangeIsFree(rtpStart, rtpEnd)) return { httpPort, sipPort, rtpStart, rtpEnd, serverPort };
  }
  throw new Error(`no free block of ${RTP_BLOCK} UDP ports found in ${RTP_RANGE.from}-${RTP_RANGE.to}`);
}

async function pickSingle(taken: Set<number>, isFree: (port: number) => Promise<boolean>): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = randomInt(SINGLE_PORT_RANGE.from, SINGLE_PORT_RANGE.to + 1);
    if (taken.has(port)) continue;
    if (await isFree(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free port found in ${SINGLE_PORT_RANGE.from}-${SINGLE_PORT_RANGE.to}`);
}

async function rangeIsFree(from: number, to: number): Promise<boolean> {
  for (let port = from; port <= to; port++) {
    // Asterisk binds RTP to the SIP transport's address (127.0.0.1); the wildcard check is
    // stricter and also sees ports held on any other address.
    if (!(await isUdpPortFree(port, '0.0.0.0'))) return false;
  }
  return true;
}
