/*
 * What the rest of the server may ask of Asterisk, and what it hears back. Only
 * server/ari/ talks ARI; services depend on this interface, which tests fake.
 */

/** A channel as the server needs to know it, taken from ARI's Channel model. */
export interface ChannelSnapshot {
  id: string;
  name: string;
  /** ARI channel state: Down, Ring, Ringing, Up, … */
  state: string;
  /** The caller number exactly as Asterisk received it (From header user part); may be empty. */
  callerNumber: string;
  callerName: string;
  /** The number the caller dialled (dialplan extension). */
  dialed: string;
  language: string;
  createdAt: string;
}

import type { HangupParty } from '../../ivr/call.js';

export type { HangupParty };

export type TelephonyEvent =
  | { type: 'channel_entered'; channel: ChannelSnapshot; args: string[] }
  /** Someone asked for the channel to hang up; it leaves our application next (channel_left). */
  | { type: 'hangup_requested'; channelId: string; by: HangupParty; cause: number }
  /** The channel left our application: the call is over for us. */
  | { type: 'channel_left'; channelId: string }
  | { type: 'playback_finished'; channelId: string; playbackId: string }
  /** One medium of a playback began (the first, or the next of a list): what the caller actually hears. */
  | { type: 'media_started'; channelId: string; playbackId: string; media: string }
  | { type: 'dtmf_received'; channelId: string; digit: string; durationMs: number };

export type ConnectionEvent =
  | { type: 'connected'; first: boolean }
  | { type: 'disconnected'; reason: string };

export interface TelephonyPort {
  /** True while the ARI WebSocket is open and our Stasis application is registered. */
  readonly connected: boolean;
  onEvent(listener: (event: TelephonyEvent) => void): () => void;
  onConnection(listener: (event: ConnectionEvent) => void): () => void;
  answer(channelId: string): Promise<void>;
  /** Starts one playback of several media in a row, with an id of our choosing, so its end can be matched to the call. */
  play(channelId: string, media: string[], playbackId: string): Promise<void>;
  /** Stops a playback (a caller's key cut it short); one that already ended is not an error. */
  stopPlayback(playbackId: string): Promise<void>;
  /** Hangs a channel up; a channel that is already gone is not an error. */
  hangup(channelId: string): Promise<void>;
  /** The channels that are in our Stasis application now. */
  listChannels(): Promise<ChannelSnapshot[]>;
  playbackExists(playbackId: string): Promise<boolean>;
}
