import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/*
 * A small site made of network namespaces this test creates, so that what crosses "the office
 * network" really crosses one and nothing travels over loopback or leaves the machine: a LAN
 * namespace holding a bridge, and one namespace per host (the server with its Asterisk, an
 * agent's desk, the carrier's SIP equipment), each joined to the bridge by a veth pair. Every
 * process of a host runs inside its namespace (`ip netns exec`); a host's 127.0.0.1 is its own.
 */

const run = promisify(execFile);

export interface SiteHost {
  /** the namespace's name */
  ns: string;
  /** the host's address on the LAN; `extra` ones on the same interface */
  address: string;
  extra: string[];
  /** a command inside the host */
  spawn(command: string, args: string[], opts?: SpawnOptions): ChildProcess;
  exec(command: string, args: string[]): Promise<string>;
}

export interface Site {
  hosts: Record<string, SiteHost>;
  /** a script that runs `program` inside `host` with the arguments it is given (for tools that take an executable path) */
  wrapper(host: SiteHost, program: string): string;
  destroy(): Promise<void>;
}

const SUBNET = '10.77';

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}

/**
 * Creates the LAN and one namespace per name in `hosts` (with how many extra addresses each
 * needs). Addresses are 10.77.<n>.x/16 by creation order. Throws when namespaces cannot be
 * made (not root, no iproute2); destroy() removes everything, even after a failed creation.
 */
export async function createSite(hosts: Record<string, { extra?: number }>): Promise<Site> {
  const tag = `${process.pid % 100000}`;
  const lan = `cc-lan-${tag}`;
  const made: string[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'cc-site-'));
  const destroy = async () => {
    for (const ns of made.reverse()) {
      // Processes still inside would keep the namespace's interfaces alive: they are ours, end them.
      const pids = await run('ip', ['netns', 'pids', ns]).then((r) => r.stdout.split('\n').filter((p) => p !== ''), () => []);
      for (const pid of pids) { try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ } }
      await ip('netns', 'del', ns).catch(() => undefined);
    }
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await ip('netns', 'add', lan);
    made.push(lan);
    await ip('-n', lan, 'link', 'set', 'lo', 'up');
    await ip('-n', lan, 'link', 'add', 'br0', 'type', 'bridge');
    await ip('-n', lan, 'link', 'set', 'br0', 'up');
    const out: Record<string, SiteHost> = {};
    let n = 1;
    for (const [name, spec] of Object.entries(hosts)) {
      const ns = `cc-${name}-${tag}`;
      await ip('netns', 'add', ns);
      made.push(ns);
      const address = `${SUBNET}.${n}.1`;
      const extra = Array.from({ length: spec.extra ?? 0 }, (_, i) => `${SUBNET}.${n}.${i + 2}`);
      const [hostEnd, lanEnd] = [`eth-${n}`, `lan-${n}`];
      await ip('link', 'add', hostEnd, 'netns', ns, 'type', 'veth', 'peer', 'name', lanEnd, 'netns', lan);
      await ip('-n', lan, 'link', 'set', lanEnd, 'master', 'br0');
      await ip('-n', lan, 'link', 'set', lanEnd, 'up');
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      for (const a of [address, ...extra]) await ip('-n', ns, 'addr', 'add', `${a}/16`, 'dev', hostEnd);
      await ip('-n', ns, 'link', 'set', hostEnd, 'up');
      out[name] = {
        ns, address, extra,
        spawn: (command, args, opts = {}) => spawn('ip', ['netns', 'exec', ns, command, ...args], opts),
        exec: async (command, args) => (await run('ip', ['netns', 'exec', ns, command, ...args], { maxBuffer: 16 * 1024 * 1024 })).stdout,
      };
      n++;
    }
    return {
      hosts: out,
      wrapper: (host, program) => {
        const path = join(scratch, `${host.ns}-${program.split('/').pop()}`);
        writeFileSync(path, `#!/bin/sh\nexec ip netns exec ${host.ns} ${program} "$@"\n`);
        chmodSync(path, 0o755);
        return path;
      },
      destroy,
    };
  } catch (err) {
    await destroy();
    throw err;
  }
}
