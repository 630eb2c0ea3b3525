import { AppError } from '../errors.js';

/** A time range that ends before it starts, or an instant that is no real date (2026-02-30). */
export const queueLogRangeInvalid = (field: 'from' | 'to', value: string, why: string) =>
  new AppError('CC_ERR_VALIDATION', `${field}: ${why}`, { errors: [{ path: `/${field}`, message: why }], value });
