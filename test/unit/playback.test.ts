import t from 'tap';
import type { Effect } from '../../ivr/call.js';
import { say, type Language, type Speech } from '../../ivr/speech.js';
import { fixedStart, fixedStarts, piecesOf } from '../../prompts/pieces.js';
import { Playbacks, type SpeechPort } from '../../server/calls/playback.js';
import { eventually, FakeTelephony } from '../support/fake-telephony.js';

t.test('a sentence with a value is voiced as its fixed start and the rest; short starts and value-first sentences stay whole', async (t) => {
  t.equal(fixedStart('Задолженность по лицевому счёту составляет {amount}.'), 'Задолженность по лицевому счёту составляет');
  t.equal(fixedStart('Вы {position} в очереди.'), null, 'one word is not worth a piece');
  t.equal(fixedStart('{city}, {address}. {hours}.'), null);
  t.equal(fixedStart('Спасибо за звонок.'), null, 'no value: a fixed prompt');
  t.same(piecesOf('balance_debt', 'ru', 'Задолженность по лицевому счёту составляет пять рублей.'), ['Задолженность по лицевому счёту составляет', 'пять рублей.']);
  t.same(piecesOf('queue_position', 'ru', 'Вы третий в очереди.'), ['Вы третий в очереди.']);
  t.ok(fixedStarts('ru').some((s) => s.id === 'balance_debt.start' && s.text === 'Задолженность по лицевому счёту составляет'), 'voiced ahead');
});

/** A speech port whose pieces resolve when the test says so. */
class ControlledSpeech implements SpeechPort {
  readonly pending: Array<{ media: string; resolve: () => void; reject: (e: Error) => void }> = [];
  constructor(private readonly cached: Set<string>) {}
  media(speech: Speech[], _language: Language): Promise<string[]> { return Promise.all(this.mediaEach(speech)); }
  mediaEach(speech: Speech[]): Array<Promise<string>> {
    return speech.map((s) => {
      const media = `sound:${s.prompt}`;
      if (this.cached.has(s.prompt)) return Promise.resolve(media);
      return new Promise<string>((resolve, reject) => this.pending.push({ media, resolve: () => resolve(media), reject }));
    });
  }
}

const play = (speech: Speech[]): Extract<Effect, { do: 'play' }> => ({ do: 'play', playbackId: 'c1-p1', speech, language: 'ru' });
const plays = (tel: FakeTelephony) => tel.requests.flatMap((r) => (r.op === 'play' ? [{ id: r.playbackId, media: r.media }] : []));

t.test('the ready start of a phrase plays at once; the rest follows under the machine\'s playback id when voiced', async (t) => {
  const tel = new FakeTelephony();
  const speech = new ControlledSpeech(new Set(['greeting']));
  const p = new Playbacks(tel, speech);
  await p.play('ch', play([say('greeting'), say('main_menu')]), undefined, () => t.fail('no failure'));
  t.same(plays(tel), [{ id: 'c1-p1-head', media: ['sound:greeting'] }], 'no wait for the rest');
  speech.pending[0]!.resolve();
  await eventually(() => (plays(tel).length === 2 ? true : undefined));
  t.same(plays(tel)[1], { id: 'c1-p1', media: ['sound:main_menu'] });
});

t.test('a phrase all of whose pieces are ready is one playback', async (t) => {
  const tel = new FakeTelephony();
  const p = new Playbacks(tel, new ControlledSpeech(new Set(['greeting', 'main_menu'])));
  await p.play('ch', play([say('greeting'), say('main_menu')]), undefined, () => undefined);
  t.same(plays(tel), [{ id: 'c1-p1', media: ['sound:greeting', 'sound:main_menu'] }]);
});

t.test('stopping a split phrase stops its start and never plays its rest', async (t) => {
  const tel = new FakeTelephony();
  const speech = new ControlledSpeech(new Set(['greeting']));
  const p = new Playbacks(tel, speech);
  await p.play('ch', play([say('greeting'), say('main_menu')]), undefined, () => undefined);
  await p.stop('c1-p1');
  speech.pending[0]!.resolve();
  await new Promise((r) => setImmediate(r));
  t.same(tel.requests.filter((r) => r.op === 'stop_playback').map((r) => r.op === 'stop_playback' && r.playbackId), ['c1-p1-head', 'c1-p1']);
  t.equal(plays(tel).length, 1, 'the rest was not played');
});

t.test('the rest failing to voice is reported, so the call can hang up as failed', async (t) => {
  const tel = new FakeTelephony();
  const speech = new ControlledSpeech(new Set(['greeting']));
  const p = new Playbacks(tel, speech);
  const failures: unknown[] = [];
  await p.play('ch', play([say('greeting'), say('main_menu')]), undefined, (err) => failures.push(err));
  speech.pending[0]!.reject(new Error('synthesis failed'));
  await eventually(() => (failures.length === 1 ? true : undefined));
  t.equal(plays(tel).length, 1);
});

t.test('voicing starts when the batch is known, before the effects before it have run', async (t) => {
  const tel = new FakeTelephony();
  const speech = new ControlledSpeech(new Set());
  const p = new Playbacks(tel, speech);
  const voiced = p.prepare([{ do: 'hold_music', on: false }, play([say('queue_next')])]);
  t.equal(speech.pending.length, 1, 'synthesis already under way');
  speech.pending[0]!.resolve();
  await p.play('ch', play([say('queue_next')]), voiced.get('c1-p1'), () => undefined);
  t.same(plays(tel), [{ id: 'c1-p1', media: ['sound:queue_next'] }]);
  t.equal(speech.pending.length, 1, 'not voiced twice');
});
