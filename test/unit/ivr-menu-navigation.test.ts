import t from 'tap';
import { IvrDriver } from '../support/ivr-driver.js';

t.test('an answered call hears the greeting with the offer of English, then the main menu', async (t) => {
  const ivr = new IvrDriver().start();
  t.same(ivr.heard(), ['greeting', 'language_offer']);
  ivr.finishPrompt();
  t.same(ivr.heard(), ['main_menu']);
  t.same(ivr.notes('menu'), [{ node: 'main' }]);
});

t.test('a key pressed during the greeting stops it and counts in the main menu', async (t) => {
  const ivr = new IvrDriver().start();
  const playing = ivr.lastPlay().playbackId;
  const fx = ivr.press('3');
  t.ok(fx.some((e) => e.do === 'stop_playback' && e.playbackId === playing), 'the greeting stops');
  t.same(ivr.notes('flow_started'), [{ flow: 'balance' }]);
  t.same(ivr.heard(), ['enter_account']);
});

t.test('a key pressed before the answer is confirmed is kept and used as soon as the greeting starts', async (t) => {
  const ivr = new IvrDriver();
  ivr.send({ type: 'started' });
  ivr.send({ type: 'dtmf', digit: '4' });
  ivr.send({ type: 'answered' });
  t.same(ivr.notes('flow_started'), [{ flow: 'appeal_status' }]);
  t.same(ivr.heard(), ['enter_appeal']);
});

t.test('9 during the greeting switches the call to English', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('9');
  t.equal(ivr.ivr.lang, 'en');
  t.equal(ivr.lastPlay().language, 'en');
  t.same(ivr.heard(), ['main_menu']);
});

t.test('1 opens reference information; an item is said and the information menu comes back', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.finishPrompt();
  ivr.press('1');
  t.same(ivr.heard(), ['info_menu']);
  ivr.press('2');
  t.same(ivr.heard(), ['info_payment']);
  ivr.finishPrompt();
  t.same(ivr.heard(), ['info_menu']);
  for (const [key, prompt] of [['3', 'info_readings'], ['4', 'info_deadlines'], ['5', 'info_online']] as const) {
    ivr.press(key);
    t.same(ivr.heard(), [prompt], `${key} says ${prompt}`);
    ivr.finishPrompt();
  }
  t.ok(ivr.ivr.served, 'hearing information counts as being served');
});

t.test('the offices are read from the data the server looks up', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('11');
  t.same(ivr.pendingRequest(), { kind: 'offices' });
  ivr.respond({ kind: 'offices', offices: [{ city: 'Калининград', address: 'улица Театральная, 34', hours: 'с восьми до семнадцати', towns: ['Калининград'] }] });
  t.same(ivr.heard(), ['info_offices_intro', 'info_office'], 'one office: read at once');
  t.same(ivr.lastPlay().speech[1]!.params, {
    city: { kind: 'text', value: 'Калининград' }, address: { kind: 'text', value: 'улица Театральная, 34' }, hours: { kind: 'text', value: 'с восьми до семнадцати' },
  });
  ivr.finishPrompt();
  t.same(ivr.heard(), ['info_menu']);
});

t.test('# goes back from the information menu to the main menu', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('1');
  ivr.press('#');
  t.same(ivr.heard(), ['main_menu']);
  t.same(ivr.notes('back'), [{ to: 'main' }]);
});

t.test('* repeats the menu', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.finishPrompt();
  const before = ivr.lastPlay().playbackId;
  ivr.press('*');
  t.same(ivr.heard(), ['main_menu']);
  t.not(ivr.lastPlay().playbackId, before, 'a new playback');
});

t.test('no input: a hint and the menu again, and after three the caller goes to the operator', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.finishPrompt();
  ivr.silence();
  t.same(ivr.heard(), ['no_input', 'main_menu']);
  ivr.silence();
  t.same(ivr.heard(), ['no_input', 'main_menu']);
  ivr.silence();
  t.same(ivr.notes('too_many_failures'), [{ place: 'main' }]);
  t.same(ivr.notes('operator_requested'), [{ queue: 'general', from: 'main' }]);
  t.equal(ivr.state.kind, 'queued');
  ivr.joined();
  t.same(ivr.heard(), ['misunderstood_to_operator'], 'told why they are sent to an operator');
});

t.test('a key that is not in the menu: a hint and the menu again, up to three times', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.finishPrompt();
  ivr.press('7');
  t.same(ivr.heard(), ['invalid_key', 'main_menu']);
  ivr.press('8');
  ivr.press('6');
  t.same(ivr.state.kind, 'queued');
  t.equal(ivr.notes('input_rejected').length, 3);
});

t.test('0 hands the caller to the general queue; once in line with operators on shift they are asked to stay on the line', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.finishPrompt();
  const fx = ivr.press('0');
  t.ok(fx.some((e) => e.do === 'enqueue' && e.queue === 'general'));
  t.notOk(fx.some((e) => e.do === 'play'), 'nothing said before the queue says who is on shift');
  t.same(ivr.state.kind, 'queued');
  ivr.joined({ loggedIn: 2 });
  t.same(ivr.heard(), ['queue_entered']);
});

t.test('a waiting caller hears their place and an estimate in minutes; the next announcement waits for the end of the one playing', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('0');
  ivr.joined();
  ivr.finishPrompt();
  ivr.status({ position: 3, estimateMs: 150_000 });
  t.same(ivr.heard(), ['queue_estimate', 'queue_position']);
  t.same(ivr.lastPlay().speech.map((s) => s.params), [{ minutes: { kind: 'minutes', n: 3 } }, { position: { kind: 'ordinal', n: 3 } }]);
  t.same(ivr.status({ position: 1, estimateMs: null }), [], 'never cut short');
  t.same(ivr.finishPrompt().map((e) => e.do), ['play'], 'said when the first ends, with no music in between');
  t.same(ivr.heard(), ['queue_estimate_unknown', 'queue_next']);
});

t.test('when an agent answers, an announcement still playing stops and the caller is with the agent', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('0');
  ivr.joined();
  const playing = ivr.lastPlay().playbackId;
  const fx = ivr.send({ type: 'agent_connected', agentId: 5 });
  t.same(fx[0], { do: 'stop_playback', playbackId: playing });
  t.match(ivr.state, { kind: 'with_agent', agentId: 5, queue: 'general' });
  t.same(ivr.send({ type: 'dtmf', digit: '5' }), [], 'keys go to the agent, not to us');
});

t.test('a call with an agent completes whoever hangs up; when the agent leaves (the survey off) we hang up the caller', async (t) => {
  const byCaller = new IvrDriver().start();
  byCaller.press('0');
  byCaller.joined();
  byCaller.send({ type: 'agent_connected', agentId: 5 });
  byCaller.send({ type: 'hung_up', by: 'remote', cause: { code: 16, text: '' } });
  t.equal(byCaller.state.kind === 'ended' && byCaller.state.outcome, 'completed');
  const byAgent = new IvrDriver({ survey: false }).start(); // with the survey on: test/unit/ivr-survey.test.ts
  byAgent.press('0');
  byAgent.joined();
  byAgent.send({ type: 'agent_connected', agentId: 5 });
  t.same(byAgent.send({ type: 'agent_left' }), [{ do: 'hang_up' }]);
  byAgent.send({ type: 'hung_up', by: 'us', cause: { code: 16, text: '' } });
  t.equal(byAgent.state.kind === 'ended' && byAgent.state.outcome, 'completed');
});

t.test('a caller who leaves the queue abandoned the call', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('12'); // served in the menu first
  ivr.press('0');
  ivr.joined();
  ivr.send({ type: 'hung_up', by: 'remote', cause: { code: 16, text: '' } });
  t.equal(ivr.state.kind === 'ended' && ivr.state.outcome, 'abandoned');
});

t.test('a caller who waited the longest allowed hears a polite message and is hung up', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('0');
  ivr.joined();
  ivr.send({ type: 'wait_expired' });
  t.same(ivr.heard(), ['queue_timeout']);
  t.same(ivr.finishPrompt(), [{ do: 'hang_up' }]);
  ivr.send({ type: 'hung_up', by: 'us', cause: { code: 16, text: '' } });
  t.equal(ivr.state.kind === 'ended' && ivr.state.outcome, 'timed_out', 'stored as timed out');
});

t.test('the end of a playback that a key already stopped changes nothing', async (t) => {
  const ivr = new IvrDriver().start();
  const greeting = ivr.lastPlay().playbackId;
  ivr.press('1');
  const before = ivr.state;
  t.same(ivr.send({ type: 'playback_finished', playbackId: greeting }), []);
  t.equal(ivr.state, before);
});

t.test('a timer cancelled by a key that still fires changes nothing', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.finishPrompt(); // greeting
  ivr.finishPrompt(); // main menu: now listening
  const listening = ivr.ivr.phase;
  if (listening.kind !== 'listening') throw new Error('expected to listen');
  const fx = ivr.press('1');
  t.ok(fx.some((e) => e.do === 'cancel_timer' && e.timerId === listening.timerId));
  t.same(ivr.send({ type: 'timer_fired', timerId: listening.timerId }), []);
});

t.test('a caller who hangs up in the menu without being served abandoned the call; timers are cancelled', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.finishPrompt();
  ivr.finishPrompt();
  const fx = ivr.send({ type: 'hung_up', by: 'remote', cause: { code: 16, text: 'Normal Clearing' } });
  t.equal(ivr.state.kind === 'ended' && ivr.state.outcome, 'abandoned');
  t.ok(fx.some((e) => e.do === 'cancel_timer'), 'the waiting timer is cancelled');
});

t.test('a caller who hangs up after being served completed the call', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('12');
  ivr.send({ type: 'hung_up', by: 'remote', cause: { code: 16, text: 'Normal Clearing' } });
  t.equal(ivr.state.kind === 'ended' && ivr.state.outcome, 'completed');
});

t.test('Asterisk shutting down under a call makes it failed', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('12');
  ivr.send({ type: 'hung_up', by: 'asterisk', cause: { code: 4, text: 'Asterisk shut down' } });
  t.equal(ivr.state.kind === 'ended' && ivr.state.outcome, 'failed');
});

t.test('an ARI error on a call hangs it up as failed, and a failing hang-up does not loop', async (t) => {
  const ivr = new IvrDriver().start();
  t.same(ivr.send({ type: 'effect_failed', effect: 'play', error: 'boom' }), [{ do: 'hang_up' }]);
  t.same(ivr.state, { kind: 'hanging_up', outcome: 'failed' });
  t.same(ivr.send({ type: 'effect_failed', effect: 'hang_up', error: 'gone' }), []);
  ivr.send({ type: 'hung_up', by: 'us', cause: { code: 16, text: 'x' } });
  t.equal(ivr.state.kind === 'ended' && ivr.state.outcome, 'failed');
});

t.test('a call lost while the server could not see it ends with the outcome the server chose', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.send({ type: 'lost', outcome: 'failed', reason: 'asterisk restarted' });
  t.same(ivr.state, { kind: 'ended', outcome: 'failed', cause: { code: 0, text: 'asterisk restarted' } });
});

t.test('events out of order are refused, not ignored', async (t) => {
  const ivr = new IvrDriver();
  t.throws(() => ivr.send({ type: 'answered' }), { code: 'CC_ERR_CALL_INVALID_TRANSITION' });
  ivr.start();
  t.throws(() => ivr.send({ type: 'started' }), { code: 'CC_ERR_CALL_INVALID_TRANSITION' });
  ivr.send({ type: 'hung_up', by: 'remote', cause: { code: 16, text: '' } });
  t.throws(() => ivr.send({ type: 'dtmf', digit: '1' }), { code: 'CC_ERR_CALL_INVALID_TRANSITION' });
});

t.test('an agent\'s blind transfer to another queue queues the caller there with the connecting message', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('0');
  ivr.joined();
  ivr.send({ type: 'agent_connected', agentId: 5 });
  const fx = ivr.send({ type: 'transferred', to: { queue: 'billing' } });
  t.ok(fx.some((e) => e.do === 'enqueue' && e.queue === 'billing'));
  t.match(ivr.state, { kind: 'queued', queue: 'billing' });
  t.same(ivr.heard(), ['queue_entered']);
  t.same(ivr.notes('transferred'), [{ from: 5, to: { queue: 'billing' } }]);
});

t.test('an agent\'s blind transfer back to the voice menu plays the main menu', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('0');
  ivr.joined();
  ivr.send({ type: 'agent_connected', agentId: 5 });
  ivr.send({ type: 'transferred', to: 'ivr' });
  t.equal(ivr.state.kind, 'ivr');
  t.same(ivr.heard(), ['main_menu']);
  ivr.press('3');
  t.same(ivr.heard(), ['enter_account'], 'and the menu works as before');
});

t.test('a waiting caller hears music only between announcements, never under one', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('0');
  ivr.joined();
  t.same(ivr.finishPrompt(), [{ do: 'hold_music', on: true }], 'after "connecting you", the music');
  const fx = ivr.status({ position: 2, estimateMs: 60_000 });
  t.same(fx[0], { do: 'hold_music', on: false }, 'out of the music before an announcement');
  t.equal(fx[1]?.do, 'play');
  t.same(ivr.finishPrompt(), [{ do: 'hold_music', on: true }]);
  const timeout = ivr.send({ type: 'wait_expired' });
  t.same(timeout[0], { do: 'hold_music', on: false });
});

const offices = [
  { city: 'Калининград', address: 'улица Театральная, дом тридцать четыре', hours: 'с восьми до семнадцати', towns: ['Калининград', 'Зеленоградск'] },
  { city: 'Советск', address: 'улица Победы, дом двадцать', hours: 'с восьми до шестнадцати', towns: ['Советск', 'Неман'] },
  { city: 'Черняховск', address: 'улица Ленина, дом десять', hours: 'с восьми до шестнадцати', towns: ['Черняховск'] },
];

t.test('an identified caller hears the office of their own town first, then a key for the others', async (t) => {
  const ivr = new IvrDriver({ town: 'Зеленоградск' }).start();
  ivr.press('11');
  ivr.respond({ kind: 'offices', offices });
  t.same(ivr.heard(), ['offices_nearest', 'info_office', 'offices_others_key']);
  t.same(ivr.lastPlay().speech[1]!.params?.['city'], { kind: 'text', value: 'Калининград' }, 'Zelenogradsk is served from Kaliningrad');
  t.same(ivr.notes('offices_nearest'), [{ town: 'Калининград' }]);
  ivr.press('1');
  t.same(ivr.heard(), ['info_offices_intro', 'info_office', 'info_office'], 'the two others');
  t.same(ivr.lastPlay().speech.slice(1).map((s) => s.params?.['city']), [{ kind: 'text', value: 'Советск' }, { kind: 'text', value: 'Черняховск' }]);
  ivr.finishPrompt();
  t.same(ivr.heard(), ['info_menu']);
});

t.test('silence after the nearest office returns to the information menu without a hint', async (t) => {
  const ivr = new IvrDriver({ town: 'Неман' }).start();
  ivr.press('11');
  ivr.respond({ kind: 'offices', offices });
  ivr.silence();
  t.same(ivr.heard(), ['info_menu']);
  t.same(ivr.notes('input_rejected'), []);
});

t.test('a caller whose town is unknown picks one: each office\'s town with its key, 9 for all', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('11');
  ivr.respond({ kind: 'offices', offices });
  t.same(ivr.heard(), ['offices_choose_town', 'offices_town_key', 'offices_town_key', 'offices_town_key', 'offices_all_key']);
  t.same(ivr.lastPlay().speech[2]!.params, { city: { kind: 'text', value: 'Советск' }, key: { kind: 'digits', value: '2' } });
  ivr.press('3');
  t.same(ivr.heard(), ['info_office']);
  t.same(ivr.lastPlay().speech[0]!.params?.['city'], { kind: 'text', value: 'Черняховск' });
  ivr.finishPrompt();
  ivr.press('1');
  ivr.respond({ kind: 'offices', offices });
  ivr.press('9');
  t.same(ivr.heard(), ['info_offices_intro', 'info_office', 'info_office', 'info_office']);
});

t.test('a town that no office serves gets the town menu; a wrong key there is a hint and the menu again', async (t) => {
  const ivr = new IvrDriver({ town: 'Москва' }).start();
  ivr.press('11');
  ivr.respond({ kind: 'offices', offices });
  t.equal(ivr.heard()[0], 'offices_choose_town');
  ivr.press('7');
  t.same(ivr.heard().slice(0, 2), ['invalid_key', 'offices_choose_town']);
  ivr.press('#');
  t.same(ivr.heard(), ['info_menu'], '# goes back to where the offices were asked for');
});
