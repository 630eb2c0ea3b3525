import { Type, type Static } from '@sinclair/typebox';

export const AuditQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  /** one subject only: 'staff:12', 'office:3', 'queue:general' */
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
}, { additionalProperties: false });
export type AuditQuery = Static<typeof AuditQuery>;

const Values = Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]);

export const AuditView = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Type.Union([Type.Object({ id: Type.Integer(), login: Type.String() }), Type.Null()]),
  action: Type.String(),
  subject: Type.String(),
  before: Values,
  after: Values,
});
