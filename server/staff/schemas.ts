import { Type, type Static } from '@sinclair/typebox';
import { Role } from '../auth/schemas.js';

/** A login: also the SIP user name of the person's phone, so lower-case letters, digits, '.', '_' and '-'. */
export const LOGIN_PATTERN = '^[a-z][a-z0-9._-]{2,31}$';

export const StaffParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** How the person's phone is reached: the browser softphone, or a desk SIP phone (a fixed contact, or null: it registers). */
export const PhoneChoice = Type.Union([
  Type.Object({ kind: Type.Literal('browser') }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('sip'),
    contact: Type.Union([Type.String({ pattern: '^sips?:[^\\s,<>"]+$', maxLength: 200 }), Type.Null()]),
  }, { additionalProperties: false }),
]);
export type PhoneChoice = Static<typeof PhoneChoice>;

export const QueueMembership = Type.Object({
  queueId: Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' }),
  /** 1..100, 1 = offered calls first */
  priority: Type.Integer({ minimum: 1, maximum: 100 }),
}, { additionalProperties: false });

const FullName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Queues = Type.Array(QueueMembership, { maxItems: 50 });

export const StaffView = Type.Object({
  id: Type.Integer(),
  login: Type.String(),
  fullName: Type.String(),
  role: Role,
  active: Type.Boolean(),
  language: Type.Union([Type.Literal('ru'), Type.Literal('en')]),
  phone: PhoneChoice,
  queues: Type.Array(Type.Object({ queueId: Type.String(), priority: Type.Integer() })),
  mustChangePassword: Type.Boolean(),
  createdAt: Type.String(),
});
export type StaffView = Static<typeof StaffView>;

export const NewStaff = Type.Object({
  login: Type.String({ pattern: LOGIN_PATTERN }),
  fullName: FullName,
  role: Role,
  queues: Type.Optional(Queues),
  phone: Type.Optional(PhoneChoice),
}, { additionalProperties: false });
export type NewStaff = Static<typeof NewStaff>;

export const StaffPatch = Type.Object({
  fullName: Type.Optional(FullName),
  role: Type.Optional(Role),
  queues: Type.Optional(Queues),
  phone: Type.Optional(PhoneChoice),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 });
export type StaffPatch = Static<typeof StaffPatch>;

export const CreatedStaff = Type.Object({
  staff: StaffView,
  /** shown once: the person logs in with it and must choose their own */
  oneTimePassword: Type.String(),
  /** a desk SIP phone's password, shown once (a browser softphone gets its own from the session) */
  sipPassword: Type.Optional(Type.String()),
});

export const OneTimePassword = Type.Object({ oneTimePassword: Type.String() });
