import t from 'tap';
import pino from 'pino';
import { Writable } from 'node:stream';
import { addAgent } from '../support/app.js';
import { noLeftovers, startTestAsterisk, startTestServer } from '../support/asterisk.js';
import { eventually } from '../support/fake-telephony.js';
import { callersWaitInQueue, type WaitingCaller } from '../support/waiting-callers.js';

/*
 * What waiting callers hear, measured as the RTP that reaches each sipp caller (captured on lo):
 * music on hold the whole time they wait, also while other callers hear their announcements and
 * right after their own, and music from the default class when their queue's class is missing.
 * Nobody answers: the only agent is logged in but on a break.
 */

const asterisk = await startTestAsterisk(t, 'queue-music');
// Registered before the server, so it runs after the server has stopped (teardowns run last first).
t.teardown(() => noLeftovers(asterisk));
const logged: Array<{ level: number; msg: string; [k: string]: unknown }> = [];
const log = pino({ level: 'warn' }, new Writable({ write(chunk: Buffer, _enc, done) { logged.push(JSON.parse(chunk.toString())); done(); } }));
let agentId = 0;
const server = await startTestServer(t, asterisk, {
  log,
  // The callback offer would take callers out of the music for a dialog: not here.
  env: { CALLBACK_OFFER_AFTER_S: '0', CALLBACK_OFFER_ESTIMATE_S: '0' },
  seed: async (db) => {
    // An announcement every 8 s (the API's minimum is 10): each caller hears several in 40 s, in turn.
    await db.updateTable('queues').set({ announce_every_s: 8, max_wait_s: 600 }).where('id', '=', 'general').execute();
    agentId = await addAgent(db, 'resting', { general: 1 });
    await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
  },
});
const boss = await server.loginAs('boss', 'boss-password');
await boss.inject({ method: 'POST', url: `/api/agents/${agentId}/login` });
t.equal((await boss.inject({ method: 'POST', url: `/api/agents/${agentId}/state`, payload: { state: 'paused', reason: 'break' } })).json().state.kind, 'paused', 'the only agent is on a break');

function describe(c: WaitingCaller): string {
  return `${c.callerNumber}: ${c.heard.packets} packets (${c.heard.soundPackets} with sound), longest gap ${c.heard.longestGapMs.toFixed(0)} ms, ` +
    `longest silence ${c.heard.longestSilenceMs.toFixed(0)} ms at +${(c.heard.longestSilenceAtMs / 1000).toFixed(1)} s, ${c.announcements} announcements`;
}

t.test('three callers waiting together each hear sound in every 2-second window of a 40-second wait, announcements included', async (t) => {
  const callers = await callersWaitInQueue({ asterisk, server, count: 3, waitMs: 40_000, numberPrefix: '+7999030000' });
  for (const c of callers) {
    t.equal(c.sipp.code, 0, `${c.callerNumber}: the call went as scripted`, { errors: c.sipp.errors });
    t.ok(c.announcements >= 3, `${c.callerNumber} heard announcements while waiting (${c.announcements})`);
    const quiet = c.heard.windows.filter((w) => w.sound === 0).map((w) => `+${w.startMs / 1000} s`);
    t.same(quiet, [], `${describe(c)}; windows without sound: ${quiet.join(', ') || 'none'}`);
    // The goal of issue 10: no gap in the RTP (silence, to the caller) of a second or more. Quiet
    // passages of the music itself are not gaps, so the longest silence is only reported above.
    t.ok(c.heard.longestGapMs < 1000, `${c.callerNumber}: never a second without RTP (longest gap ${c.heard.longestGapMs.toFixed(0)} ms)`);
  }
});

t.test('a queue whose music class Asterisk lacks still plays music (the default class) and the server says so once', async (t) => {
  await server.db.updateTable('queues').set({ music_class: 'no-such-class' }).where('id', '=', 'general').execute();
  await server.queue.reloadConfig();
  const before = logged.length;
  const callers = await callersWaitInQueue({ asterisk, server, count: 2, waitMs: 10_000, numberPrefix: '+7999031000' });
  for (const c of callers) {
    t.equal(c.sipp.code, 0, `${c.callerNumber}: the call went as scripted`, { errors: c.sipp.errors });
    t.same(c.heard.windows.filter((w) => w.sound === 0).map((w) => w.startMs), [], describe(c));
  }
  const warnings = await eventually(() => {
    const found = logged.slice(before).filter((l) => l['code'] === 'CC_ERR_QUEUE_MUSIC_CLASS_UNKNOWN');
    return found.length > 0 ? found : undefined;
  }, 5000, 'the warning about the music class');
  t.equal(warnings.length, 1, 'one warning for the queue, not one per caller');
  t.match(warnings[0], { level: 40, queue: 'general', musicClass: 'no-such-class' });
});
