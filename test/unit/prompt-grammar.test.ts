import t, { type Test } from 'tap';
import { say, type PromptId, type Speakable } from '../../ivr/speech.js';
import { catalogs, type Language } from '../../prompts/catalog.js';
import { formOf, partForms } from '../../prompts/forms.js';
import { renderSpeech, spell } from '../../prompts/render.js';

/*
 * Issue 10: every prompt with a spoken part, rendered whole, with the values where Russian
 * grammar changes (1, 2, 5, 11, 21, 22 of each unit, thousands, the 1st, 2nd, 3rd and 23rd of a
 * month). Every expected sentence is written out by hand, as a caller must hear it.
 */

const said = (lang: Language, prompt: PromptId, params: Record<string, Speakable>) => renderSpeech(say(prompt, params), lang).text;
const kwh = (n: number): Speakable => ({ kind: 'kwh', n });
const money = (kopecks: number): Speakable => ({ kind: 'money', kopecks });
const date = (iso: string): Speakable => ({ kind: 'date', iso });

/** Each row's value, said in its prompt, must be exactly the row's sentence. */
function sentences<V>(t: Test, sayWith: (value: V) => string, rows: Array<[value: V, sentence: string]>): void {
  for (const [value, sentence] of rows) t.equal(sayWith(value), sentence, String(value));
}

const partsOf = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

t.test('every {part} of every catalogue text has its form declared in prompts/forms.ts', async (t) => {
  const undeclared = Object.entries(catalogs).flatMap(([lang, catalog]) => Object.entries(catalog).flatMap(([prompt, text]) =>
    partsOf(text).filter((part) => formOf(prompt as PromptId, part) === undefined).map((part) => `${lang} ${prompt} {${part}}`)));
  t.same(undeclared, [], 'declare how each of these parts is said (its case, or invariable) in prompts/forms.ts');
});

t.test('prompts/forms.ts declares only parts that the catalogue texts have', async (t) => {
  const stray = Object.entries(partForms).flatMap(([prompt, parts]) => Object.keys(parts).filter((part) =>
    !partsOf(catalogs.ru[prompt as PromptId]).includes(part) || !partsOf(catalogs.en[prompt as PromptId]).includes(part))
    .map((part) => `${prompt} {${part}}`));
  t.same(stray, []);
});

t.test('a meter reading read back is the accusative object of «ввели»: «одну тысячу»', async (t) => {
  sentences(t, (n: number) => said('ru', 'reading_readback', { value: kwh(n) }), [
    [1, 'Вы ввели один киловатт-час. Верно — нажмите один, ввести заново — два.'],
    [2, 'Вы ввели два киловатт-часа. Верно — нажмите один, ввести заново — два.'],
    [5, 'Вы ввели пять киловатт-часов. Верно — нажмите один, ввести заново — два.'],
    [11, 'Вы ввели одиннадцать киловатт-часов. Верно — нажмите один, ввести заново — два.'],
    [21, 'Вы ввели двадцать один киловатт-час. Верно — нажмите один, ввести заново — два.'],
    [22, 'Вы ввели двадцать два киловатт-часа. Верно — нажмите один, ввести заново — два.'],
    [1000, 'Вы ввели одну тысячу киловатт-часов. Верно — нажмите один, ввести заново — два.'],
    [1001, 'Вы ввели одну тысячу один киловатт-час. Верно — нажмите один, ввести заново — два.'],
    [2022, 'Вы ввели две тысячи двадцать два киловатт-часа. Верно — нажмите один, ввести заново — два.'],
    [21_000, 'Вы ввели двадцать одну тысячу киловатт-часов. Верно — нажмите один, ввести заново — два.'],
    [31_450, 'Вы ввели тридцать одну тысячу четыреста пятьдесят киловатт-часов. Верно — нажмите один, ввести заново — два.'],
  ]);
});

t.test('the previous reading after a colon is named in the nominative: «одна тысяча»', async (t) => {
  sentences(t, (n: number) => said('ru', 'reading_below_last', { last: kwh(n) }), [
    [1, 'Показания не могут быть меньше предыдущих: один киловатт-час.'],
    [2, 'Показания не могут быть меньше предыдущих: два киловатт-часа.'],
    [5, 'Показания не могут быть меньше предыдущих: пять киловатт-часов.'],
    [11, 'Показания не могут быть меньше предыдущих: одиннадцать киловатт-часов.'],
    [21, 'Показания не могут быть меньше предыдущих: двадцать один киловатт-час.'],
    [22, 'Показания не могут быть меньше предыдущих: двадцать два киловатт-часа.'],
    [1001, 'Показания не могут быть меньше предыдущих: одна тысяча один киловатт-час.'],
    [21_000, 'Показания не могут быть меньше предыдущих: двадцать одна тысяча киловатт-часов.'],
  ]);
});

t.test('an unusual consumption is the accusative object of «составит»: «двадцать одну тысячу»', async (t) => {
  sentences(t, (n: number) => said('ru', 'reading_jump_warning', { delta: kwh(n) }), [
    [1, 'Внимание: расход составит один киловатт-час, это намного больше обычного. Если показания верны, нажмите один, ввести заново — два.'],
    [2, 'Внимание: расход составит два киловатт-часа, это намного больше обычного. Если показания верны, нажмите один, ввести заново — два.'],
    [5, 'Внимание: расход составит пять киловатт-часов, это намного больше обычного. Если показания верны, нажмите один, ввести заново — два.'],
    [11, 'Внимание: расход составит одиннадцать киловатт-часов, это намного больше обычного. Если показания верны, нажмите один, ввести заново — два.'],
    [21, 'Внимание: расход составит двадцать один киловатт-час, это намного больше обычного. Если показания верны, нажмите один, ввести заново — два.'],
    [22, 'Внимание: расход составит двадцать два киловатт-часа, это намного больше обычного. Если показания верны, нажмите один, ввести заново — два.'],
    [1000, 'Внимание: расход составит одну тысячу киловатт-часов, это намного больше обычного. Если показания верны, нажмите один, ввести заново — два.'],
    [21_001, 'Внимание: расход составит двадцать одну тысячу один киловатт-час, это намного больше обычного. Если показания верны, нажмите один, ввести заново — два.'],
  ]);
});

t.test('a debt is the accusative object of «составляет»: «одну копейку», «одну тысячу рублей»', async (t) => {
  sentences(t, (kopecks: number) => said('ru', 'balance_debt', { amount: money(kopecks) }), [
    [1, 'Задолженность по лицевому счёту составляет одну копейку.'],
    [2, 'Задолженность по лицевому счёту составляет две копейки.'],
    [5, 'Задолженность по лицевому счёту составляет пять копеек.'],
    [11, 'Задолженность по лицевому счёту составляет одиннадцать копеек.'],
    [21, 'Задолженность по лицевому счёту составляет двадцать одну копейку.'],
    [22, 'Задолженность по лицевому счёту составляет двадцать две копейки.'],
    [100, 'Задолженность по лицевому счёту составляет один рубль.'],
    [201, 'Задолженность по лицевому счёту составляет два рубля одну копейку.'],
    [500, 'Задолженность по лицевому счёту составляет пять рублей.'],
    [1100, 'Задолженность по лицевому счёту составляет одиннадцать рублей.'],
    [2100, 'Задолженность по лицевому счёту составляет двадцать один рубль.'],
    [2221, 'Задолженность по лицевому счёту составляет двадцать два рубля двадцать одну копейку.'],
    [100_000, 'Задолженность по лицевому счёту составляет одну тысячу рублей.'],
    [100_100, 'Задолженность по лицевому счёту составляет одну тысячу один рубль.'],
    [120_000, 'Задолженность по лицевому счёту составляет одну тысячу двести рублей.'],
    [202_200, 'Задолженность по лицевому счёту составляет две тысячи двадцать два рубля.'],
    [2_100_000, 'Задолженность по лицевому счёту составляет двадцать одну тысячу рублей.'],
    [123_456, 'Задолженность по лицевому счёту составляет одну тысячу двести тридцать четыре рубля пятьдесят шесть копеек.'],
    [100_000_001, 'Задолженность по лицевому счёту составляет один миллион рублей одну копейку.'],
  ]);
});

t.test('an overpayment is the accusative object of «составляет» too', async (t) => {
  t.equal(said('ru', 'balance_credit', { amount: money(1) }), 'Переплата по лицевому счёту составляет одну копейку.');
  t.equal(said('ru', 'balance_credit', { amount: money(100_100) }), 'Переплата по лицевому счёту составляет одну тысячу один рубль.');
  t.equal(said('ru', 'balance_credit', { amount: money(2_100_101) }),
    'Переплата по лицевому счёту составляет двадцать одну тысячу один рубль одну копейку.');
});

t.test('the last payment is on a genitive date, «на сумму» an accusative amount', async (t) => {
  const cases: Array<[iso: string, kopecks: number, sentence: string]> = [
    ['2026-07-01', 100, 'Последний платёж первого июля две тысячи двадцать шестого года на сумму один рубль.'],
    ['2026-07-02', 201, 'Последний платёж второго июля две тысячи двадцать шестого года на сумму два рубля одну копейку.'],
    ['2026-07-03', 120_000, 'Последний платёж третьего июля две тысячи двадцать шестого года на сумму одну тысячу двести рублей.'],
    ['2026-07-23', 2_100_101, 'Последний платёж двадцать третьего июля две тысячи двадцать шестого года на сумму двадцать одну тысячу один рубль одну копейку.'],
    ['2026-01-21', 1, 'Последний платёж двадцать первого января две тысячи двадцать шестого года на сумму одну копейку.'],
    ['2026-12-31', 2200, 'Последний платёж тридцать первого декабря две тысячи двадцать шестого года на сумму двадцать два рубля.'],
    ['2000-02-29', 50, 'Последний платёж двадцать девятого февраля двухтысячного года на сумму пятьдесят копеек.'],
  ];
  for (const [iso, kopecks, sentence] of cases) {
    t.equal(said('ru', 'balance_last_payment', { date: date(iso), amount: money(kopecks) }), sentence, `${iso}, ${kopecks} kopecks`);
  }
});

t.test('an appeal\'s deadline after the dash is named in the nominative: «первое ноября»', async (t) => {
  const appeal = (iso: string, status: Speakable = { kind: 'prompt', prompt: 'appeal_status_in_progress' }) =>
    said('ru', 'appeal_status', { digits: { kind: 'digits', value: '26000001' }, status, date: date(iso) });
  t.equal(appeal('2026-11-01'), 'Обращение номер двадцать шесть, ноль ноль, ноль ноль, ноль один: на рассмотрении. Срок ответа — первое ноября две тысячи двадцать шестого года.');
  t.equal(appeal('2026-11-02'), 'Обращение номер двадцать шесть, ноль ноль, ноль ноль, ноль один: на рассмотрении. Срок ответа — второе ноября две тысячи двадцать шестого года.');
  t.equal(appeal('2026-11-03'), 'Обращение номер двадцать шесть, ноль ноль, ноль ноль, ноль один: на рассмотрении. Срок ответа — третье ноября две тысячи двадцать шестого года.');
  t.equal(appeal('2026-11-21'), 'Обращение номер двадцать шесть, ноль ноль, ноль ноль, ноль один: на рассмотрении. Срок ответа — двадцать первое ноября две тысячи двадцать шестого года.');
  t.equal(appeal('2026-11-23', { kind: 'text', value: 'передано в филиал' }),
    'Обращение номер двадцать шесть, ноль ноль, ноль ноль, ноль один: передано в филиал. Срок ответа — двадцать третье ноября две тысячи двадцать шестого года.');
});

t.test('a place in the queue is a masculine nominative ordinal: «Вы третий в очереди»', async (t) => {
  sentences(t, (n: number) => said('ru', 'queue_position', { position: { kind: 'ordinal', n } }), [
    [1, 'Вы первый в очереди.'],
    [2, 'Вы второй в очереди.'],
    [3, 'Вы третий в очереди.'],
    [5, 'Вы пятый в очереди.'],
    [11, 'Вы одиннадцатый в очереди.'],
    [21, 'Вы двадцать первый в очереди.'],
    [22, 'Вы двадцать второй в очереди.'],
    [23, 'Вы двадцать третий в очереди.'],
    [40, 'Вы сороковой в очереди.'],
    [101, 'Вы сто первый в очереди.'],
  ]);
});

t.test('the waiting time after the dash is in the nominative: «одна минута», «две минуты», «пять минут»', async (t) => {
  sentences(t, (n: number) => said('ru', 'queue_estimate', { minutes: { kind: 'minutes', n } }), [
    [1, 'Все операторы сейчас заняты. Примерное время ожидания — одна минута.'],
    [2, 'Все операторы сейчас заняты. Примерное время ожидания — две минуты.'],
    [5, 'Все операторы сейчас заняты. Примерное время ожидания — пять минут.'],
    [11, 'Все операторы сейчас заняты. Примерное время ожидания — одиннадцать минут.'],
    [21, 'Все операторы сейчас заняты. Примерное время ожидания — двадцать одна минута.'],
    [22, 'Все операторы сейчас заняты. Примерное время ожидания — двадцать две минуты.'],
    [101, 'Все операторы сейчас заняты. Примерное время ожидания — сто одна минута.'],
  ]);
});

t.test('digit strings and phone numbers are read the same in any sentence', async (t) => {
  t.equal(said('ru', 'confirm_identified_account', { last: { kind: 'last_digits', value: '2101' } }),
    'Ваш лицевой счёт оканчивается на двадцать один ноль один, верно? Да — нажмите один, нет — два.');
  t.equal(said('ru', 'account_readback', { digits: { kind: 'digits', value: '3900000001' } }),
    'Вы ввели лицевой счёт тридцать девять, ноль ноль, ноль ноль, ноль ноль, ноль один. Верно — нажмите один, ввести заново — два.');
  t.equal(said('ru', 'callback_readback', { number: { kind: 'phone', e164: '+79161234521' } }),
    'Мы перезвоним на номер восемь, девятьсот шестнадцать, сто двадцать три, сорок пять, двадцать один. Если номер верный, нажмите один. Чтобы ввести другой номер, нажмите два.');
});

t.test('a moment brings its own cases: «в тринадцать часов одну минуту», «второго января»', async (t) => {
  const moment = (day: string, time: string, today: string): Speakable => ({ kind: 'moment', day, time, today });
  t.equal(said('ru', 'center_opens', { when: moment('2026-11-26', '08:00', '2026-11-25') }), 'Мы откроемся завтра в восемь часов.');
  t.equal(said('ru', 'center_opens', { when: moment('2026-12-01', '13:01', '2026-11-27') }), 'Мы откроемся во вторник в тринадцать часов одну минуту.');
  t.equal(said('ru', 'callback_accepted_later', { when: moment('2027-01-02', '09:21', '2026-12-25') }),
    'Спасибо. Мы перезвоним вам второго января в девять часов двадцать одну минуту. До свидания!');
  t.equal(said('ru', 'callback_accepted_later', { when: moment('2026-11-30', '08:30', '2026-11-27') }),
    'Спасибо. Мы перезвоним вам в понедельник в восемь часов тридцать минут. До свидания!');
});

t.test('a town is offered with its key named by the digit: «Калининград — нажмите два»', async (t) => {
  t.equal(said('ru', 'offices_town_key', { city: { kind: 'text', value: 'Калининград' }, key: { kind: 'digits', value: '2' } }), 'Калининград — нажмите два.');
  t.equal(said('en', 'offices_town_key', { city: { kind: 'text', value: 'Kaliningrad' }, key: { kind: 'digits', value: '2' } }), 'Kaliningrad: press two.');
});

t.test('an office is said as its text stands', async (t) => {
  t.equal(said('ru', 'info_office', { city: { kind: 'text', value: 'Калининград' }, address: { kind: 'text', value: 'улица Театральная, тридцать четыре' }, hours: { kind: 'text', value: 'С восьми до семнадцати' } }),
    'Калининград, улица Театральная, тридцать четыре. С восьми до семнадцати.');
  t.equal(said('ru', 'info_office_phone', { city: { kind: 'text', value: 'Советск' }, address: { kind: 'text', value: 'улица Победы, дом двадцать' }, hours: { kind: 'text', value: 'С восьми до семнадцати' }, phone: { kind: 'phone', e164: '+74016131415' } }),
    'Советск, улица Победы, дом двадцать. С восьми до семнадцати. Телефон: восемь, четыреста один, шестьсот тринадцать, четырнадцать, пятнадцать.');
  t.equal(said('en', 'info_office_phone', { city: { kind: 'text', value: 'Sovetsk' }, address: { kind: 'text', value: '20 Pobedy Street' }, hours: { kind: 'text', value: 'Monday to Friday, eight to five' }, phone: { kind: 'phone', e164: '+74016131415' } }),
    'Sovetsk, 20 Pobedy Street. Monday to Friday, eight to five. Phone: plus seven, four zero one, six one three, one four, one five.');
});

t.test('the same prompts in English: no cases, singular only for one', async (t) => {
  t.equal(said('en', 'reading_readback', { value: kwh(1) }), 'You entered one kilowatt-hour. Press one if that is right, two to enter it again.');
  t.equal(said('en', 'reading_readback', { value: kwh(21) }), 'You entered twenty-one kilowatt-hours. Press one if that is right, two to enter it again.');
  t.equal(said('en', 'reading_below_last', { last: kwh(1001) }), 'The reading cannot be lower than the previous one: one thousand one kilowatt-hours.');
  t.equal(said('en', 'reading_jump_warning', { delta: kwh(21_000) }),
    'Please note: that means a consumption of twenty-one thousand kilowatt-hours, far more than usual. If the reading is right, press one; to enter it again, two.');
  t.equal(said('en', 'balance_debt', { amount: money(100) }), 'The amount due on your account is one ruble.');
  t.equal(said('en', 'balance_debt', { amount: money(201) }), 'The amount due on your account is two rubles and one kopeck.');
  t.equal(said('en', 'balance_credit', { amount: money(1) }), 'Your account is in credit by one kopeck.');
  t.equal(said('en', 'balance_last_payment', { date: date('2026-07-01'), amount: money(120_000) }),
    'The last payment, on July first, twenty twenty-six, was one thousand two hundred rubles.');
  t.equal(said('en', 'balance_last_payment', { date: date('2026-07-02'), amount: money(2_100_101) }),
    'The last payment, on July second, twenty twenty-six, was twenty-one thousand one rubles and one kopeck.');
  t.equal(said('en', 'balance_last_payment', { date: date('2026-07-23'), amount: money(2200) }),
    'The last payment, on July twenty-third, twenty twenty-six, was twenty-two rubles.');
  t.equal(said('en', 'appeal_status', { digits: { kind: 'digits', value: '26000001' }, status: { kind: 'prompt', prompt: 'appeal_status_in_progress' }, date: date('2026-11-03') }),
    'Appeal number twenty-six, zero zero, zero zero, zero one: under review. Answer due by November third, twenty twenty-six.');
  t.equal(said('en', 'queue_position', { position: { kind: 'ordinal', n: 3 } }), 'You are number three in the queue.');
  t.equal(said('en', 'queue_position', { position: { kind: 'ordinal', n: 21 } }), 'You are number twenty-one in the queue.');
  t.equal(said('en', 'queue_estimate', { minutes: { kind: 'minutes', n: 1 } }), 'All operators are busy at the moment. The estimated waiting time is one minute.');
  t.equal(said('en', 'queue_estimate', { minutes: { kind: 'minutes', n: 22 } }), 'All operators are busy at the moment. The estimated waiting time is twenty-two minutes.');
  t.equal(said('en', 'confirm_identified_account', { last: { kind: 'last_digits', value: '1234' } }),
    'Your account number ends in twelve thirty-four. Is that right? Press one for yes, two for no.');
  t.equal(said('en', 'callback_readback', { number: { kind: 'phone', e164: '+79161234567' } }),
    'We will call you back on plus seven, nine one six, one two three, four five, six seven. If that number is right, press one. To enter another number, press two.');
  t.equal(said('en', 'center_opens', { when: { kind: 'moment', day: '2026-11-26', time: '08:00', today: '2026-11-25' } }), 'We open tomorrow at eight a.m.');
  t.equal(said('en', 'callback_accepted_later', { when: { kind: 'moment', day: '2026-11-30', time: '08:30', today: '2026-11-27' } }),
    'Thank you. We will call you back on Monday at eight thirty a.m. Goodbye!');
});

t.test('a part that ends in an abbreviation ends the sentence with its own full stop', async (t) => {
  t.equal(said('en', 'center_opens', { when: { kind: 'moment', day: '2026-11-25', time: '16:00', today: '2026-11-25' } }), 'We open today at four p.m.');
});

t.test('a value that does not fit its part\'s declared form is refused with a RangeError', async (t) => {
  t.throws(() => said('ru', 'queue_estimate', { minutes: { kind: 'text', value: 'пять минут' } }), RangeError, 'text in a part that declines');
  t.throws(() => said('ru', 'account_readback', { digits: money(100) }), RangeError, 'money in an invariable part');
  t.throws(() => said('ru', 'queue_position', { position: { kind: 'minutes', n: 3 } }), RangeError, 'a quantity in an ordinal part');
  t.throws(() => said('ru', 'queue_estimate', { minutes: { kind: 'ordinal', n: 3 } }), RangeError, 'an ordinal without a gender');
  t.throws(() => spell({ kind: 'ordinal', n: 3 }, 'ru', 'nom'), RangeError, 'spell() itself refuses an ordinal without a gender');
  t.throws(() => spell({ kind: 'digits', value: '12' }, 'en', 'acc'), RangeError, 'spell() itself refuses a case for digits, English too');
});
