import { AppError } from '../errors.js';

/*
 * The appeals feature's errors (appeals and consultations alike: one area, CC_ERR_APPEAL_*).
 * Every 400 names the offending field in `details.field`, as a JSON pointer into the payload
 * ('/subject') or the bare name of a reference ('accountId').
 */

/** A payload, query or path that fails its schema: the first failing field, and every error. */
export const appealInvalid = (field: string, part: string, errors: Array<{ path: string; message: string }>) =>
  new AppError('CC_ERR_APPEAL_INVALID', `${field}: ${errors[0]?.message ?? 'invalid'}`, { field, in: part, errors });

/** An id that names no row: an account, customer, call or agent. */
export const unknownReference = (field: 'accountId' | 'customerId' | 'callId' | 'agentId', value: number | string) =>
  new AppError('CC_ERR_APPEAL_UNKNOWN_REFERENCE', `${field}: no such ${field.replace(/Id$/, '')}`, { field, value });

/** A customer given with an account that belongs to someone else. */
export const customerMismatch = (customerId: number, accountId: number) =>
  new AppError('CC_ERR_APPEAL_CUSTOMER_MISMATCH', 'customerId: the account belongs to another customer', { field: 'customerId', customerId, accountId });

export type AuthorityDateProblem = 'not_a_date' | 'in_the_past' | 'not_allowed_for_kind';

/** An authority's due date that is not a real day, is already past, or comes with a kind whose deadline is fixed. */
export const authorityDateInvalid = (problem: AuthorityDateProblem, value: string, kind: string) =>
  new AppError('CC_ERR_APPEAL_AUTHORITY_DATE_INVALID', `authorityDueDate: ${problem.replaceAll('_', ' ')}`, { field: 'authorityDueDate', problem, value, kind });

export const appealNotFound = (number: string) =>
  new AppError('CC_ERR_APPEAL_NOT_FOUND', 'No such appeal', { number });

export const invalidTransition = (from: string, to: string) =>
  new AppError('CC_ERR_APPEAL_INVALID_TRANSITION', `an appeal that is ${from} cannot become ${to}`, { field: 'status', from, to });

/** An idempotency key already used for a different appeal: refused rather than silently answered with the other one. */
export const idempotencyConflict = (idempotencyKey: string, number: string) =>
  new AppError('CC_ERR_APPEAL_IDEMPOTENCY_CONFLICT', 'idempotencyKey: already used for a different appeal', { field: 'idempotencyKey', number });

export const numbersExhausted = (year: number) =>
  new AppError('CC_ERR_APPEAL_NUMBERS_EXHAUSTED', `no appeal numbers left for ${year}`, { year });
