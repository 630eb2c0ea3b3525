import t from 'tap';
import { MIN_PASSWORD_LENGTH, ONE_TIME_LENGTH, oneTimePassword, weakPasswordReason } from '../../server/auth/password-rules.js';

const reason = (password: string, login = 'ivanova', current = 'Old-password-7') => weakPasswordReason(password, { login, current });

t.test('a password of fewer than ten characters is too short, counted in characters, not bytes', async (t) => {
  t.equal(MIN_PASSWORD_LENGTH, 10);
  t.equal(reason('Xk7#mQ2$p'), 'too_short');
  t.equal(reason('ёжикВтумане'.slice(0, 9)), 'too_short', 'nine Cyrillic letters are nine characters');
  t.equal(reason('Xk7#mQ2$pL'), null, 'ten is enough');
});

t.test('the login itself, in any case or with only digits and symbols around it, is refused', async (t) => {
  t.equal(reason('operator12', 'operator12'), 'same_as_login');
  t.equal(reason('OPERATOR12', 'operator12'), 'same_as_login');
  t.equal(reason('ivanova2024!', 'ivanova'), 'same_as_login');
  t.equal(reason('!!ivanova!!', 'ivanova'), 'same_as_login');
  t.equal(reason('ivanova loves tea', 'ivanova'), null, 'the login among other words is allowed');
});

t.test('common passwords are refused in any case, keyboard layout, and with digits or symbols around them', async (t) => {
  for (const p of ['1234567890', 'qwertyuiop', 'password123', 'Password123', 'йцукенгшщз', 'ЙЦУКЕН1234', 'йцукен!!!!', 'qwerty123456',
    '1q2w3e4r5t', 'zaq12wsx!!', 'зфыыцщкв123', 'gfhjkm2024!', 'пароль2024!', 'Калининград39', 'admin-demo', 'operator1-demo', 'Password2026!']) {
    t.equal(reason(p), 'common', p);
  }
  t.equal(reason('correct horse battery staple'), null);
  t.equal(reason('Синий-трактор-едет'), null);
});

t.test('the current password again is refused as unchanged, after the other rules', async (t) => {
  t.equal(reason('Old-password-7', 'ivanova', 'Old-password-7'), 'unchanged');
  t.equal(reason('old-password-7', 'ivanova', 'Old-password-7'), null, 'case counts: it is another password');
  t.equal(reason('1234567890', 'ivanova', '1234567890'), 'common');
});

t.test('a one-time password is 14 characters without look-alikes, and different every time', async (t) => {
  const many = Array.from({ length: 200 }, oneTimePassword);
  t.equal(ONE_TIME_LENGTH, 14);
  for (const p of many) {
    t.equal(p.length, 14);
    t.notMatch(p, /[0O1lI5S2Z]/, p);
  }
  t.equal(new Set(many).size, many.length);
  t.ok(many.every((p) => weakPasswordReason(p, { login: 'x', current: '' }) === null), 'they would pass the rules themselves');
});
