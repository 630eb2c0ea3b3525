import { AppError } from '../errors.js';

/** Wrong username or password, an unknown or inactive account alike: the caller cannot tell which. */
export const authInvalid = () =>
  new AppError('CC_ERR_AUTH_INVALID', 'wrong username or password');

/** No session cookie, or one whose session ended (logged out, idle too long, account deactivated). */
export const authRequired = () =>
  new AppError('CC_ERR_AUTH_REQUIRED', 'log in first');

export const authForbidden = (role: string, needs: readonly string[]) =>
  new AppError('CC_ERR_AUTH_FORBIDDEN', 'not allowed for your role', { role, needs });

export const authThrottled = (retryAfterS: number) =>
  new AppError('CC_ERR_AUTH_THROTTLED', 'too many failed logins; try again later', { retryAfterS });
