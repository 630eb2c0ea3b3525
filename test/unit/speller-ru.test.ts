import t from 'tap';
import { ordinalRu, pluralRu, spellerFor, type Gender, type GrammaticalCase, type Unit } from '../../prompts/spell/index.js';

const ru = spellerFor('ru');
const genderName: Record<Gender, string> = { m: 'masculine', f: 'feminine', n: 'neuter' };
const caseName: Record<GrammaticalCase, string> = { nom: 'nominative', gen: 'genitive', acc: 'accusative' };

const cardinals: Array<[n: number, spoken: string, gender?: Gender]> = [
  [0, 'ноль'],
  [1, 'один'],
  [1, 'одна', 'f'],
  [1, 'одно', 'n'],
  [2, 'два'],
  [2, 'две', 'f'],
  [2, 'два', 'n'],
  [5, 'пять'],
  [11, 'одиннадцать'],
  [12, 'двенадцать'],
  [21, 'двадцать один'],
  [21, 'двадцать одна', 'f'],
  [40, 'сорок'],
  [101, 'сто один'],
  [999, 'девятьсот девяносто девять'],
  [1001, 'одна тысяча один'],
  [2000, 'две тысячи'],
  [5000, 'пять тысяч'],
  [11_000, 'одиннадцать тысяч'],
  [21_000, 'двадцать одна тысяча'],
  [22_002, 'двадцать две тысячи две', 'f'],
  [1_000_000, 'один миллион'],
  [2_000_000, 'два миллиона'],
  [5_000_000, 'пять миллионов'],
  [1_001_001, 'один миллион одна тысяча один'],
  [2_500_000_000, 'два миллиарда пятьсот миллионов'],
  [999_999_999_999, 'девятьсот девяносто девять миллиардов девятьсот девяносто девять миллионов '
    + 'девятьсот девяносто девять тысяч девятьсот девяносто девять'],
  [-15, 'минус пятнадцать'],
];
for (const [n, spoken, gender] of cardinals) {
  t.test(`${n}${gender ? ` agreeing with a ${genderName[gender]} noun` : ''} is read «${spoken}»`, async (t) => {
    t.equal(ru.number(n, gender), spoken);
  });
}

const quantities: Array<[n: number, unit: Unit, spoken: string]> = [
  [0, 'kwh', 'ноль киловатт-часов'],
  [1, 'kwh', 'один киловатт-час'],
  [2, 'kwh', 'два киловатт-часа'],
  [5, 'kwh', 'пять киловатт-часов'],
  [11, 'kwh', 'одиннадцать киловатт-часов'],
  [21, 'kwh', 'двадцать один киловатт-час'],
  [22, 'kwh', 'двадцать два киловатт-часа'],
  [25, 'kwh', 'двадцать пять киловатт-часов'],
  [111, 'kwh', 'сто одиннадцать киловатт-часов'],
  [1, 'calendar_day', 'один календарный день'],
  [3, 'calendar_day', 'три календарных дня'],
  [7, 'calendar_day', 'семь календарных дней'],
  [15, 'calendar_day', 'пятнадцать календарных дней'],
  [30, 'calendar_day', 'тридцать календарных дней'],
  [2, 'day', 'два дня'],
  [14, 'day', 'четырнадцать дней'],
  [1, 'minute', 'одна минута'],
  [2, 'minute', 'две минуты'],
  [5, 'minute', 'пять минут'],
  [22, 'second', 'двадцать две секунды'],
  [21, 'ruble', 'двадцать один рубль'],
  [3, 'caller', 'три абонента'],
  [12, 'position', 'двенадцать позиций'],
];
for (const [n, unit, spoken] of quantities) {
  t.test(`${n} of unit ${unit} is read «${spoken}»`, async (t) => {
    t.equal(ru.quantity(n, unit), spoken);
  });
}

const quantitiesInCase: Array<[n: number, unit: Unit, grammaticalCase: GrammaticalCase, spoken: string]> = [
  [1, 'minute', 'acc', 'одну минуту'],
  [2, 'minute', 'acc', 'две минуты'],
  [5, 'minute', 'acc', 'пять минут'],
  [21, 'minute', 'acc', 'двадцать одну минуту'],
  [1, 'kopeck', 'acc', 'одну копейку'],
  [1, 'position', 'acc', 'одну позицию'],
  [1, 'kwh', 'acc', 'один киловатт-час'],
  [21, 'calendar_day', 'acc', 'двадцать один календарный день'],
  [1000, 'ruble', 'acc', 'одну тысячу рублей'],
  [21_000, 'ruble', 'acc', 'двадцать одну тысячу рублей'],
  [2000, 'ruble', 'acc', 'две тысячи рублей'],
  [1_000_000, 'ruble', 'acc', 'один миллион рублей'],
  [1, 'caller', 'acc', 'одного абонента'],
  [2, 'caller', 'acc', 'двух абонентов'],
  [4, 'caller', 'acc', 'четырёх абонентов'],
  [5, 'caller', 'acc', 'пять абонентов'],
  [21, 'caller', 'acc', 'двадцать одного абонента'],
  [22, 'caller', 'acc', 'двадцать два абонента'],
  [0, 'ruble', 'gen', 'нуля рублей'],
  [1, 'ruble', 'gen', 'одного рубля'],
  [1, 'kopeck', 'gen', 'одной копейки'],
  [2, 'ruble', 'gen', 'двух рублей'],
  [5, 'kopeck', 'gen', 'пяти копеек'],
  [11, 'minute', 'gen', 'одиннадцати минут'],
  [21, 'ruble', 'gen', 'двадцати одного рубля'],
  [22, 'kwh', 'gen', 'двадцати двух киловатт-часов'],
  [30, 'calendar_day', 'gen', 'тридцати календарных дней'],
  [40, 'day', 'gen', 'сорока дней'],
  [90, 'day', 'gen', 'девяноста дней'],
  [100, 'calendar_day', 'gen', 'ста календарных дней'],
  [200, 'ruble', 'gen', 'двухсот рублей'],
  [1234, 'ruble', 'gen', 'одной тысячи двухсот тридцати четырёх рублей'],
  [2000, 'ruble', 'gen', 'двух тысяч рублей'],
  [21_000, 'kwh', 'gen', 'двадцати одной тысячи киловатт-часов'],
  [3_000_000, 'kwh', 'gen', 'трёх миллионов киловатт-часов'],
  [1, 'caller', 'gen', 'одного абонента'],
];
for (const [n, unit, grammaticalCase, spoken] of quantitiesInCase) {
  t.test(`${n} of unit ${unit} in the ${caseName[grammaticalCase]} is read «${spoken}»`, async (t) => {
    t.equal(ru.quantity(n, unit, grammaticalCase), spoken);
  });
}

t.test('a bare number declines too: «одну», «двух», «двадцати одного», «одну тысячу один»', async (t) => {
  t.equal(ru.number(1, 'f', 'acc'), 'одну');
  t.equal(ru.number(2, 'f', 'gen'), 'двух');
  t.equal(ru.number(21, 'm', 'gen'), 'двадцати одного');
  t.equal(ru.number(1001, 'm', 'acc'), 'одну тысячу один');
  t.equal(ru.number(-5, 'm', 'gen'), 'минус пяти');
});

const amounts: Array<[kopecks: number, spoken: string]> = [
  [0, 'ноль рублей'],
  [1, 'одна копейка'],
  [2, 'две копейки'],
  [5, 'пять копеек'],
  [50, 'пятьдесят копеек'],
  [100, 'один рубль'],
  [101, 'один рубль одна копейка'],
  [200, 'два рубля'],
  [1100, 'одиннадцать рублей'],
  [2100, 'двадцать один рубль'],
  [1122, 'одиннадцать рублей двадцать две копейки'],
  [123_456, 'одна тысяча двести тридцать четыре рубля пятьдесят шесть копеек'],
  [-150_075, 'минус одна тысяча пятьсот рублей семьдесят пять копеек'],
  [100_000_000, 'один миллион рублей'],
  [500_000_001, 'пять миллионов рублей одна копейка'],
];
for (const [kopecks, spoken] of amounts) {
  t.test(`${kopecks} kopecks are voiced «${spoken}»`, async (t) => {
    t.equal(ru.money(kopecks), spoken);
  });
}

const amountsInCase: Array<[kopecks: number, grammaticalCase: GrammaticalCase, spoken: string]> = [
  [1, 'acc', 'одну копейку'],
  [0, 'acc', 'ноль рублей'],
  [101, 'acc', 'один рубль одну копейку'],
  [2121, 'acc', 'двадцать один рубль двадцать одну копейку'],
  [123_456, 'acc', 'одну тысячу двести тридцать четыре рубля пятьдесят шесть копеек'],
  [-100_100, 'acc', 'минус одну тысячу один рубль'],
  [101, 'gen', 'одного рубля одной копейки'],
  [123_456, 'gen', 'одной тысячи двухсот тридцати четырёх рублей пятидесяти шести копеек'],
];
for (const [kopecks, grammaticalCase, spoken] of amountsInCase) {
  t.test(`${kopecks} kopecks in the ${caseName[grammaticalCase]} are voiced «${spoken}»`, async (t) => {
    t.equal(ru.money(kopecks, grammaticalCase), spoken);
  });
}

const dates: Array<[iso: string, spoken: string]> = [
  ['2026-01-01', 'первое января две тысячи двадцать шестого года'],
  ['2026-02-02', 'второе февраля две тысячи двадцать шестого года'],
  ['2026-03-03', 'третье марта две тысячи двадцать шестого года'],
  ['2026-04-23', 'двадцать третье апреля две тысячи двадцать шестого года'],
  ['2026-05-30', 'тридцатое мая две тысячи двадцать шестого года'],
  ['2026-06-15', 'пятнадцатое июня две тысячи двадцать шестого года'],
  ['2026-07-31', 'тридцать первое июля две тысячи двадцать шестого года'],
  ['2026-08-08', 'восьмое августа две тысячи двадцать шестого года'],
  ['2026-09-04', 'четвёртое сентября две тысячи двадцать шестого года'],
  ['2026-10-10', 'десятое октября две тысячи двадцать шестого года'],
  ['2026-11-21', 'двадцать первое ноября две тысячи двадцать шестого года'],
  ['2026-12-31', 'тридцать первое декабря две тысячи двадцать шестого года'],
  ['2000-01-01', 'первое января двухтысячного года'],
  ['2001-05-09', 'девятое мая две тысячи первого года'],
  ['2030-12-12', 'двенадцатое декабря две тысячи тридцатого года'],
  ['1999-12-31', 'тридцать первое декабря тысяча девятьсот девяносто девятого года'],
  ['2024-02-29', 'двадцать девятое февраля две тысячи двадцать четвёртого года'],
];
for (const [iso, spoken] of dates) {
  t.test(`${iso} is read «${spoken}»`, async (t) => {
    t.equal(ru.date(iso), spoken);
  });
}

t.test('a date without its year is the day and the month only', async (t) => {
  t.equal(ru.date('2026-12-21', { withYear: false }), 'двадцать первое декабря');
});

t.test('a date in the genitive declines its day only: «двадцать третьего июля две тысячи двадцать шестого года»', async (t) => {
  t.equal(ru.date('2026-07-23', { case: 'gen' }), 'двадцать третьего июля две тысячи двадцать шестого года');
  t.equal(ru.date('2026-07-01', { case: 'gen' }), 'первого июля две тысячи двадцать шестого года');
  t.equal(ru.date('2026-07-02', { case: 'gen' }), 'второго июля две тысячи двадцать шестого года');
  t.equal(ru.date('2026-07-03', { case: 'gen' }), 'третьего июля две тысячи двадцать шестого года');
  t.equal(ru.date('2026-11-02', { case: 'gen', withYear: false }), 'второго ноября');
});

t.test('a date in the accusative is said as in the nominative', async (t) => {
  t.equal(ru.date('2026-03-03', { case: 'acc' }), 'третье марта две тысячи двадцать шестого года');
});

const ordinals: Array<[n: number, gender: Gender, grammaticalCase: GrammaticalCase, spoken: string]> = [
  [3, 'm', 'nom', 'третий'],
  [3, 'f', 'nom', 'третья'],
  [3, 'n', 'gen', 'третьего'],
  [3, 'f', 'gen', 'третьей'],
  [2, 'm', 'nom', 'второй'],
  [7, 'f', 'gen', 'седьмой'],
  [40, 'm', 'nom', 'сороковой'],
  [100, 'm', 'gen', 'сотого'],
  [1000, 'm', 'gen', 'тысячного'],
  [3000, 'm', 'gen', 'трёхтысячного'],
  [2026, 'm', 'nom', 'две тысячи двадцать шестой'],
  [23, 'n', 'gen', 'двадцать третьего'],
  [1, 'f', 'acc', 'первую'],
  [2, 'f', 'acc', 'вторую'],
  [3, 'f', 'acc', 'третью'],
  [2, 'm', 'acc', 'второй'],
  [3, 'n', 'acc', 'третье'],
  [21_000, 'f', 'acc', 'двадцатиоднотысячную'],
];
for (const [n, gender, grammaticalCase, spoken] of ordinals) {
  t.test(`the ${genderName[gender]} ordinal of ${n} in the ${caseName[grammaticalCase]} is «${spoken}»`, async (t) => {
    t.equal(ordinalRu(n, gender, grammaticalCase), spoken);
  });
}

t.test('the speller\'s ordinal is masculine nominative unless told otherwise', async (t) => {
  t.equal(ru.ordinal(23), 'двадцать третий');
  t.equal(ru.ordinal(23, 'f', 'acc'), 'двадцать третью');
});

const digitStrings: Array<[s: string, group: number | undefined, spoken: string]> = [
  ['3900000001', undefined, 'тридцать девять, ноль ноль, ноль ноль, ноль ноль, ноль один'],
  ['1234567', undefined, 'сто двадцать три, сорок пять, шестьдесят семь'],
  ['012345', undefined, 'ноль один, двадцать три, сорок пять'],
  ['0012', undefined, 'ноль ноль, двенадцать'],
  ['7', undefined, 'семь'],
  ['0', undefined, 'ноль'],
  ['3900000001', 3, 'три, девятьсот, ноль ноль ноль, ноль ноль один'],
  ['2026', 1, 'два, ноль, два, шесть'],
];
for (const [s, group, spoken] of digitStrings) {
  t.test(`digits ${s} ${group ? `in groups of ${group}` : 'in pairs'} are read «${spoken}»`, async (t) => {
    t.equal(ru.digits(s, group === undefined ? undefined : { group }), spoken);
  });
}

t.test('the last digits of an account are read as pairs without pauses', async (t) => {
  t.equal(ru.lastDigits('1234'), 'двенадцать тридцать четыре');
  t.equal(ru.lastDigits('0907'), 'ноль девять ноль семь');
  t.equal(ru.lastDigits('2010'), 'двадцать десять');
});

t.test('pluralRu picks the form for 1, for 2-4 and for the rest, with 11-14 taking the last', async (t) => {
  const forms = ['рубль', 'рубля', 'рублей'] as const;
  t.same([1, 2, 4, 5, 11, 14, 21, 24, 111, 1001, -3].map((n) => pluralRu(n, [...forms])),
    ['рубль', 'рубля', 'рубля', 'рублей', 'рублей', 'рублей', 'рубль', 'рубля', 'рублей', 'рубль', 'рубля']);
});

const refused: Array<[what: string, call: () => unknown]> = [
  ['a fractional number', () => ru.number(1.5)],
  ['NaN', () => ru.number(Number.NaN)],
  ['Infinity', () => ru.number(Number.POSITIVE_INFINITY)],
  ['a number above 999 999 999 999 999', () => ru.number(1e15)],
  ['a fractional quantity', () => ru.quantity(2.5, 'kwh')],
  ['fractional kopecks', () => ru.money(10.5)],
  ['NaN kopecks', () => ru.money(Number.NaN)],
  ['February 30th', () => ru.date('2026-02-30')],
  ['February 29th of a common year', () => ru.date('2026-02-29')],
  ['April 31st', () => ru.date('2026-04-31')],
  ['month 13', () => ru.date('2026-13-01')],
  ['month 00', () => ru.date('2026-00-10')],
  ['a date that is not a date', () => ru.date('abc')],
  ['a date without zero padding', () => ru.date('2026-2-3')],
  ['an empty digit string', () => ru.digits('')],
  ['a digit string with a space', () => ru.digits('12 34')],
  ['a digit string with a letter', () => ru.lastDigits('12a4')],
  ['a digit group of 0', () => ru.digits('123', { group: 0 })],
  ['a negative ordinal', () => ordinalRu(-1, 'm', 'nom')],
  ['a fractional ordinal', () => ordinalRu(2.5, 'n', 'gen')],
  ['a fractional plural count', () => pluralRu(1.5, ['рубль', 'рубля', 'рублей'])],
];
for (const [what, call] of refused) {
  t.test(`${what} is refused with a RangeError`, async (t) => {
    t.throws(call, RangeError);
  });
}

t.test('a phone number is read back as dialled: 8, the code, then 3-2-2, groups starting with 0 digit by digit', async (t) => {
  t.equal(ru.phone('+79161234567'), 'восемь, девятьсот шестнадцать, сто двадцать три, сорок пять, шестьдесят семь');
  t.equal(ru.phone('+74012000001'), 'восемь, четыреста один, двести, ноль ноль, ноль один');
  t.throws(() => ru.phone('89161234567'), RangeError, 'only E.164');
  t.throws(() => ru.phone('+7916123456'), RangeError, 'ten digits after +7');
});

t.test('a moment is said from today: сегодня, завтра, a weekday within the week, else the date; then the time', async (t) => {
  t.equal(ru.moment('2026-11-25', '08:00', '2026-11-25'), 'сегодня в восемь часов');
  t.equal(ru.moment('2026-11-26', '09:30', '2026-11-25'), 'завтра в девять часов тридцать минут');
  t.equal(ru.moment('2026-11-30', '08:00', '2026-11-27'), 'в понедельник в восемь часов');
  t.equal(ru.moment('2026-12-01', '13:01', '2026-11-27'), 'во вторник в тринадцать часов одну минуту');
  t.equal(ru.moment('2027-01-02', '01:00', '2026-12-25'), 'второго января в час');
  t.equal(ru.moment('2027-01-11', '21:00', '2027-01-01'), 'одиннадцатого января в двадцать один час');
  t.equal(ru.moment('2026-11-26', '00:00', '2026-11-25'), 'завтра в полночь');
  t.throws(() => ru.moment('2026-11-24', '08:00', '2026-11-25'), RangeError, 'a day already past');
  t.throws(() => ru.moment('2026-11-26', '8:00', '2026-11-25'), RangeError, 'a time without its zero');
});
