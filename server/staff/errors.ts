import { AppError } from '../errors.js';

export const staffNotFound = (id: number) =>
  new AppError('CC_ERR_STAFF_NOT_FOUND', 'no such staff member', { id });

/** The login is someone else's (active or not), or a name Asterisk's own configuration uses. */
export const loginTaken = (login: string, reserved = false) =>
  new AppError('CC_ERR_STAFF_LOGIN_TAKEN', `the login '${login}' is ${reserved ? 'reserved' : 'taken'}`, { login, reserved });

/** A login the pattern refuses (the command line; the HTTP schema refuses it first there). */
export const loginInvalid = (login: string, pattern: string) =>
  new AppError('CC_ERR_STAFF_LOGIN_INVALID', `'${login}' is not a login: a login is 3 to 32 lower-case letters, digits, ".", "_" or "-", starting with a letter`, { login, pattern });

export const queueUnknown = (queueId: string) =>
  new AppError('CC_ERR_STAFF_QUEUE_UNKNOWN', 'no such queue', { queueId });

/** An admin deactivating themself or giving up their own admin role: nobody might be left to undo it. */
export const selfLockout = (what: 'deactivate' | 'role') =>
  new AppError('CC_ERR_STAFF_SELF_LOCKOUT', 'you cannot lock yourself out', { what });
