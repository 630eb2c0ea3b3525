import { AppError } from '../errors.js';

/* The callbacks feature's errors (CC_ERR_CALLBACK_*). */

export const callbackNotFound = (requestId: number) =>
  new AppError('CC_ERR_CALLBACK_NOT_FOUND', `no callback request ${requestId}`, { requestId });

/** The caller is no longer waiting in the queue (an agent took them, or they left). */
export const callbackNotWaiting = (callId: string) =>
  new AppError('CC_ERR_CALLBACK_NOT_WAITING', 'the caller is not waiting in a queue', { callId });

/** The request is being dialled, or already done: it cannot be taken now. */
export const callbackBusy = (requestId: number, status: string) =>
  new AppError('CC_ERR_CALLBACK_BUSY', `callback request ${requestId} is ${status}`, { requestId, status });

export const callbackNumberInvalid = (number: string) =>
  new AppError('CC_ERR_CALLBACK_NUMBER_INVALID', 'a callback number must be a Russian phone number', { number });
