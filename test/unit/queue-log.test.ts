import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import type { AgentState, PauseReason } from '../../server/agents/state.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { EventBus, type ContactCenterEvent } from '../../server/events/bus.js';
import { acdStep, emptyAcd, type AcdConfig, type AcdEvent, type QueueConfig } from '../../server/queue/acd.js';
import { formatLine, QueueLogMapper, type QueueLogDirectory } from '../../server/queue-log/format.js';
import { QueueLogService } from '../../server/queue-log/service.js';
import { addAgent } from '../support/app.js';

/** 2026-11-25 09:00:00 UTC: the fake clock's zero; every time below is seconds after it. */
const T0 = Date.parse('2026-11-25T09:00:00.000Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

const queue = (id: string): QueueConfig =>
  ({ id, priority: 0, ringMs: 15_000, maxWaitMs: 120_000, wrapUpMs: 10_000, announceEveryMs: 45_000, slThresholdMs: 20_000 });

/** operator1 (agent 1) serves general and billing, operator2 (agent 2) general only. */
const acdConfig: AcdConfig = {
  queues: [queue('general'), queue('billing')],
  members: [{ agentId: 1, queueId: 'general', priority: 1 }, { agentId: 1, queueId: 'billing', priority: 1 }, { agentId: 2, queueId: 'general', priority: 2 }],
  autoPauseAfterMisses: 3,
  defaultHandleMs: 180_000,
};

const directory: QueueLogDirectory = {
  memberName: (agentId) => `PJSIP/operator${agentId}`,
  queuesOf: (agentId) => acdConfig.members.filter((m) => m.agentId === agentId).map((m) => m.queueId).sort(),
  callerNumber: (callId) => ({ 'call-a': '+74012000001', 'call-b': '+74012000002', 'call-c': '+74012000003', 'call-d': '+74012000004', 'call-e': '+74012000005' })[callId] ?? '',
};

/**
 * The real ACD on a fake clock, its effects turned into bus events as the queue service
 * publishes them, fed to the mapper. Call ends and transfers also publish `completed` and
 * `transferred` with who ended the call and where it went, the events queue_log needs beyond the ACD's.
 */
class Script {
  #acd = emptyAcd();
  readonly lines: string[] = [];
  readonly skipped: string[] = [];
  readonly mapper = new QueueLogMapper(directory, (why) => this.skipped.push(why));

  publish(event: ContactCenterEvent): void {
    this.lines.push(...this.mapper.feed(event).map(formatLine));
  }

  #step(e: AcdEvent, s: number): void {
    const [next, effects] = acdStep(acdConfig, this.#acd, e);
    this.#acd = next;
    for (const fx of effects) {
      if (fx.do === 'agent_changed') this.publish({ type: 'agent_changed', agentId: fx.agentId, state: fx.state, reason: fx.reason, at: iso(s) });
      if (fx.do === 'queue_event') {
        const { do: _, ...event } = fx;
        this.publish({ type: 'queue_event', ...event, at: iso(s) });
      }
    }
  }

  #agent(agentId: number, event: Parameters<typeof agentEvent>[1], s: number) { this.#step(agentEvent(agentId, event, T0 + s * 1000), s); }
  login(agentId: number, s: number) { this.#agent(agentId, { type: 'logged_in' }, s); }
  logout(agentId: number, s: number) { this.#agent(agentId, { type: 'logged_out' }, s); }
  pause(agentId: number, reason: PauseReason, s: number) { this.#agent(agentId, { type: 'paused', reason }, s); }
  ready(agentId: number, s: number) { this.#agent(agentId, { type: 'made_available' }, s); }
  joins(callId: string, queueId: string, s: number) { this.#step({ type: 'caller_joined', callId, queueId, at: T0 + s * 1000 }, s); }
  abandons(callId: string, s: number) { this.#step({ type: 'caller_left', callId, reason: 'abandoned', at: T0 + s * 1000 }, s); }
  misses(callId: string, agentId: number, s: number) { this.#step({ type: 'offer_failed', callId, agentId, reason: 'no_answer', at: T0 + s * 1000 }, s); }
  answers(callId: string, agentId: number, s: number) { this.#step({ type: 'offer_answered', callId, agentId, at: T0 + s * 1000 }, s); }
  tick(s: number) { this.#step({ type: 'tick', at: T0 + s * 1000 }, s); }
  hangsUp(who: 'caller' | 'agent', callId: string, agentId: number, s: number) {
    this.#step({ type: 'call_finished', callId, agentId, at: T0 + s * 1000, talkMs: 0 }, s);
    this.publish({ type: 'queue_event', what: 'completed', callId, agentId, data: { by: who }, at: iso(s) });
  }
  transfers(callId: string, agentId: number, toQueue: string, s: number) {
    this.#step({ type: 'call_finished', callId, agentId, at: T0 + s * 1000, talkMs: 0 }, s);
    this.publish({ type: 'queue_event', what: 'transferred', callId, agentId, data: { to: { queue: toQueue } }, at: iso(s) });
    this.joins(callId, toQueue, s);
  }
}

function agentEvent(agentId: number, e: { type: 'logged_in' | 'logged_out' | 'made_available' } | { type: 'paused'; reason: PauseReason }, at: number): AcdEvent {
  return { type: 'agent_event', agentId, event: { ...e, at } };
}

t.test('the queue_log lines of a morning of scripted calls are exactly the hand-written expected file', async (t) => {
  const s = new Script();
  s.login(1, 0);
  s.login(2, 2);
  s.joins('call-a', 'general', 10); // offered to operator1, idle longest
  s.misses('call-a', 1, 16); // rings out; offered to operator2
  s.answers('call-a', 2, 19.6);
  s.joins('call-b', 'general', 20); // offered to operator1
  s.answers('call-b', 1, 22);
  s.joins('call-c', 'general', 30); // nobody free: waits first
  s.joins('call-d', 'general', 35); // waits second
  s.abandons('call-c', 40);
  s.hangsUp('caller', 'call-a', 2, 79); // operator2 wraps up for 10 s
  s.tick(89); // operator2 free: call-d offered
  s.answers('call-d', 2, 92);
  s.transfers('call-b', 1, 'billing', 142); // operator1 wraps up; call-b waits in billing
  s.tick(152); // operator1 free: call-b offered again
  s.answers('call-b', 1, 155);
  s.hangsUp('agent', 'call-d', 2, 212);
  s.hangsUp('caller', 'call-b', 1, 215);
  s.tick(222);
  s.pause(2, 'break', 223);
  s.tick(225);
  s.pause(1, 'training', 226);
  s.joins('call-e', 'general', 230); // everybody paused
  s.tick(350); // call-e reaches the 120 s maximum wait
  s.ready(2, 360);
  s.logout(1, 370);
  s.logout(2, 380);

  const expected = readFileSync(new URL('fixtures/queue_log.expected', import.meta.url), 'utf8');
  t.equal(s.lines.map((l) => `${l}\n`).join(''), expected);
  t.same(s.skipped, [], 'every event was placed');
});

t.test('a caller who takes the callback leaves the queue with EXITWITHKEY, their key and places', async (t) => {
  const s = new Script();
  s.publish({ type: 'queue_event', what: 'entered', callId: 'call-a', queueId: 'general', at: iso(0) });
  s.publish({ type: 'queue_event', what: 'entered', callId: 'call-b', queueId: 'general', at: iso(5) });
  s.publish({ type: 'queue_event', what: 'callback', callId: 'call-b', queueId: 'general', data: { key: '1' }, at: iso(65.9) });
  s.publish({ type: 'queue_event', what: 'abandoned', callId: 'call-a', queueId: 'general', at: iso(70) });
  t.same(s.lines.slice(2), [
    '1795597265|call-b|general|NONE|EXITWITHKEY|1|2|2|60',
    '1795597270|call-a|general|NONE|ABANDON|1|1|70',
  ]);
});

t.test('after a restart, an agent who was paused writes UNPAUSE with that reason and leaves the queues they are in', async (t) => {
  const mapper = new QueueLogMapper(directory);
  mapper.seedAgent(1, { kind: 'paused', reason: 'supervisor', since: T0 });
  const ready = mapper.feed({ type: 'agent_changed', agentId: 1, state: { kind: 'available', since: T0 + 1000 }, reason: 'made_available', at: iso(1) });
  const out = mapper.feed({ type: 'agent_changed', agentId: 1, state: { kind: 'offline' }, reason: 'logged_out', at: iso(2) });
  t.same([...ready, ...out].map(formatLine), [
    '1795597201|NONE|billing|PJSIP/operator1|UNPAUSE|supervisor',
    '1795597201|NONE|general|PJSIP/operator1|UNPAUSE|supervisor',
    '1795597202|MANAGER|billing|PJSIP/operator1|REMOVEMEMBER|',
    '1795597202|MANAGER|general|PJSIP/operator1|REMOVEMEMBER|',
  ]);
});

t.test('an agent in no queue logs in and out on the NONE queue', async (t) => {
  const mapper = new QueueLogMapper({ ...directory, queuesOf: () => [] });
  const lines = [
    ...mapper.feed({ type: 'agent_changed', agentId: 7, state: { kind: 'available', since: T0 }, reason: 'logged_in', at: iso(0) }),
    ...mapper.feed({ type: 'agent_changed', agentId: 7, state: { kind: 'offline' }, reason: 'logged_out', at: iso(1) }),
  ];
  t.same(lines.map(formatLine), ['1795597200|MANAGER|NONE|PJSIP/operator7|ADDMEMBER|', '1795597201|MANAGER|NONE|PJSIP/operator7|REMOVEMEMBER|']);
});

t.test('a caller number with a | or a line break cannot shift the fields of the line', async (t) => {
  const mapper = new QueueLogMapper({ ...directory, callerNumber: () => 'evil|1\n2' });
  const [line] = mapper.feed({ type: 'queue_event', what: 'entered', callId: 'call-a', queueId: 'general', at: iso(0) });
  t.equal(formatLine(line!), '1795597200|call-a|general|NONE|ENTERQUEUE||evil_1_2|1');
});

t.test('events that cannot be placed write no line and are reported', async (t) => {
  const skipped: string[] = [];
  const mapper = new QueueLogMapper(directory, (why) => skipped.push(why));
  const state: AgentState = { kind: 'on_call', callId: 'nowhere', since: T0, held: false, muted: false };
  t.same(mapper.feed({ type: 'queue_event', what: 'answered', callId: 'nowhere', agentId: 1, queueId: 'general', at: iso(0) }), []);
  t.same(mapper.feed({ type: 'queue_event', what: 'sung', callId: 'nowhere', at: iso(0) }), []);
  mapper.feed({ type: 'queue_event', what: 'entered', callId: 'call-a', queueId: 'general', at: iso(0) });
  t.same(mapper.feed({ type: 'queue_event', what: 'completed', callId: 'call-a', agentId: 1, data: { by: 'caller' }, at: iso(1) }), [], 'never connected');
  t.same(mapper.feed({ type: 'agent_changed', agentId: 1, state, reason: 'answered', at: iso(1) }).map((e) => e.event), ['ADDMEMBER', 'ADDMEMBER'],
    'an agent first seen busy is taken as logged in');
  t.equal(skipped.length, 3);
});

t.test('QUEUE_LOG_PATH: queue_log next to the database by default, a path of its own, or empty for no file', async (t) => {
  t.equal(loadConfig({}).queueLogPath, join('data', 'queue_log'));
  t.equal(loadConfig({ DB_PATH: '/var/lib/cc/cc.db' }).queueLogPath, '/var/lib/cc/queue_log');
  t.equal(loadConfig({ QUEUE_LOG_PATH: '/var/log/asterisk/queue_log' }).queueLogPath, '/var/log/asterisk/queue_log');
  t.equal(loadConfig({ QUEUE_LOG_PATH: '' }).queueLogPath, null);
});

/** The service over a real in-memory database and bus, writing to `file`. */
async function service(t: { teardown(fn: () => unknown): void }, file: string) {
  const db = openDatabase(':memory:');
  await migrateToLatest(db);
  const agentId = await addAgent(db, 'operator1', { general: 1, billing: 1 });
  const bus = new EventBus();
  const errors: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => { errors.push((JSON.parse(line) as { msg: string }).msg); } });
  const queueLog = await QueueLogService.create({ db, bus, log, file });
  t.teardown(async () => {
    await queueLog.stop();
    await db.destroy();
  });
  const login = (s: number) => bus.publish({ type: 'agent_changed', agentId, state: { kind: 'available', since: T0 + s * 1000 }, reason: 'logged_in', at: iso(s) });
  const logout = (s: number) => bus.publish({ type: 'agent_changed', agentId, state: { kind: 'offline' }, reason: 'logged_out', at: iso(s) });
  return { queueLog, errors, login, logout };
}

t.test('the service appends the lines to the file (creating its folder) and serves the same lines by time range', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-queue-log-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'log', 'queue_log');
  const { queueLog, login, logout } = await service(t, file);
  login(0);
  logout(60);
  const all = await queueLog.read({ from: 0, to: undefined, limit: 100 });
  t.same(all.lines, [
    '1795597200|MANAGER|billing|PJSIP/operator1|ADDMEMBER|',
    '1795597200|MANAGER|general|PJSIP/operator1|ADDMEMBER|',
    '1795597260|MANAGER|billing|PJSIP/operator1|REMOVEMEMBER|',
    '1795597260|MANAGER|general|PJSIP/operator1|REMOVEMEMBER|',
  ]);
  t.equal(readFileSync(file, 'utf8'), all.lines.map((l) => `${l}\n`).join(''));
  const later = await queueLog.read({ from: 1795597201, to: 1795597261, limit: 1 });
  t.same(later, { lines: ['1795597260|MANAGER|billing|PJSIP/operator1|REMOVEMEMBER|'], more: true });
});

t.test('a file that cannot be written costs the file its lines, not the service or the database', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-queue-log-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'not-a-folder'), '');
  const { queueLog, errors, login } = await service(t, join(dir, 'not-a-folder', 'queue_log'));
  login(0);
  const { lines } = await queueLog.read({ from: 0, to: undefined, limit: 100 });
  t.equal(lines.length, 2, 'stored in the database');
  t.match(errors, [/not written to the file/]);
});
