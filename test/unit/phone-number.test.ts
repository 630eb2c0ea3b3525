import t from 'tap';
import { normalizePhone } from '../../ivr/phone-number.js';

const recognised: Array<[string, string]> = [
  ['+7 (4012) 12-34-56', '+74012123456'],
  ['8 (4012) 12-34-56', '+74012123456'],
  ['84012123456', '+74012123456'],
  ['74012123456', '+74012123456'],
  ['4012123456', '+74012123456'],
  ['+74012123456', '+74012123456'],
  ['  +7 401 61 2-34-56  ', '+74016123456'],
  ['8.911.123.45.67', '+79111234567'],
  ['89111234567', '+79111234567'],
  ['+7-911-123-45-67', '+79111234567'],
  ['0074012123456', '+74012123456'],
  ['8 800 100-00-00', '+78001000000'],
  ['sip:+74012000001@127.0.0.1', '+74012000001'],
  ['sip:84012000001@127.0.0.1:5060;transport=udp', '+74012000001'],
  ['SIPS:+79110000004@pbx.example.ru', '+79110000004'],
  ['"Иванов" <sip:+74012000001@10.0.0.1>;tag=abc', '+74012000001'],
  ['sip:+74012000001;user=phone@gw.example.ru', '+74012000001'],
  ['sip:%2B74012000001@127.0.0.1', '+74012000001'],
  ['tel:+7-4012-12-34-56', '+74012123456'],
  ['74012000002@127.0.0.1', '+74012000002'],
];

const refused: Array<[string, string]> = [
  ['', 'an empty string'],
  ['   ', 'blanks'],
  ['anonymous', 'a withheld number'],
  ['Anonymous', 'a withheld number in capitals'],
  ['unknown', 'an unknown number'],
  ['Restricted', 'a restricted number'],
  ['sip:anonymous@anonymous.invalid', 'the anonymous SIP URI'],
  ['abc<script>', 'letters and markup'],
  ['8401212345a', 'a digit string with a letter'],
  ['12', 'two digits'],
  ['123456', 'a local six-digit number with no area code'],
  ['840121234567', 'twelve digits after the 8'],
  ['+740121234567', 'too many digits after +7'],
  ['+7401212345', 'too few digits after +7'],
  ['+1 555 0100', 'an American number'],
  ['+44 20 7946 0958', 'a British number'],
  ['+370 5 212 3456', 'a Lithuanian number'],
  ['+7 727 123 45 67', 'a Kazakh number sharing +7'],
  ['87011234567', 'a Kazakh mobile dialled with 8'],
  ['4+74012123456', 'a plus that is not in front'],
  ['++74012123456', 'two pluses'],
  ['5012123456', 'ten digits with no Russian area code'],
  ['sip:@127.0.0.1', 'a SIP URI with no user'],
  ['sip:%E0%A4%A@host', 'a broken percent-encoding'],
];

t.test('every common way of writing a Russian number is normalized to E.164', async (t) => {
  for (const [raw, e164] of recognised) t.equal(normalizePhone(raw), e164, JSON.stringify(raw));
});

t.test('anything that is not a Russian number is refused with null', async (t) => {
  for (const [raw, what] of refused) t.equal(normalizePhone(raw), null, `${what}: ${JSON.stringify(raw)}`);
});

t.test('normalizing a normalized number gives it back unchanged', async (t) => {
  for (const [, e164] of recognised) t.equal(normalizePhone(e164), e164);
});

t.test('a very long input is refused without being parsed', async (t) => {
  t.equal(normalizePhone(`+7${'4'.repeat(300)}`), null);
  t.equal(normalizePhone(`sip:+74012000001@${'a'.repeat(300)}.ru`), null);
});
