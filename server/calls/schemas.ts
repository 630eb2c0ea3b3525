import { Type, type Static } from '@sinclair/typebox';

export const CallIdParams = Type.Object({ callId: Type.String({ format: 'uuid' }) });

export const RecentCallsQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  before: Type.Optional(Type.String({ format: 'date-time' })),
});

export const CallView = Type.Object({
  id: Type.String(),
  channelId: Type.String(),
  direction: Type.String(),
  callerNumber: Type.String(),
  callerE164: Type.Union([Type.String(), Type.Null()]),
  identification: Type.String(),
  accountId: Type.Union([Type.Integer(), Type.Null()]),
  startedAt: Type.String(),
  answeredAt: Type.Union([Type.String(), Type.Null()]),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.String(), Type.Null()]),
  hangupCause: Type.Union([Type.Integer(), Type.Null()]),
  hangupCauseText: Type.Union([Type.String(), Type.Null()]),
});
export type CallView = Static<typeof CallView>;

export const CallEventView = Type.Object({
  at: Type.String(),
  type: Type.String(),
  data: Type.Unknown(),
});

export const CallDetail = Type.Composite([CallView, Type.Object({ events: Type.Array(CallEventView) })]);
export type CallDetail = Static<typeof CallDetail>;
