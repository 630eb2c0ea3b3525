import { Type, type Static } from '@sinclair/typebox';

export const Status = Type.Union(['pending', 'dialing', 'completed', 'failed', 'cancelled'].map((s) => Type.Literal(s)));

export const RequestParams = Type.Object({ requestId: Type.Integer({ minimum: 1 }) });

export const ListQuery = Type.Object({
  /** comma-separated statuses; the agent's list shows what is still to do */
  status: Type.String({ pattern: '^(pending|dialing|completed|failed|cancelled)(,(pending|dialing|completed|failed|cancelled))*$', default: 'pending,dialing,failed' }),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
}, { additionalProperties: false });

export const SummaryQuery = Type.Object({
  /** counted from this instant (ISO); default: the start of today in Kaliningrad */
  since: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false });

export const ResolveBody = Type.Object({
  outcome: Type.Union([Type.Literal('completed'), Type.Literal('failed')]),
  reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
}, { additionalProperties: false });
export type ResolveBody = Static<typeof ResolveBody>;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const AttemptView = Type.Object({
  callId: Type.Union([Type.String(), Type.Null()]),
  agentId: Type.Union([Type.Integer(), Type.Null()]),
  manual: Type.Boolean(),
  startedAt: Type.String(),
  endedAt: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  talkMs: Type.Union([Type.Integer(), Type.Null()]),
});

export const CallbackView = Type.Object({
  id: Type.Integer(),
  callId: Nullable(Type.String()),
  accountId: Type.Union([Type.Integer(), Type.Null()]),
  accountNumber: Nullable(Type.String()),
  customerName: Nullable(Type.String()),
  number: Type.String(),
  queue: Type.String(),
  status: Status,
  requestedAt: Type.String(),
  queueEnteredAt: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Type.String()),
  lastOutcome: Nullable(Type.String()),
  agentId: Type.Union([Type.Integer(), Type.Null()]),
  history: Type.Array(AttemptView),
});

export const SummaryView = Type.Object({
  since: Type.String(),
  requested: Type.Integer(), pending: Type.Integer(), dialing: Type.Integer(), completed: Type.Integer(), failed: Type.Integer(),
});
