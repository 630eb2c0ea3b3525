import { AppError } from '../errors.js';

/** Wrong username or password, an unknown or inactive account alike: the caller cannot tell which. */
export const authInvalid = () =>
  new AppError('CC_ERR_AUTH_INVALID', 'wrong username or password');

/**
 * The current password given to change it is wrong. The same code as a failed login, but 403, not
 * 401: the session is fine, and a page that takes every 401 for "logged out" must not drop it.
 */
export const currentPasswordWrong = () =>
  Object.assign(new AppError('CC_ERR_AUTH_INVALID', 'wrong current password'), { status: 403 });

/** No session cookie, or one whose session ended (logged out, idle too long, account deactivated). */
export const authRequired = () =>
  new AppError('CC_ERR_AUTH_REQUIRED', 'log in first');

export const authForbidden = (role: string, needs: readonly string[]) =>
  new AppError('CC_ERR_AUTH_FORBIDDEN', 'not allowed for your role', { role, needs });

export const authThrottled = (retryAfterS: number) =>
  new AppError('CC_ERR_AUTH_THROTTLED', 'too many failed logins; try again later', { retryAfterS });

/** Logged in with a one-time password: only the session routes answer until a password of their own is chosen. */
export const passwordChangeRequired = () =>
  new AppError('CC_ERR_AUTH_PASSWORD_CHANGE_REQUIRED', 'choose a new password first');

/** A new password the rules refuse; `reason` says which rule (server/auth/password-rules.ts). */
export const passwordWeak = (reason: string) =>
  new AppError('CC_ERR_AUTH_PASSWORD_WEAK', `the new password is refused: ${reason}`, { reason });
