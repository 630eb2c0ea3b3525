import t from 'tap';
import type { CallContext } from '../../ivr/call.js';
import type { Speech } from '../../ivr/speech.js';
import { validateCalendar, type Calendar } from '../../ivr/working-hours.js';
import { renderSpeech } from '../../prompts/render.js';
import { ClockedIvr } from '../support/clocked-ivr.js';

const offer = { afterWaitMs: 60_000, estimateAboveMs: 120_000, repeatMs: 0 };

/** A caller from +74012000001 who pressed 0 and has just heard the offer (a minute in). */
function offered(ctx: Partial<CallContext> = {}) {
  const ivr = new ClockedIvr('2026-11-25T08:00:00Z', { callbackOffer: offer, callerE164: '+74012000001', ...ctx });
  ivr.start();
  ivr.press('0');
  ivr.joined();
  ivr.finishPrompt();
  ivr.advance(60_000);
  return ivr;
}

const said = (speech: Speech[]) => speech.map((s) => renderSpeech(s, 'ru').text).join(' ');

t.test('1 reads back the number the caller called from, in digit groups, with keys to confirm or change it', async (t) => {
  const ivr = offered();
  ivr.press('1');
  t.same(ivr.heard(), ['callback_readback']);
  t.equal(said(ivr.lastPlay().speech),
    'Мы перезвоним на номер восемь, четыреста один, двести, ноль ноль, ноль один. Если номер верный, нажмите один. Чтобы ввести другой номер, нажмите два.');
});

t.test('confirming books the callback keeping the place, then thanks and a polite hang-up', async (t) => {
  const ivr = offered();
  ivr.press('1');
  ivr.press('1');
  t.same(ivr.booking(), { kind: 'callback_convert', number: '+74012000001' });
  ivr.press('5');
  t.equal(ivr.dialog.step.step, 'booking', 'keys while booking change nothing');
  ivr.answerBooking({ kind: 'callback_booked', requestId: 7, dueAt: null });
  t.same(ivr.heard(), ['callback_accepted']);
  t.same(ivr.notes('callback_booked'), [{ requestId: 7, mode: 'keep_place', dueAt: null }]);
  t.same(ivr.finishPlaying(), [{ do: 'hang_up' }]);
  t.same(ivr.state, { kind: 'hanging_up', outcome: 'completed' });
  const offerAt = ivr.effects.findIndex((e) => e.do === 'play' && e.speech.some((x) => x.prompt === 'callback_offer'));
  t.notOk(ivr.effects.slice(offerAt).some((e) => e.do === 'hold_music' && e.on), 'no music after the offer was taken');
});

t.test('2 takes another number: typed with #, read back, then booked', async (t) => {
  const ivr = offered();
  ivr.press('12');
  t.same(ivr.heard(), ['callback_enter_number']);
  ivr.press('8 (916) 123-45-67'.replace(/\D/g, '') + '#');
  t.same(ivr.heard(), ['callback_readback']);
  t.same(ivr.lastPlay().speech[0]?.params, { number: { kind: 'phone', e164: '+79161234567' } });
  ivr.press('1');
  t.same(ivr.booking(), { kind: 'callback_convert', number: '+79161234567' });
});

t.test('a number that is not a valid Russian one is refused with a prompt; a valid one is then accepted', async (t) => {
  const ivr = offered();
  ivr.press('12');
  ivr.press('12345#');
  t.same(ivr.heard(), ['callback_number_invalid', 'callback_enter_number']);
  ivr.press('77012345678#');
  t.same(ivr.heard(), ['callback_number_invalid', 'callback_enter_number'], 'a Kazakh number (+7 7xx) is refused too');
  t.equal(ivr.notes('input_rejected').length, 2);
  // Ten digits, no # : taken once the caller stops typing.
  ivr.press('4012123456');
  ivr.hush();
  t.same(ivr.lastPlay().speech[0]?.params, { number: { kind: 'phone', e164: '+74012123456' } });
  ivr.press('1');
  t.same(ivr.booking(), { kind: 'callback_convert', number: '+74012123456' });
});

t.test('three bad numbers: the caller stays in the queue with the music, not asked again', async (t) => {
  const ivr = offered();
  ivr.press('12');
  ivr.press('1#');
  ivr.press('2#');
  const fx = ivr.press('3#');
  t.same(fx.at(-1), { do: 'hold_music', on: true });
  t.same(ivr.state.kind === 'queued' && ivr.state.callback, { at: 'open', timerId: null }, 'a 1 during the music still books it');
  t.same(ivr.notes('callback_declined'), [{ mode: 'keep_place', by: 'misses' }]);
});

t.test('a withheld number goes straight to entering one', async (t) => {
  const ivr = offered({ callerE164: null });
  ivr.press('1');
  t.same(ivr.heard(), ['callback_enter_number']);
});

t.test('an agent connecting mid-dialog wins: the dialog stops and a late booking answer is ignored', async (t) => {
  const ivr = offered();
  ivr.press('1');
  const readback = ivr.lastPlay().playbackId;
  const fx = ivr.send({ type: 'agent_connected', agentId: 5 });
  t.same(fx[0], { do: 'stop_playback', playbackId: readback });
  t.equal(ivr.state.kind, 'with_agent');

  const booking = offered();
  booking.press('11');
  const requestId = booking.dialog.phase.kind === 'waiting' ? booking.dialog.phase.requestId : '';
  booking.send({ type: 'agent_connected', agentId: 5 });
  t.same(booking.send({ type: 'data', requestId, response: { kind: 'failed', error: 'CC_ERR_CALLBACK_NOT_WAITING' } }), []);
  t.equal(booking.state.kind, 'with_agent', 'with the agent, nothing said');
});

t.test('a booking that fails leaves the caller waiting in line, told so', async (t) => {
  const ivr = offered();
  ivr.press('11');
  ivr.answerBooking({ kind: 'failed', error: 'database is locked' });
  t.same(ivr.heard(), ['callback_failed']);
  t.same(ivr.finishPlaying(), [{ do: 'hold_music', on: true }]);
  t.equal(ivr.state.kind, 'queued');
});

t.test('queue announcements wait while the dialog runs; the end of the wait ends it', async (t) => {
  const ivr = offered();
  ivr.press('1');
  t.same(ivr.status({ position: 1, estimateMs: 30_000 }), []);
  ivr.finishPlaying();
  const listening = ivr.dialog.phase;
  const fx = ivr.send({ type: 'wait_expired' });
  t.same(fx[0], { do: 'cancel_timer', timerId: listening.kind === 'listening' ? listening.timerId : '' });
  t.same(ivr.heard(), ['queue_timeout']);
});

t.test('a caller who hangs up during the thanks completed the call', async (t) => {
  const ivr = offered();
  ivr.press('11');
  ivr.answerBooking({ kind: 'callback_booked', requestId: 1, dueAt: null });
  ivr.send({ type: 'hung_up', by: 'remote', cause: { code: 16, text: 'Normal Clearing' } });
  t.match(ivr.state, { kind: 'ended', outcome: 'completed' });
});

/*
 * Out of hours. Weekdays 08:00-20:00; 4 November 2026 (a Wednesday) a holiday; Saturday
 * 7 November 2026 a moved working day, 08:00-17:00; 1-8 January 2027 the new year holidays.
 */
const calendar: Calendar = validateCalendar({
  weekly: {
    mon: [{ from: '08:00', to: '20:00' }], tue: [{ from: '08:00', to: '20:00' }], wed: [{ from: '08:00', to: '20:00' }],
    thu: [{ from: '08:00', to: '20:00' }], fri: [{ from: '08:00', to: '20:00' }], sat: [], sun: [],
  },
  holidays: ['2026-11-04', '2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08'],
  workdays: [{ date: '2026-11-07', hours: [{ from: '08:00', to: '17:00' }] }],
});

/** A caller who chooses the operator at `at` (UTC; Kaliningrad is UTC+2). */
function operatorAt(at: string, ctx: Partial<CallContext> = {}) {
  const ivr = new ClockedIvr(at, { hours: calendar, callbackOffer: offer, callerE164: '+79161234567', ...ctx });
  ivr.start();
  ivr.press('0');
  return ivr;
}

const opening = (ivr: ClockedIvr) => said(ivr.lastPlay().speech.slice(0, 2));

t.test('out of hours the operator option says when the center opens: the day after a holiday', async (t) => {
  const ivr = operatorAt('2026-11-04T10:00:00Z');
  t.equal(ivr.state.kind, 'after_hours');
  t.notOk(ivr.effects.some((e) => e.do === 'enqueue'), 'nobody is queued');
  t.same(ivr.heard(), ['center_closed', 'center_opens', 'callback_offer_later']);
  t.equal(opening(ivr), 'Контакт-центр сейчас не работает. Мы откроемся завтра в восемь часов.');
  t.same(ivr.notes('center_closed'), [{ queue: 'general', opensAt: '2026-11-05T06:00:00.000Z' }]);
});

t.test('on a Friday evening before a moved working day the center opens on Saturday', async (t) => {
  const ivr = operatorAt('2026-11-06T18:30:00Z');
  t.equal(opening(ivr), 'Контакт-центр сейчас не работает. Мы откроемся завтра в восемь часов.');
  t.same(ivr.lastPlay().speech[1]?.params, { when: { kind: 'moment', day: '2026-11-07', time: '08:00', today: '2026-11-06' } });
});

t.test('after the moved working day closes, the next opening is Monday, said as a weekday', async (t) => {
  const ivr = operatorAt('2026-11-07T15:00:00Z');
  t.equal(opening(ivr), 'Контакт-центр сейчас не работает. Мы откроемся в понедельник в восемь часов.');
});

t.test('across the new year holidays the opening is said as a date', async (t) => {
  const ivr = operatorAt('2026-12-31T22:30:00Z');
  t.equal(opening(ivr), 'Контакт-центр сейчас не работает. Мы откроемся одиннадцатого января в восемь часов.');
});

t.test('out of hours, 1 and 1 book a callback for the opening, said back, then a polite hang-up', async (t) => {
  const ivr = operatorAt('2026-11-04T10:00:00Z');
  ivr.press('1');
  t.same(ivr.lastPlay().speech[0]?.params, { number: { kind: 'phone', e164: '+79161234567' } });
  ivr.press('1');
  t.same(ivr.booking(), { kind: 'callback_later', number: '+79161234567', queue: 'general' });
  ivr.answerBooking({ kind: 'callback_booked', requestId: 3, dueAt: '2026-11-05T06:00:00.000Z' });
  t.equal(said(ivr.lastPlay().speech), 'Спасибо. Мы перезвоним вам завтра в восемь часов. До свидания!');
  t.same(ivr.finishPlaying(), [{ do: 'hang_up' }]);
  t.same(ivr.state, { kind: 'hanging_up', outcome: 'completed' });
  t.notOk(ivr.effects.some((e) => e.do === 'enqueue'));
});

t.test('out of hours, declining with a key returns to the main menu; silence says goodbye', async (t) => {
  const menu = operatorAt('2026-11-04T10:00:00Z');
  menu.press('#');
  t.equal(menu.state.kind, 'ivr');
  t.same(menu.heard(), ['main_menu']);
  menu.finishPrompt();
  menu.press('3');
  t.same(menu.heard(), ['enter_account'], 'self-service works as before');

  const quiet = operatorAt('2026-11-04T10:00:00Z');
  quiet.hush();
  t.same(quiet.heard(), ['goodbye']);
  quiet.finishPlaying();
  t.same(quiet.state, { kind: 'hanging_up', outcome: 'completed' });
  t.same(quiet.requests(), [], 'nothing booked');
});

t.test('out of hours, a caller who hangs up has booked nothing and did not abandon a queue', async (t) => {
  const ivr = operatorAt('2026-11-04T10:00:00Z');
  ivr.send({ type: 'hung_up', by: 'remote', cause: { code: 16, text: 'Normal Clearing' } });
  t.match(ivr.state, { kind: 'ended', outcome: 'completed' });
  t.same(ivr.requests(), []);
});

t.test('out of hours, a failed booking is said and the call ends', async (t) => {
  const ivr = operatorAt('2026-11-04T10:00:00Z');
  ivr.press('11');
  ivr.answerBooking({ kind: 'failed', error: 'disk full' });
  t.same(ivr.heard(), ['service_unavailable', 'goodbye']);
  ivr.finishPlaying();
  t.same(ivr.state, { kind: 'hanging_up', outcome: 'failed' });
});

t.test('within working hours the operator option queues the caller as before', async (t) => {
  const ivr = operatorAt('2026-11-05T10:00:00Z');
  t.equal(ivr.state.kind, 'queued');
  t.ok(ivr.effects.some((e) => e.do === 'enqueue' && e.queue === 'general'));
  ivr.joined();
  t.same(ivr.heard(), ['queue_entered']);
});

t.test('with no opening in the next 60 days the caller hears that the center is closed, and goodbye', async (t) => {
  const closed = validateCalendar({ ...calendar, weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, workdays: [] });
  const ivr = operatorAt('2026-11-05T10:00:00Z', { hours: closed });
  t.same(ivr.heard(), ['center_closed', 'goodbye']);
  ivr.finishPlaying();
  t.same(ivr.state, { kind: 'hanging_up', outcome: 'completed' });
});
