import { AppError } from '../errors.js';

/** The call has no recording (never recorded, or no such call). */
export const recordingNotFound = (callId: string, part?: number) =>
  new AppError('CC_ERR_RECORDING_NOT_FOUND', 'No recording of this call', { callId, ...(part !== undefined && { part }) });

/** Still being recorded, or it failed: there is no complete file to play. */
export const recordingNotReady = (callId: string, part: number, status: string) =>
  new AppError('CC_ERR_RECORDING_NOT_READY', 'The recording is not complete', { callId, part, status });

/** The row says done but Asterisk no longer has the file (removed from its spool). */
export const recordingFileGone = (callId: string, part: number, name: string) =>
  new AppError('CC_ERR_RECORDING_FILE_GONE', 'The recording\'s file is no longer stored', { callId, part, name });
