import { Type, type Static } from '@sinclair/typebox';
import type { AgentState } from '../agents/state.js';

export const StatsQuery = Type.Object({
  /** one queue only; default: every active queue */
  queue: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' })),
}, { additionalProperties: false });
export type StatsQuery = Static<typeof StatsQuery>;

const Nullable = <T extends ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

/** Members of the queue by state now; `loggedIn` is every state but offline. */
const AgentCounts = Type.Object({
  loggedIn: Type.Integer(), available: Type.Integer(), ringing: Type.Integer(),
  onCall: Type.Integer(), wrapUp: Type.Integer(), paused: Type.Integer(),
});

export const QueueStats = Type.Object({
  queueId: Type.String(),
  titleRu: Type.String(),
  titleEn: Type.String(),
  slThresholdS: Type.Integer(),
  now: Type.Object({
    /** callers on the line waiting (ringing an agent included) */
    waiting: Type.Integer(),
    /** the longest of their current waits, 0 when nobody waits */
    longestWaitMs: Type.Integer(),
    /** callbacks waiting for their turn in this queue (virtual entries, nobody on the line) */
    callbacksWaiting: Type.Integer(),
    agents: AgentCounts,
  }),
  today: Type.Object({
    /** callers who joined the queue (a caller transferred in counts again; callbacks' turns do not) */
    offered: Type.Integer(),
    answered: Type.Integer(),
    abandoned: Type.Integer(),
    timedOut: Type.Integer(),
    answeredWithinSl: Type.Integer(),
    /** answeredWithinSl ÷ (answered + abandoned + timedOut) × 100, one decimal; null before any of these */
    serviceLevelPct: Type.Union([Type.Number(), Type.Null()]),
    /** mean wait of the answered calls; null before the first answer */
    avgAnswerWaitMs: Nullable(Type.Integer()),
    /** callback requests made today in this queue, and how many of them are completed or failed */
    callbacks: Type.Object({ requested: Type.Integer(), completed: Type.Integer(), failed: Type.Integer() }),
  }),
});
export type QueueStats = Static<typeof QueueStats>;

export const WallboardAgent = Type.Object({
  agentId: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  /** the queues the agent serves */
  queues: Type.Array(Type.String()),
  state: Type.Object({ kind: Type.String() }, { additionalProperties: true }),
});
/** The schema keeps the state open (server/agents/state.ts owns its shape); the type is exact. */
export type WallboardAgent = Omit<Static<typeof WallboardAgent>, 'state'> & { state: AgentState };

export const StatsView = Type.Object({
  /** the Kaliningrad calendar day the `today` figures count */
  day: Type.String(),
  /** the instant the figures were taken (the server's clock) */
  at: Type.String(),
  queues: Type.Array(QueueStats),
  /** active agents with their current state, for the wallboard's table */
  agents: Type.Array(WallboardAgent),
});
export type StatsView = Omit<Static<typeof StatsView>, 'agents'> & { agents: WallboardAgent[] };
