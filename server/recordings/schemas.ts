import { Type, type Static } from '@sinclair/typebox';

export const RecordingParams = Type.Object({ callId: Type.String({ format: 'uuid' }) });

export const AudioQuery = Type.Object({
  /** which recording of the call (1 first; a call transferred to another agent may have more) */
  part: Type.Integer({ minimum: 1, maximum: 100, default: 1 }),
  /** 1: sent as an attachment to save (written to the audit log as a download, not a playback) */
  download: Type.Union([Type.Literal('0'), Type.Literal('1')], { default: '0' }),
}, { additionalProperties: false });
export type AudioQuery = Static<typeof AudioQuery>;

export const RecordingView = Type.Object({
  part: Type.Integer(),
  /** Asterisk's recording name: the file <astspooldir>/recording/<name>.<format> */
  name: Type.String(),
  format: Type.String(),
  status: Type.Union([Type.Literal('recording'), Type.Literal('done'), Type.Literal('failed')]),
  agentId: Type.Union([Type.Integer(), Type.Null()]),
  startedAt: Type.String(),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  sizeBytes: Type.Union([Type.Integer(), Type.Null()]),
  failure: Type.Union([Type.String(), Type.Null()]),
});
export type RecordingView = Static<typeof RecordingView>;

export const CallRecordings = Type.Object({ callId: Type.String(), recordings: Type.Array(RecordingView) });
export type CallRecordings = Static<typeof CallRecordings>;
