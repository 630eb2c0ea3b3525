import { Type, type Static } from '@sinclair/typebox';
import { queueLogRangeInvalid } from './errors.js';

/*
 * An instant in a query: epoch seconds (as in the queue_log lines) or ISO-8601, either a day
 * (00:00 UTC) or a date and time with its zone ('Z' or '+02:00'); a local time without a zone
 * would mean different things on the server and in the tool, so it is refused.
 */
const INSTANT = '^(\\d{1,11}|\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2}))?)$';

export const QueueLogQuery = Type.Object({
  from: Type.Optional(Type.String({ pattern: INSTANT, description: 'first second included, epoch seconds or ISO-8601' })),
  to: Type.Optional(Type.String({ pattern: INSTANT, description: 'first second no longer included' })),
  limit: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }),
}, { additionalProperties: false });
export type QueueLogQuery = Static<typeof QueueLogQuery>;

/**
 * The epoch second of an instant that matched INSTANT. Throws CC_ERR_VALIDATION for a date
 * that does not exist (month 13, February 30), which the pattern alone lets through.
 */
export function epochSeconds(field: 'from' | 'to', value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  const ms = Date.parse(value);
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d || Number.isNaN(ms)) {
    throw queueLogRangeInvalid(field, value, 'not a real date and time');
  }
  return Math.floor(ms / 1000);
}
