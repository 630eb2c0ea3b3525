import { AppError } from '../errors.js';

export const callNotFound = (callId: string) =>
  new AppError('CC_ERR_CALL_NOT_FOUND', 'No such call', { callId });
