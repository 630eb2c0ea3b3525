import { Type, type Static } from '@sinclair/typebox';

export const QueueParams = Type.Object({ queueId: Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' }) });

/** A queue as data: every field named and bounded, so bad input is refused naming the field. */
export const QueueBody = Type.Object({
  titleRu: Type.String({ minLength: 1, maxLength: 100 }),
  titleEn: Type.String({ minLength: 1, maxLength: 100 }),
  skill: Type.Union([Type.Literal('general'), Type.Literal('billing'), Type.Literal('readings'), Type.Literal('appeals')]),
  priority: Type.Integer({ minimum: 0, maximum: 100 }),
  slThresholdS: Type.Integer({ minimum: 1, maximum: 3600 }),
  maxWaitS: Type.Integer({ minimum: 10, maximum: 7200 }),
  announceEveryS: Type.Integer({ minimum: 10, maximum: 3600 }),
  /** a waiting caller's first announcement, this long after joining; absent: 10 s for a new queue, unchanged for an existing one */
  firstAnnounceS: Type.Optional(Type.Integer({ minimum: 1, maximum: 15 })),
  wrapUpS: Type.Integer({ minimum: 0, maximum: 3600 }),
  ringS: Type.Integer({ minimum: 5, maximum: 120 }),
  recording: Type.Boolean(),
  active: Type.Boolean(),
  /**
   * The music-on-hold class its waiting callers hear (a section of Asterisk's musiconhold.conf).
   * Left out: a new queue gets 'default', an existing one keeps its class.
   */
  musicClass: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
}, { additionalProperties: false });
export type QueueBody = Static<typeof QueueBody>;

export const QueueView = Type.Composite([Type.Object({ id: Type.String(), musicClass: Type.String() }), Type.Omit(QueueBody, ['musicClass'])]);

export const MembersBody = Type.Array(Type.Object({
  agentId: Type.Integer({ minimum: 1 }),
  priority: Type.Integer({ minimum: 1, maximum: 100 }),
}, { additionalProperties: false }), { maxItems: 500 });
