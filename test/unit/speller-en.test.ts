import t from 'tap';
import { ordinalEn, spellerFor, type Unit } from '../../prompts/spell/index.js';

const en = spellerFor('en');

const cardinals: Array<[n: number, spoken: string]> = [
  [0, 'zero'],
  [12, 'twelve'],
  [21, 'twenty-one'],
  [115, 'one hundred fifteen'],
  [1001, 'one thousand one'],
  [1_000_000, 'one million'],
  [2_500_000_000, 'two billion five hundred million'],
  [-7, 'minus seven'],
];
for (const [n, spoken] of cardinals) {
  t.test(`${n} is read «${spoken}»`, async (t) => {
    t.equal(en.number(n), spoken);
  });
}

t.test('gender does not change an English number', async (t) => {
  t.equal(en.number(2, 'f'), 'two');
});

const quantities: Array<[n: number, unit: Unit, spoken: string]> = [
  [0, 'kwh', 'zero kilowatt-hours'],
  [1, 'kwh', 'one kilowatt-hour'],
  [5, 'kwh', 'five kilowatt-hours'],
  [1, 'calendar_day', 'one calendar day'],
  [30, 'calendar_day', 'thirty calendar days'],
  [3, 'caller', 'three callers'],
];
for (const [n, unit, spoken] of quantities) {
  t.test(`${n} of unit ${unit} is read «${spoken}»`, async (t) => {
    t.equal(en.quantity(n, unit), spoken);
  });
}

const amounts: Array<[kopecks: number, spoken: string]> = [
  [0, 'zero rubles'],
  [1, 'one kopeck'],
  [100, 'one ruble'],
  [101, 'one ruble and one kopeck'],
  [123_456, 'one thousand two hundred thirty-four rubles and fifty-six kopecks'],
  [-2550, 'minus twenty-five rubles and fifty kopecks'],
];
for (const [kopecks, spoken] of amounts) {
  t.test(`${kopecks} kopecks are voiced «${spoken}»`, async (t) => {
    t.equal(en.money(kopecks), spoken);
  });
}

const dates: Array<[iso: string, spoken: string]> = [
  ['2026-11-21', 'November twenty-first, twenty twenty-six'],
  ['2000-01-01', 'January first, two thousand'],
  ['2001-03-02', 'March second, two thousand one'],
  ['2030-12-03', 'December third, twenty thirty'],
  ['1999-08-12', 'August twelfth, nineteen ninety-nine'],
  ['1905-05-30', 'May thirtieth, nineteen oh five'],
];
for (const [iso, spoken] of dates) {
  t.test(`${iso} is read «${spoken}»`, async (t) => {
    t.equal(en.date(iso), spoken);
  });
}

t.test('a date without its year is the month and the day only', async (t) => {
  t.equal(en.date('2026-07-04', { withYear: false }), 'July fourth');
});

t.test('the speller\'s ordinal is the English ordinal, gender and case ignored', async (t) => {
  t.equal(en.ordinal(23), 'twenty-third');
  t.equal(en.ordinal(21, 'f', 'acc'), 'twenty-first');
});

t.test('a case does not change English numbers, quantities, money or dates', async (t) => {
  t.equal(en.number(1, 'f', 'acc'), 'one');
  t.equal(en.quantity(1, 'minute', 'acc'), 'one minute');
  t.equal(en.quantity(21, 'ruble', 'gen'), 'twenty-one rubles');
  t.equal(en.money(201, 'acc'), 'two rubles and one kopeck');
  t.equal(en.date('2026-07-23', { case: 'gen' }), 'July twenty-third, twenty twenty-six');
});

t.test('ordinals end in -st, -nd, -rd, -th and -ieth as spoken', async (t) => {
  t.same([1, 2, 3, 5, 8, 9, 12, 20, 21, 100, 1000].map(ordinalEn),
    ['first', 'second', 'third', 'fifth', 'eighth', 'ninth', 'twelfth', 'twentieth', 'twenty-first', 'one hundredth', 'one thousandth']);
});

t.test('an account number is read in the same pairs as in Russian, zero-led pairs digit by digit', async (t) => {
  t.equal(en.digits('3900000001'), 'thirty-nine, zero zero, zero zero, zero zero, zero one');
  t.equal(en.digits('1234567'), 'one hundred twenty-three, forty-five, sixty-seven');
});

t.test('the last digits of an account are read as pairs without pauses', async (t) => {
  t.equal(en.lastDigits('1234'), 'twelve thirty-four');
});

t.test('an impossible date, a fraction or a non-digit string is refused with a RangeError', async (t) => {
  t.throws(() => en.date('2026-02-30'), RangeError);
  t.throws(() => en.money(0.5), RangeError);
  t.throws(() => en.number(Number.NaN), RangeError);
  t.throws(() => en.digits('39-00'), RangeError);
});

t.test('a language without a speller is refused with a RangeError', async (t) => {
  t.throws(() => spellerFor('de' as 'en'), RangeError);
});

t.test('a phone number is read digit by digit in its groups', async (t) => {
  t.equal(en.phone('+79161234567'), 'plus seven, nine one six, one two three, four five, six seven');
});

t.test('a moment is said from today, with a twelve-hour clock', async (t) => {
  t.equal(en.moment('2026-11-26', '08:00', '2026-11-25'), 'tomorrow at eight a.m.');
  t.equal(en.moment('2026-11-30', '15:05', '2026-11-27'), 'on Monday at three oh five p.m.');
  t.equal(en.moment('2027-01-11', '12:00', '2027-01-01'), 'on January eleventh at noon');
  t.equal(en.moment('2026-11-25', '08:30', '2026-11-25'), 'today at eight thirty a.m.');
});
