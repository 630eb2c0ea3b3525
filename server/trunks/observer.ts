/*
 * What the trunk monitor reads from the Asterisk it runs beside, pure parsing included: the
 * outbound registrations' states (`pjsip show registrations`) and the calls PJSIP refused because
 * no endpoint matched (its log). Only the project's own Asterisk offers both (an AsteriskInstance
 * is an AsteriskObserver); with an external Asterisk (ARI_URL) there is none.
 */

/** The local Asterisk as the trunk monitor sees it (server/asterisk/instance.ts satisfies it). */
export interface AsteriskObserver {
  /** output of `asterisk -rx <command>` */
  cli(command: string): Promise<string>;
  /** host path of Asterisk's messages.log (notice level and above) */
  readonly logFile: string;
}

/** Asterisk's words for an outbound registration's state (res_pjsip_outbound_registration.c). */
export type AsteriskRegistrationStatus = 'Registered' | 'Unregistered' | 'Rejected' | 'Stopping' | 'Stopped';

/**
 * The states in `pjsip show registrations` output, by registration id. Its rows read
 * ` <id>/<server uri>   <auth id>   <status>   (exp. 3595s)`; header and summary lines are skipped.
 */
export function parseRegistrations(output: string): Map<string, AsteriskRegistrationStatus> {
  const states = new Map<string, AsteriskRegistrationStatus>();
  for (const line of output.split('\n')) {
    const row = /^\s*([^\s/<]+)\/sips?:\S+\s+(?:\S+\s+)?(Registered|Unregistered|Rejected|Stopping|Stopped)\b/.exec(line);
    if (row) states.set(row[1]!, row[2] as AsteriskRegistrationStatus);
  }
  return states;
}

/** A request PJSIP refused because no endpoint (no trunk, no agent) matched it. */
export interface Refusal {
  method: string;
  /** the From URI as Asterisk printed it */
  from: string;
  /** the source address, without the port */
  address: string;
  port: number;
  callId: string;
}

/**
 * A refusal from one line of messages.log, or null for any other line. pjsip_distributor.c logs
 * each request no endpoint matches as
 * `Request 'INVITE' from '<sip:…>' failed for '127.0.0.2:5060' (callid: …) - No matching endpoint found`
 * (with " after N tries in T ms" appended when the auth_username identifier is in use).
 */
export function parseRefusal(line: string): Refusal | null {
  const m = /Request '([^']+)' from '(.*)' failed for '(.+):(\d+)' \(callid: (.*?)\) - No matching endpoint found/.exec(line);
  if (!m) return null;
  return { method: m[1]!, from: m[2]!, address: m[3]!.replace(/^\[(.*)\]$/, '$1'), port: Number(m[4]), callId: m[5]! };
}
