import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { identifyCaller, type CallerIdentity } from './accounts/lookup.js';
import { appealsPlugin } from './appeals/plugin.js';
import { AppealService, ConsultationService } from './appeals/service.js';
import type { TelephonyPort } from './ari/port.js';
import { authPlugin } from './auth/plugin.js';
import { SessionService } from './auth/service.js';
import { callsPlugin } from './calls/plugin.js';
import { CallService, type SpeechPort } from './calls/service.js';
import { CallStore } from './calls/store.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { AppError } from './errors.js';
import { healthPlugin } from './health/plugin.js';
import { agentsPlugin } from './agents/plugin.js';
import { AgentPhones } from './agents/phones.js';
import { EventBus } from './events/bus.js';
import { QueueService } from './queue/service.js';
import { localMusicClasses } from './asterisk/config-files.js';
import { queueLogPlugin } from './queue-log/plugin.js';
import { QueueLogService } from './queue-log/service.js';
import { queuesPlugin } from './queues/plugin.js';
import { customersPlugin } from './customers/plugin.js';
import { livePlugin } from './live/plugin.js';
import websocket from '@fastify/websocket';
import { QueueAdmin } from './queues/service.js';
import { SelfService } from './self-service/service.js';
import type { Menu } from '../ivr/menu.js';
import type { Language } from '../ivr/speech.js';
import type { UiAssets } from './ui/bundle.js';
import { uiPlugin } from './ui/plugin.js';
import { leaveSipUpgradesToProxy, sipProxyPlugin } from './sip-proxy/plugin.js';
import { recordingsPlugin } from './recordings/plugin.js';
import { CallRecorder } from './recordings/recorder.js';
import { RecordingService } from './recordings/service.js';
import { CallbackService } from './callbacks/service.js';
import { callbacksPlugin } from './callbacks/plugin.js';
import { WorkingHours, ALWAYS_OPEN } from './schedule/service.js';
import { wallboardPlugin } from './wallboard/plugin.js';
import type { AsteriskObserver } from './trunks/observer.js';
import { trunksPlugin } from './trunks/plugin.js';
import { routeCall } from './trunks/routing.js';
import { TrunkService } from './trunks/service.js';
import { WallboardService } from './wallboard/service.js';
import { auditPlugin } from './audit/plugin.js';
import { AuditService } from './audit/service.js';
import { staffPlugin } from './staff/plugin.js';
import { StaffService, type StaffEffects } from './staff/service.js';
import { officesPlugin } from './offices/plugin.js';
import { OfficeService } from './offices/service.js';
import { prevoiceOffices } from './speech/prevoice.js';

export interface AppDeps {
  config: Readonly<Config>;
  db: Db;
  telephony: TelephonyPort;
  /** The process's logger; tests usually pass a silent one. Default: a pino logger at the configured level. */
  log?: FastifyBaseLogger;
  clock?: () => number;
  identify?: (rawCallerNumber: string) => Promise<CallerIdentity>;
  /** what callers hear: prompts as playable media (synthesized audio in production) */
  speech: SpeechPort;
  /** the voice menus in force (MenuRegistry.current) */
  menus: () => Readonly<Record<Language, Menu>>;
  /**
   * A fixed SIP-over-WebSocket URL for agents' browser softphones, straight to Asterisk's HTTP
   * server (ws://host:port/ws): tests and the bench compare it with the default, the page's own
   * origin (wss://<server>/sip, proxied to `asteriskHttpUrl`).
   */
  sipWsUrl?: string;
  /** Asterisk's HTTP server, behind /sip. Default: the local Asterisk's, http://127.0.0.1:<ASTERISK_HTTP_PORT>. */
  asteriskHttpUrl?: string;
  /** TLS: the server answers https (and wss) with it (server/tls/certificate.ts); absent: plain http */
  https?: { key: Buffer; cert: Buffer };
  /** the agent's web app (buildAgentUi); without it the server answers only /api */
  ui?: UiAssets;
  /**
   * The file queue_log lines are appended to (config.queueLogPath, passed by main.ts). Not taken
   * from `config` here, so apps built by tests never append to the real file; without it the
   * lines are kept in the database only.
   */
  queueLogFile?: string | null;
  /** the working hours in force (server/main.ts loads server/schedule/calendar.json); default: always open, so tests do not depend on the hour */
  hours?: WorkingHours;
  /**
   * The local Asterisk (main.ts passes its instance): where the trunks' registration states and
   * the calls refused for matching no trunk are read. Absent (an external Asterisk, most tests):
   * registration states are unknown and refused calls are not counted.
   */
  asteriskObserver?: AsteriskObserver;
}

export interface App {
  http: FastifyInstance;
  calls: CallService;
  queue: QueueService;
  bus: EventBus;
}

/**
 * The composition root: builds every service by constructor and registers one plugin per
 * feature. It starts nothing that talks to the outside (no listen, no ARI connect), so tests
 * drive it with app.inject() and a fake TelephonyPort.
 */
export async function buildApp(deps: AppDeps): Promise<App> {
  const http = Fastify({
    ...(deps.log !== undefined ? { loggerInstance: deps.log } : { logger: { level: deps.config.logLevel } }),
    ...(deps.https !== undefined && { https: { key: deps.https.key, cert: deps.https.cert } }),
    // Calls are identified by UUIDs we generate; ajv's formats give clear 400s for anything else.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  http.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      if (err.status >= 500) req.log.error({ err }, err.message);
      return reply.code(err.status).send(err.toJSON());
    }
    if (err.validation !== undefined) {
      return reply.code(400).send({
        code: 'CC_ERR_VALIDATION', message: err.message,
        details: { errors: err.validation.map((v) => ({ path: v.instancePath, message: v.message })) },
      });
    }
    if (err.statusCode !== undefined && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ code: 'CC_ERR_VALIDATION', message: err.message, details: {} });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ code: 'CC_ERR_INTERNAL', message: 'internal error', details: {} });
  });
  http.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ code: 'CC_ERR_NOT_FOUND', message: `no route ${req.method} ${req.url}`, details: {} }));

  const clock = deps.clock ?? Date.now;
  const bus = new EventBus();
  const store = new CallStore(deps.db);
  // The queue and the calls talk both ways: the queue tells a call its agent answered.
  let calls: CallService | undefined;
  const hours = deps.hours ?? WorkingHours.of(ALWAYS_OPEN);
  const callbacks = new CallbackService({ db: deps.db, hours, settings: deps.config.callbacks, log: http.log, clock });
  const recorder = new CallRecorder({ db: deps.db, telephony: deps.telephony, speech: deps.speech, log: http.log, clock });
  const queue = await QueueService.create({
    recorder,
    callbacks,
    db: deps.db, telephony: deps.telephony, bus, log: http.log, clock, outboundRoute: deps.config.outboundRoute, customerRingS: deps.config.outboundRingS,
    notify: (callId, event) => calls?.notify(callId, event) ?? Promise.resolve(),
    // The classes named in MOH_CLASSES, else those the project's own musiconhold.conf gives its Asterisk.
    musicClasses: new Set(deps.config.musicClasses ?? localMusicClasses()),
  });
  calls = new CallService({
    store,
    telephony: deps.telephony,
    identify: deps.identify ?? ((raw) => identifyCaller(deps.db, raw)),
    speech: deps.speech,
    selfService: new SelfService(deps.db, deps.clock, { accountCheck: deps.config.accountCheck, log: http.log }),
    menus: deps.menus,
    survey: deps.config.survey,
    queue,
    callbacks,
    hours,
    callbackOffer: deps.config.callbackOffer,
    // The trunk by the channel's endpoint, the entry by the number dialled (TRUNKS_FILE's DIDs).
    route: (channel) => routeCall(deps.config.trunks, channel.name, channel.dialed),
    log: http.log,
    ...(deps.clock && { clock: deps.clock }),
  });
  const trunks = new TrunkService({ trunks: deps.config.trunks, observer: deps.asteriskObserver, log: http.log, clock });
  await trunks.start();
  http.addHook('onClose', async () => trunks.stop());

  if (deps.https !== undefined) {
    // Browsers that once reached us over https never try plain http again (an office network is not a trusted one).
    http.addHook('onSend', async (_req, reply) => { reply.header('strict-transport-security', 'max-age=31536000'); });
  }
  // Its session hook guards every /api route, whichever plugin adds it, before or after this one.
  const sessions = new SessionService({ db: deps.db, clock, idleHours: deps.config.sessionIdleHours });
  await http.register(authPlugin, { sessions, sip: { wsUrl: deps.sipWsUrl, iceServers: deps.config.iceServers } });
  await http.register(sipProxyPlugin, { sessions, asteriskHttpUrl: deps.asteriskHttpUrl ?? `http://127.0.0.1:${deps.config.localAsterisk.httpPort}` });
  await http.register(healthPlugin, { db: deps.db, ariConnected: () => deps.telephony.connected, liveCalls: () => calls.liveCount });
  const queueLog = await QueueLogService.create({ db: deps.db, bus, log: http.log, file: deps.queueLogFile ?? null });
  // onClose hooks run last-registered first: the queue stops before the log, whose lines it may still cause.
  http.addHook('onClose', async () => queueLog.stop());
  queue.start();
  http.addHook('onClose', async () => queue.stop());
  // Pending callbacks go back into line once the queue runs; stopped before the queue.
  callbacks.attach(queue);
  await callbacks.start();
  http.addHook('onClose', async () => callbacks.stop());
  await http.register(callbacksPlugin, { callbacks, clock });
  await http.register(queueLogPlugin, { queueLog });
  // Agents' phones live in Asterisk's memory: pushed again after every (re)connection.
  const phones = new AgentPhones(deps.db, deps.telephony, http.log, { mediaAddress: deps.config.mediaAddress });
  deps.telephony.onConnection((e) => {
    if (e.type !== 'connected') return;
    void phones.syncAll().catch((err: unknown) => http.log.error({ err }, 'agent phones not provisioned; retried at the next connection'));
    void recorder.recover().catch((err: unknown) => http.log.error({ err }, 'recordings left by a stopped server not checked'));
  });
  await http.register(callsPlugin, { service: calls, store });
  await http.register(recordingsPlugin, { recorder, recordings: new RecordingService(deps.db, deps.telephony, clock) });
  await http.register(agentsPlugin, { queue, clock });
  await http.register(customersPlugin, { db: deps.db, clock });
  // At the root, so that every feature may serve a WebSocket (and tests may injectWS).
  await http.register(websocket, { options: { maxPayload: 4096 } });
  leaveSipUpgradesToProxy(http.server);
  await http.register(livePlugin, { db: deps.db, bus, queue });
  await http.register(queuesPlugin, { admin: new QueueAdmin(deps.db, () => queue.reloadConfig(), clock) });
  const staffEffects: StaffEffects = {
    // While ARI is down there is nothing to tell: the next connection's syncAll pushes and removes phones.
    phoneChanged: async (agentId) => {
      if (!deps.telephony.connected) return;
      await phones.sync(agentId).catch((err: unknown) => http.log.error({ err, agentId }, 'agent phone not updated in Asterisk; retried at the next connection'));
    },
    // Logged out of the queue engine, unless on a call: that one ends as usual and nothing follows (no memberships).
    deactivated: async (agentId) => {
      if (!['available', 'paused', 'wrap_up'].includes(queue.agentState(agentId).kind)) return;
      await queue.agentCommand(agentId, { type: 'logged_out', at: clock() })
        .catch((err: unknown) => http.log.warn({ err, agentId }, 'deactivated agent not logged out of the queue'));
    },
    membersChanged: () => queue.reloadConfig(),
  };
  await http.register(staffPlugin, { staff: new StaffService({ db: deps.db, clock, effects: staffEffects }) });
  await http.register(auditPlugin, { audit: new AuditService(deps.db) });
  // The IVR reads the offices table on every request; voicing the new sentences now spares the next caller the synthesizer's wait.
  const revoiceOffices = async () => {
    await prevoiceOffices(deps.db, deps.speech).catch((err: unknown) => http.log.error({ err }, 'office sentences not voiced ahead; voiced when a caller asks'));
  };
  await http.register(officesPlugin, { offices: new OfficeService({ db: deps.db, clock, changed: revoiceOffices }) });
  await http.register(trunksPlugin, { trunks });
  await http.register(wallboardPlugin, { wallboard: new WallboardService({ db: deps.db, queue, clock }) });
  await http.register(appealsPlugin, { appeals: new AppealService(deps.db, clock), consultations: new ConsultationService(deps.db, clock) });
  if (deps.ui !== undefined) await http.register(uiPlugin, { assets: deps.ui, ...(deps.sipWsUrl !== undefined && { sipWsUrl: deps.sipWsUrl }) });
  return { http, calls, queue, bus };
}
