import { scryptSync } from 'node:crypto';
import t from 'tap';
import { hashPassword, verifyPassword } from '../../server/auth/passwords.js';

t.test('a password verifies against its own hash and no other password does', async (t) => {
  const stored = await hashPassword('operator1-demo');
  t.equal(await verifyPassword('operator1-demo', stored), true);
  t.equal(await verifyPassword('operator1-demO', stored), false);
  t.equal(await verifyPassword('', stored), false);
  t.equal(await verifyPassword('operator1-demo ', stored), false);
});

t.test('the hash records scrypt, its cost, a 16-byte salt and a 64-byte key', async (t) => {
  const stored = await hashPassword('secret');
  const [scheme, N, r, p, salt, key] = stored.split('$');
  t.same([scheme, N, r, p], ['scrypt', '16384', '8', '1']);
  t.equal(Buffer.from(salt!, 'base64').length, 16);
  t.equal(Buffer.from(key!, 'base64').length, 64);
  t.notMatch(stored, /secret/, 'the password itself is not stored');
});

t.test('hashing the same password twice gives different hashes that both verify', async (t) => {
  const [a, b] = await Promise.all([hashPassword('пароль'), hashPassword('пароль')]);
  t.not(a, b);
  t.equal(await verifyPassword('пароль', a), true);
  t.equal(await verifyPassword('пароль', b), true);
});

t.test('a Russian password matches whether ё is typed composed or decomposed', async (t) => {
  const stored = await hashPassword('\u0451лка-2026');
  t.equal(await verifyPassword('\u0435\u0308лка-2026', stored), true);
});

t.test('a hash made with other scrypt parameters still verifies', async (t) => {
  const salt = Buffer.alloc(16, 7);
  const key = scryptSync('x', salt, 32, { N: 1024, r: 8, p: 1 });
  const cheaper = ['scrypt', 1024, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
  t.equal(await verifyPassword('x', cheaper), true);
  t.equal(await verifyPassword('y', cheaper), false);
});

const malformed: Array<[string, string]> = [
  ['', 'nothing in it'],
  ['plain-text-password', 'a plain text password'],
  ['$2b$10$abcdefghijklmnopqrstuu', 'a bcrypt hash'],
  ['scrypt$16384$8$1$c2FsdA==', 'missing the key'],
  ['scrypt$16384$8$1$!!!!$AAAAAAAAAAAAAAAAAAAAAA==', 'a salt that is not base64'],
  ['scrypt$16384$8$1$AAAA$AAAAAAAAAAAAAAAAAAAAAA==', 'a three-byte salt'],
  ['scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==', 'N not a power of two'],
  ['scrypt$1048576$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==', 'a cost needing 1 GiB'],
  ['scrypt$16384$8$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==', 'p of zero'],
  ['scrypt$-16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==', 'a negative N'],
];
for (const [stored, what] of malformed) {
  t.test(`a stored value with ${what} verifies nothing and does not throw`, async (t) => {
    t.equal(await verifyPassword('anything', stored), false);
  });
}
