import type { CallEntry } from '../../ivr/call.js';
import { RUSSIAN_IVR, sameDid, type Trunk } from './definition.js';

/** Where an inbound call came from and where it goes. */
export interface CallRoute {
  /** the trunk whose endpoint the channel is on; null for a channel of no configured trunk */
  trunk: string | null;
  /** the configured number that was dialled; null when it is none of them */
  did: string | null;
  entry: CallEntry;
}

/**
 * Routes an inbound call by its channel (PJSIP/<endpoint>-<sequence>: every trunk's endpoint is
 * named after the trunk) and the number dialled (the request URI's user part, `dialed`): a
 * configured DID goes to its entry; any other number to the trunk's default entry; a channel of
 * no configured trunk to the Russian IVR. DIDs are unique across trunks (definition.ts), so a
 * DID is found whichever trunk it arrives on.
 */
export function routeCall(trunks: readonly Trunk[], channelName: string, dialed: string): CallRoute {
  const endpoint = /^PJSIP\/(.+)-[0-9a-f]+$/.exec(channelName)?.[1];
  const trunk = trunks.find((t) => t.name === endpoint);
  for (const t of trunk === undefined ? trunks : [trunk, ...trunks]) {
    const did = t.dids.find((d) => sameDid(d.number, dialed));
    if (did !== undefined) return { trunk: trunk?.name ?? null, did: did.number, entry: did.entry };
  }
  return { trunk: trunk?.name ?? null, did: null, entry: trunk?.defaultEntry ?? RUSSIAN_IVR };
}
