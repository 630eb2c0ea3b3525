import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/*
 * Browser tests run inside a network namespace of their own. Chromium never offers a loopback
 * address as an ICE candidate (../shared/FACTS.md), so WebRTC needs a non-loopback interface;
 * a namespace gives it one — a veth pair with both ends inside — without sending test traffic
 * over the machine's own interfaces. Asterisk, the server, sipp and Chromium all run inside,
 * where 127.0.0.1 is the namespace's own loopback.
 */

const MARK = 'CC_IN_NETNS';
/** The namespace's non-loopback addresses (both ends of its veth pair). */
export const NETNS_ADDRESSES = ['10.99.0.1', '10.99.0.2'] as const;

const SETUP = [
  'ip link set lo up',
  'ip link add cc0 type veth peer name cc1',
  `ip addr add ${NETNS_ADDRESSES[0]}/24 dev cc0`,
  `ip addr add ${NETNS_ADDRESSES[1]}/24 dev cc1`,
  'ip link set cc0 up',
  'ip link set cc1 up',
].join(' && ');

export function inNetworkNamespace(): boolean {
  return process.env[MARK] === '1';
}

/**
 * Runs the test file `moduleUrl` again inside a new network namespace (unshare needs root, as
 * the rest of the suite does) with the same node arguments, its output passing straight through
 * to tap, and exits with its exit code. The caller must not have loaded tap: only the inner run
 * reports.
 */
export async function rerunInNetworkNamespace(moduleUrl: string): Promise<never> {
  const file = fileURLToPath(moduleUrl);
  const child = spawn('unshare', ['--net', '--', 'sh', '-c', `${SETUP} && exec "$0" "$@"`, process.execPath, ...process.execArgv, file, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [MARK]: '1' },
  });
  const code = await new Promise<number>((resolve) => {
    child.on('error', (err) => {
      process.stdout.write(`not ok 1 - could not create a network namespace: ${err.message}\n1..1\n`);
      resolve(1);
    });
    child.on('close', (c, signal) => resolve(c ?? (signal === null ? 1 : 128)));
  });
  process.exit(code);
}
