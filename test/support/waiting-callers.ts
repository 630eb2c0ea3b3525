import type { AsteriskInstance } from '../../server/asterisk/instance.js';
import type { TestServer } from './asterisk.js';
import { eventually } from './fake-telephony.js';
import { captureRtp } from './rtp-capture.js';
import { hearing, type HearingReport, type RtpPacket } from './rtp-audio.js';
import { freeUdpPort, runSipp, type SippResult } from './sipp.js';

/*
 * Callers who press 0 and wait in a queue while nobody answers, and what each of them heard
 * (the RTP that reached their sipp leg, captured on lo): for the music-on-hold test and bench.
 */

export interface WaitingCaller {
  callerNumber: string;
  callId: string;
  /** when the queue took the caller (its queue_entered event), ms since the epoch */
  enteredAt: number;
  /** announcements the queue made to the caller meanwhile (queue_status events) */
  announcements: number;
  sipp: SippResult;
  /** what the caller heard from entering the queue for `waitMs` */
  heard: HearingReport;
  /** every RTP packet that reached the caller, the whole call long */
  packets: RtpPacket[];
}

/**
 * `count` callers (numbers `${numberPrefix}1`, `…2`, …) call in one after another, each as soon
 * as the one before is in the queue, press 0 and stay `waitMs` (and 6 s more) after entering the
 * queue, then hang up. The queue must not connect them (no agent free) nor offer a callback
 * (the server's CALLBACK_OFFER_* off). Resolves when all have hung up, with what each heard in
 * `windowMs` windows.
 */
export async function callersWaitInQueue(o: {
  asterisk: AsteriskInstance; server: TestServer; count: number; waitMs: number; numberPrefix: string; windowMs?: number;
}): Promise<WaitingCaller[]> {
  const ports: number[] = [];
  while (ports.length < o.count) {
    const port = await freeUdpPort(true);
    if (!ports.includes(port)) ports.push(port);
  }
  const capture = await captureRtp(ports);
  const runs: Array<Awaited<ReturnType<typeof runSipp>>> = [];
  try {
    for (const [i, mediaPort] of ports.entries()) {
      const callerNumber = `${o.numberPrefix}${i + 1}`;
      runs.push(await runSipp({
        scenario: [{ pause: 300 }, { keys: '0' }, { pause: o.waitMs + 6000 }, { hangup: true }],
        sipPort: o.asterisk.sipPort, caller: callerNumber, mediaPort, timeoutS: Math.ceil(o.waitMs / 1000) + 40,
      }));
      await entered(o.server, callerNumber);
    }
    const results = await Promise.all(runs.map((r) => r.done));
    const packets = await capture.stop();
    const callers: WaitingCaller[] = [];
    for (const [i, port] of ports.entries()) {
      const callerNumber = `${o.numberPrefix}${i + 1}`;
      const { callId, enteredAt } = await entered(o.server, callerNumber);
      const announcements = await o.server.db.selectFrom('call_events').select('id').where('call_id', '=', callId).where('type', '=', 'queue_status').execute();
      callers.push({
        callerNumber, callId, enteredAt, announcements: announcements.length, sipp: results[i]!,
        heard: hearing(packets.get(port) ?? [], enteredAt * 1000, (enteredAt + o.waitMs) * 1000, o.windowMs), packets: packets.get(port) ?? [],
      });
    }
    return callers;
  } catch (err) {
    for (const r of runs) r.kill();
    capture.kill();
    throw err;
  }
}

/** The caller's call and when the queue took it; waits for it (20 s). */
async function entered(server: TestServer, callerNumber: string): Promise<{ callId: string; enteredAt: number }> {
  return eventually(async () => {
    const row = await server.db.selectFrom('calls as c').innerJoin('call_events as e', 'e.call_id', 'c.id')
      .select(['c.id', 'e.at']).where('c.caller_number', '=', callerNumber).where('e.type', '=', 'queue_entered')
      .orderBy('e.id').executeTakeFirst();
    return row === undefined ? undefined : { callId: row.id, enteredAt: Date.parse(row.at) };
  }, 20_000, `${callerNumber} in the queue`);
}
