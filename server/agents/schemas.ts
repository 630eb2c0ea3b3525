import { Type, type Static } from '@sinclair/typebox';

export const AgentParams = Type.Object({ agentId: Type.Integer({ minimum: 1 }) });

export const PauseReason = Type.Union(['break', 'training', 'after_call_work', 'missed', 'supervisor'].map((r) => Type.Literal(r)));

export const StateChange = Type.Union([
  Type.Object({ state: Type.Literal('available') }, { additionalProperties: false }),
  Type.Object({ state: Type.Literal('paused'), reason: PauseReason }, { additionalProperties: false }),
]);
export type StateChange = Static<typeof StateChange>;

/** The agent's state as the softphone and the wallboard show it. */
export const AgentView = Type.Object({
  agentId: Type.Integer(),
  username: Type.String(),
  state: Type.Object({ kind: Type.String() }, { additionalProperties: true }),
});

export const Toggle = Type.Object({ on: Type.Boolean() }, { additionalProperties: false });

/** Where a blind transfer sends the caller: another queue, or back to the voice menu. */
export const TransferTarget = Type.Union([
  Type.Object({ queue: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }) }, { additionalProperties: false }),
  Type.Object({ agentId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  Type.Object({ ivr: Type.Literal(true) }, { additionalProperties: false }),
]);

export const OutboundCall = Type.Object({ number: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false });
