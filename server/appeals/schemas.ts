import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { appealChannels, appealKinds, appealStatuses, consultationTopics } from './rules.js';

/** One of a catalogue's ids. Kept a tuple so the type provider (typebox 1.x) infers the union, not `never`. */
const oneOf = <const T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>;

const Id = Type.Integer({ minimum: 1 });
/** A calendar day; ajv's `date` format also refuses days that do not exist (2027-02-29). */
const Day = Type.String({ format: 'date' });
/** Registration numbers are 'YY' + six digits (rules.ts appealNumber). */
const AppealNumber = Type.String({ pattern: '^[0-9]{8}$' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Kind = oneOf(appealKinds);
export const Channel = oneOf(appealChannels);
export const Status = oneOf(appealStatuses);
export const Topic = oneOf(consultationTopics);

export const AppealParams = Type.Object({ number: AppealNumber });

/**
 * Registering an appeal; the registering agent is the logged-in one (from the session).
 * `idempotencyKey` is made once per form by the client: a
 * second submit with it returns the first appeal.
 */
export const NewAppealBody = Type.Object({
  kind: Kind,
  channel: Channel,
  subject: Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' }),
  body: Type.String({ maxLength: 20_000 }),
  accountId: Type.Optional(Id),
  customerId: Type.Optional(Id),
  callId: Type.Optional(Type.String({ format: 'uuid' })),
  /** only for kind 'authority_request': the date the request sets, instead of 15 days */
  authorityDueDate: Type.Optional(Day),
  idempotencyKey: Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' }),
}, { additionalProperties: false });
export type NewAppealBody = Static<typeof NewAppealBody>;

export const StatusChangeBody = Type.Object({
  status: oneOf(['in_progress', 'answered', 'closed'] as const),
}, { additionalProperties: false });
export type StatusChangeBody = Static<typeof StatusChangeBody>;

export const AppealListQuery = Type.Object({
  accountId: Type.Optional(Id),
  status: Type.Optional(Status),
  /** due strictly before this day */
  dueBefore: Type.Optional(Day),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
}, { additionalProperties: false });
export type AppealListQuery = Static<typeof AppealListQuery>;

export const DueSoonQuery = Type.Object({
  days: Type.Integer({ minimum: 0, maximum: 60, default: 3 }),
}, { additionalProperties: false });

export const AppealView = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  kind: Kind,
  channel: Channel,
  subject: Type.String(),
  body: Type.String(),
  status: Status,
  accountId: Nullable(Type.Integer()),
  customerId: Nullable(Type.Integer()),
  callId: Nullable(Type.String()),
  agentId: Nullable(Type.Integer()),
  registeredAt: Type.String(),
  dueDate: Type.String(),
  answeredAt: Nullable(Type.String()),
});
export type AppealView = Static<typeof AppealView>;

/** An open appeal on the wallboard: days left until its due date, negative once overdue. */
export const DueSoonView = Type.Composite([AppealView, Type.Object({ daysLeft: Type.Integer(), overdue: Type.Boolean() })]);
export type DueSoonView = Static<typeof DueSoonView>;

export const NewConsultationBody = Type.Object({
  callId: Type.Optional(Type.String({ format: 'uuid' })),
  accountId: Type.Optional(Id),
  topic: Topic,
  notes: Type.String({ maxLength: 4000 }),
  resolved: Type.Boolean(),
}, { additionalProperties: false });
export type NewConsultationBody = Static<typeof NewConsultationBody>;

export const ConsultationView = Type.Object({
  id: Type.Integer(),
  agentId: Type.Integer(),
  callId: Nullable(Type.String()),
  accountId: Nullable(Type.Integer()),
  topic: Topic,
  notes: Type.String(),
  resolved: Type.Boolean(),
  createdAt: Type.String(),
});
export type ConsultationView = Static<typeof ConsultationView>;
