import { Type, type Static } from '@sinclair/typebox';

export const HealthReply = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  ari: Type.Object({ connected: Type.Boolean() }),
  db: Type.Object({ ok: Type.Boolean() }),
  calls: Type.Object({ live: Type.Integer() }),
  uptimeSeconds: Type.Number(),
});
export type HealthReply = Static<typeof HealthReply>;
