import { AppError } from '../errors.js';

export const officeNotFound = (id: number) =>
  new AppError('CC_ERR_OFFICE_NOT_FOUND', 'no such office', { id });

/** A phone number that is not a Russian one callers could dial. */
export const officePhoneInvalid = (phone: string) =>
  new AppError('CC_ERR_VALIDATION', '/phone: expected a Russian phone number with its area code, or nothing', {
    errors: [{ path: '/phone', message: 'expected a Russian phone number with its area code, or nothing' }], got: phone,
  });
