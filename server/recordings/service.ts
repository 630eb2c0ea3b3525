import type { TelephonyPort, StoredRecordingFile } from '../ari/port.js';
import { isoNow, type Db } from '../db/database.js';
import type { Recording } from '../db/schema.js';
import { recordingFileGone, recordingNotFound, recordingNotReady } from './errors.js';
import type { CallRecordings, RecordingView } from './schemas.js';

/** How a recording was reached, as the audit log names it. */
export type RecordingAccess = 'recording.play' | 'recording.download';

function view(r: Recording, part: number): RecordingView {
  return {
    part, name: r.name, format: r.format, status: r.status, agentId: r.agent_id, startedAt: r.started_at, endedAt: r.ended_at,
    durationMs: r.duration_ms, sizeBytes: r.size_bytes, failure: r.failure,
  };
}

/**
 * Recorded calls for the people allowed to hear them (the routes admit supervisors and admins).
 * The audio is read from Asterisk through ARI, wherever it runs; every playback and download is
 * written to the audit log before a byte is sent.
 */
export class RecordingService {
  constructor(private readonly db: Db, private readonly telephony: TelephonyPort, private readonly clock: () => number = Date.now) {}

  /** The call's recordings in the order they were made. Throws CC_ERR_RECORDING_NOT_FOUND when it has none (or no such call). */
  async forCall(callId: string): Promise<CallRecordings> {
    const rows = await this.#rows(callId);
    if (rows.length === 0) throw recordingNotFound(callId);
    return { callId, recordings: rows.map((r, i) => view(r, i + 1)) };
  }

  /**
   * Opens recording `part` of a call to be sent, after writing the audit row (`actor`, `access`,
   * subject `call:<id>`). Throws CC_ERR_RECORDING_NOT_FOUND (no such part), CC_ERR_RECORDING_NOT_READY
   * (still recording, or failed), CC_ERR_RECORDING_FILE_GONE (Asterisk no longer has the file),
   * and passes on ARI's CC_ERR_ARI_UNAVAILABLE; nothing is audited when it throws.
   */
  async open(callId: string, part: number, actorAgentId: number, access: RecordingAccess): Promise<{ recording: RecordingView; file: StoredRecordingFile }> {
    const row = (await this.#rows(callId))[part - 1];
    if (row === undefined) throw recordingNotFound(callId, part);
    if (row.status !== 'done') throw recordingNotReady(callId, part, row.status);
    const file = await this.telephony.readRecording(row.name);
    if (file === undefined) throw recordingFileGone(callId, part, row.name);
    try {
      await this.db.insertInto('audit_log').values({
        at: isoNow(this.clock), actor_agent_id: actorAgentId, action: access, subject: `call:${callId}`,
        details: JSON.stringify({ recordingId: row.id, part, name: row.name }),
      }).execute();
    } catch (err) {
      file.body.destroy();
      throw err;
    }
    return { recording: view(row, part), file };
  }

  #rows(callId: string): Promise<Recording[]> {
    return this.db.selectFrom('recordings').selectAll().where('call_id', '=', callId).orderBy('id').execute();
  }
}
