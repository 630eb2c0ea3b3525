import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/*
 * The typed view of the database (see migrations/ for the DDL). Times are ISO-8601 UTC strings
 * ('2026-11-25T12:00:00.000Z'), calendar days are 'YYYY-MM-DD', money is integer kopecks,
 * flags are 0/1, JSON is text.
 */

export type Tariff = 'single' | 'two_zone';
export type AgentRole = 'agent' | 'supervisor' | 'admin';
export type CallDirection = 'inbound' | 'outbound' | 'callback';
export type Identification = 'none' | 'one' | 'several';
/** How an agent's phone is reached: a browser softphone (SIP over WebSocket) or a plain SIP phone. */
export type PhoneKind = 'webrtc' | 'sip';

/**
 * How a call ended. `completed`: the call ran its course; `abandoned`: the caller hung up
 * before being served; `failed`: the call was lost to a fault (Asterisk restart, ARI error);
 * `orphaned`: our server lost track of it (crash) and hung it up when it came back.
 */
export type CallOutcome = 'completed' | 'abandoned' | 'failed' | 'orphaned' | 'timed_out';

export interface CustomersTable {
  id: Generated<number>;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  email: string | null;
  created_at: string;
}

export interface AccountsTable {
  id: Generated<number>;
  number: string;
  customer_id: number;
  city: string;
  address: string;
  tariff: Tariff;
  opened_at: string;
  closed_at: string | null;
}

export interface AccountPhonesTable {
  account_id: number;
  phone_e164: string;
  label: string | null;
}

export interface ChargesTable {
  id: Generated<number>;
  account_id: number;
  period: string;
  kwh_day: number;
  kwh_night: number | null;
  amount_kop: number;
  created_at: string;
}

export interface PaymentsTable {
  id: Generated<number>;
  account_id: number;
  paid_at: string;
  amount_kop: number;
  channel: string;
}

export interface AgentsTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: AgentRole;
  password_hash: string;
  sip_password: string;
  language: ColumnType<string, string | undefined, string>;
  active: ColumnType<number, number | undefined, number>;
  created_at: string;
  phone_kind: ColumnType<PhoneKind, PhoneKind | undefined, PhoneKind>;
  /** A fixed contact URI for a SIP phone that does not register ('sip:agent@127.0.0.1:5099'); null: it registers. */
  sip_contact: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1: they logged in with a one-time password and must choose their own before anything else */
  must_change_password: ColumnType<number, number | undefined, number>;
}

export interface CallsTable {
  id: string;
  channel_id: string;
  direction: CallDirection;
  caller_number: string;
  caller_e164: string | null;
  identification: ColumnType<Identification, Identification | undefined, Identification>;
  account_id: number | null;
  agent_id: number | null;
  queue: string | null;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  outcome: CallOutcome | null;
  hangup_cause: number | null;
  hangup_cause_text: string | null;
  state: string | null;
  /** what the caller dialled (the request URI's user part, Asterisk's extension); null for calls we placed */
  dialed: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CallEventsTable {
  id: Generated<number>;
  call_id: string;
  at: string;
  type: string;
  data: ColumnType<string, string | undefined, string>;
}

export interface MeterReadingsTable {
  id: Generated<number>;
  account_id: number;
  taken_at: string;
  day_value: number;
  night_value: number | null;
  source: string;
  call_id: string | null;
}

export interface ConsultationsTable {
  id: Generated<number>;
  call_id: string | null;
  agent_id: number;
  account_id: number | null;
  topic: string;
  notes: ColumnType<string, string | undefined, string>;
  resolved: number;
  created_at: string;
}

export interface AppealsTable {
  id: Generated<number>;
  number: string;
  call_id: string | null;
  agent_id: number | null;
  account_id: number | null;
  customer_id: number | null;
  kind: string;
  channel: string;
  subject: string;
  body: ColumnType<string, string | undefined, string>;
  status: string;
  registered_at: string;
  due_date: string;
  answered_at: string | null;
  idempotency_key: string | null;
}

/** The last registration number given out in a calendar year (Kaliningrad); see server/appeals/rules.ts. */
export interface AppealCountersTable {
  /** 2026, not 26 */
  year: number;
  last_seq: number;
}

export interface CallbackRequestsTable {
  id: Generated<number>;
  call_id: string | null;
  account_id: number | null;
  phone_e164: string;
  queue: string;
  status: string;
  requested_at: string;
  queue_entered_at: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string | null;
  last_outcome: string | null;
  agent_id: number | null;
  updated_at: string;
}

export interface CallbackAttemptsTable {
  id: Generated<number>;
  request_id: number;
  call_id: string | null;
  agent_id: number | null;
  manual: ColumnType<number, number | undefined, number>;
  started_at: string;
  ended_at: string | null;
  outcome: string | null;
  talk_ms: number | null;
}

export interface SurveyAnswersTable {
  id: Generated<number>;
  call_id: string;
  agent_id: number | null;
  appeal_id: number | null;
  score: number;
  answered_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_agent_id: number | null;
  action: string;
  subject: string;
  details: ColumnType<string, string | undefined, string>;
  /** JSON of the changed values before the change; null for a creation and for actions without values */
  before: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON of the changed values after it; never a password or a hash */
  after: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A recorded conversation; the audio is Asterisk's stored recording `name` (server/recordings/). */
export interface RecordingsTable {
  id: Generated<number>;
  call_id: string;
  /** ARI's recording name: the file <astspooldir>/recording/<name>.<format> */
  name: string;
  format: string;
  agent_id: number | null;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  size_bytes: number | null;
  status: RecordingStatus;
  /** why a failed one failed */
  failure: string | null;
}

/** `recording` while Asterisk records; `done` once its file is complete; `failed` when there is none to play. */
export type RecordingStatus = 'recording' | 'done' | 'failed';

export interface OfficesTable {
  id: Generated<number>;
  sort_order: number;
  city_ru: string;
  city_en: string;
  address_ru: string;
  address_en: string;
  hours_ru: string;
  hours_en: string;
  active: ColumnType<number, number | undefined, number>;
  /** the towns (accounts.city) whose customers it serves, comma-separated */
  towns: ColumnType<string, string | undefined, string>;
  /** the office's phone number as said to callers ('+7 4012 00-00-00'); '' for none */
  phone: ColumnType<string, string | undefined, string>;
}

/** A queue callers wait in; reference data, edited in the table. Times in seconds. */
export interface QueuesTable {
  /** 'general', 'billing', 'readings', 'appeals' */
  id: string;
  title_ru: string;
  title_en: string;
  skill: string;
  /** higher is served first */
  priority: ColumnType<number, number | undefined, number>;
  /** service level: answered within this many seconds */
  sl_threshold_s: ColumnType<number, number | undefined, number>;
  max_wait_s: ColumnType<number, number | undefined, number>;
  announce_every_s: ColumnType<number, number | undefined, number>;
  /** a waiting caller's first announcement of place and estimate, after joining (at most 15) */
  first_announce_s: ColumnType<number, number | undefined, number>;
  wrap_up_s: ColumnType<number, number | undefined, number>;
  ring_s: ColumnType<number, number | undefined, number>;
  recording: ColumnType<number, number | undefined, number>;
  active: ColumnType<number, number | undefined, number>;
  /** the music-on-hold class waiting callers hear (musiconhold.conf); Asterisk plays 'default' for one it lacks */
  music_class: ColumnType<string, string | undefined, string>;
}

export interface QueueMembersTable {
  queue_id: string;
  agent_id: number;
  /** 1 is offered calls first */
  priority: ColumnType<number, number | undefined, number>;
}

/** An agent's current state (its state machine as JSON), restored when the server starts. */
export interface AgentStatesTable {
  agent_id: number;
  state: string;
  since: string;
}

/** Every transition of an agent's state. */
export interface AgentStateLogTable {
  id: Generated<number>;
  agent_id: number;
  at: string;
  /** null for an agent's first state */
  from_state: string | null;
  to_state: string;
  reason: ColumnType<string, string | undefined, string>;
}

/**
 * A staff member's login. `id` is the hex SHA-256 of the token in the `cc_session` cookie (the
 * token itself is stored nowhere); `expires_at` is `last_seen_at` plus the idle time and slides.
 */
export interface SessionsTable {
  id: string;
  agent_id: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  user_agent: ColumnType<string, string | undefined, string>;
}

/** One line of Asterisk's queue_log (server/queue-log/format.ts), in the order it was written (`id`). */
export interface QueueLogTable {
  id: Generated<number>;
  /** seconds since the epoch */
  epoch: number;
  call_id: string;
  queue: string;
  agent: string;
  event: string;
  /** the fields after the event, joined by '|' as in the file */
  data: string;
}

export interface Database {
  customers: CustomersTable;
  accounts: AccountsTable;
  account_phones: AccountPhonesTable;
  charges: ChargesTable;
  payments: PaymentsTable;
  agents: AgentsTable;
  calls: CallsTable;
  call_events: CallEventsTable;
  meter_readings: MeterReadingsTable;
  consultations: ConsultationsTable;
  appeals: AppealsTable;
  appeal_counters: AppealCountersTable;
  callback_requests: CallbackRequestsTable;
  callback_attempts: CallbackAttemptsTable;
  survey_answers: SurveyAnswersTable;
  audit_log: AuditLogTable;
  recordings: RecordingsTable;
  offices: OfficesTable;
  queues: QueuesTable;
  queue_members: QueueMembersTable;
  agent_states: AgentStatesTable;
  agent_state_log: AgentStateLogTable;
  sessions: SessionsTable;
  queue_log: QueueLogTable;
}

export type Call = Selectable<CallsTable>;
export type NewCall = Insertable<CallsTable>;
export type CallUpdate = Updateable<CallsTable>;
export type CallEventRow = Selectable<CallEventsTable>;
export type Account = Selectable<AccountsTable>;
export type Customer = Selectable<CustomersTable>;
export type Agent = Selectable<AgentsTable>;
export type NewAgent = Insertable<AgentsTable>;
export type Queue = Selectable<QueuesTable>;
export type Appeal = Selectable<AppealsTable>;
export type Consultation = Selectable<ConsultationsTable>;
export type Recording = Selectable<RecordingsTable>;
