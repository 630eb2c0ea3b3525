import type { Readable } from 'node:stream';

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
  /** the Stasis application's arguments: none for a caller from the dialplan; set on legs we originated */
  args: string[];
}

import type { HangupParty } from '../../ivr/call.js';

export type { HangupParty };

export type TelephonyEvent =
  | { type: 'channel_entered'; channel: ChannelSnapshot; args: string[] }
  /** Someone asked for the channel to hang up; it leaves our application next (channel_left). */
  | { type: 'hangup_requested'; channelId: string; by: HangupParty; cause: number }
  /** The channel left our application: the call is over for us. */
  | { type: 'channel_left'; channelId: string }
  /** A channel we originated ended without entering our application (not answered, refused, unreachable). */
  | { type: 'channel_destroyed'; channelId: string; cause: number }
  | { type: 'playback_finished'; channelId: string; playbackId: string }
  /** One medium of a playback began (the first, or the next of a list): what the caller actually hears. */
  | { type: 'media_started'; channelId: string; playbackId: string; media: string }
  | { type: 'dtmf_received'; channelId: string; digit: string; durationMs: number }
  /** A recording we started ended (RecordingFinished: stopped, or its bridge went) or failed (RecordingFailed). */
  | { type: 'recording_ended'; name: string; result: 'finished' | 'failed'; cause: string };

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
  /**
   * Creates or updates a PJSIP object (ARI push configuration into sorcery's memory wizard, see
   * templates/sorcery.conf). An update of an auth or AOR merges: fields not named keep their
   * values, so to replace an object delete it first. Objects pushed this way vanish when
   * Asterisk restarts. Rejects with CC_ERR_ARI_REQUEST_FAILED for an unknown field or value, an
   * object of pjsip.conf, and any update of an existing endpoint (Asterisk 22.10.1 answers
   * "Allocation failed").
   */
  /** Calls a phone into our Stasis application; `appArgs` come back with its StasisStart. */
  originate(o: { endpoint: string; channelId: string; appArgs: string[]; callerId: string; timeoutS: number; originator?: string }): Promise<void>;
  createBridge(type: 'mixing' | 'holding', name: string): Promise<string>;
  /**
   * Adds a channel to a bridge. `role` 'holding_participant' in a holding bridge: Asterisk plays the
   * channel music of its own while it is there (without a role ARI gives it none, see QueueService).
   */
  addToBridge(bridgeId: string, channelId: string, role?: BridgeRole): Promise<void>;
  removeFromBridge(bridgeId: string, channelId: string): Promise<void>;
  /** Destroys a bridge; one already gone is not an error. */
  destroyBridge(bridgeId: string): Promise<void>;
  /**
   * The music-on-hold class a channel hears (CHANNEL(musicclass)): in a holding bridge, where
   * Asterisk starts each participant's own music as it joins, and on hold. Asterisk plays its
   * 'default' class for a class it lacks. Rejects with CC_ERR_ARI_CHANNEL_GONE when the channel is.
   */
  setMusicClass(channelId: string, musicClass: string): Promise<void>;
  /** Music on hold to one channel (a caller put on hold), and its end. */
  startMoh(channelId: string): Promise<void>;
  stopMoh(channelId: string): Promise<void>;
  /** Silences what a channel says to the others (`in`), or stops doing so. */
  mute(channelId: string, on: boolean): Promise<void>;
  /**
   * Records everything said in a bridge to Asterisk's recording spool (`<astspooldir>/recording/<name>.<format>`),
   * without a beep. Rejects with CC_ERR_ARI_REQUEST_FAILED when a recording of that name exists
   * (stored or live: never overwritten) or the format is unknown, CC_ERR_ARI_CHANNEL_GONE when the bridge is.
   */
  recordBridge(bridgeId: string, name: string, format: string): Promise<void>;
  /** Stops a live recording, which then reports recording_ended; one already over is not an error. */
  stopRecording(name: string): Promise<void>;
  /**
   * A stored recording's file as Asterisk serves it (GET /recordings/stored/{name}/file), so it
   * can be read wherever Asterisk runs; undefined when there is no such recording.
   */
  readRecording(name: string): Promise<StoredRecordingFile | undefined>;
  pushConfig(objectType: PjsipObjectType, id: string, fields: Record<string, string>): Promise<void>;
  /** Deletes a pushed PJSIP object; a missing one is not an error, one of pjsip.conf is (CC_ERR_ARI_REQUEST_FAILED). */
  deleteConfig(objectType: PjsipObjectType, id: string): Promise<void>;
  /**
   * The fields of a PJSIP object (pushed or from pjsip.conf) as Asterisk holds them, every field
   * with its default included and values in Asterisk's own spelling ('yes' may read back as
   * 'true', a codec list 'alaw,ulaw' as '(alaw|ulaw)'); undefined when there is no such object.
   */
  readConfig(objectType: PjsipObjectType, id: string): Promise<Record<string, string> | undefined>;
}

/** A stored recording's audio: its bytes as a stream (the caller must consume or destroy it). */
export interface StoredRecordingFile {
  /** as Asterisk names it, e.g. audio/wav */
  contentType: string;
  /** null when Asterisk did not say */
  sizeBytes: number | null;
  body: Readable;
}

/** A channel's role in a bridge (ARI bridges/addChannel `role`). */
export type BridgeRole = 'holding_participant';

/** The PJSIP object types ARI push configuration may create (sorcery.conf maps them to memory). */
export type PjsipObjectType = 'endpoint' | 'auth' | 'aor';
