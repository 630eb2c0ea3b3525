import { readFileSync } from 'node:fs';
import t from 'tap';
import { configVariables } from '../../server/config.js';
import { DEMO_CUSTOMERS, DEMO_STAFF } from '../../server/demo/generator.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

t.test('README documents every configuration variable with its default', async (t) => {
  for (const v of configVariables) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${v.name}\` |`));
    t.ok(row, `${v.name} has a row`);
    if (v.default !== undefined) t.match(row ?? '', `\`${String(v.default)}\``, `${v.name} shows its default ${String(v.default)}`);
  }
});

t.test('README lists the demo accounts and logins the generator creates', async (t) => {
  for (const c of DEMO_CUSTOMERS) {
    t.match(readme, c.accountNumber, `account ${c.accountNumber}`);
    t.match(readme, c.phone, `phone ${c.phone}`);
  }
  for (const s of DEMO_STAFF) t.match(readme, `\`${s.username}\` | \`${s.password}\``, s.username);
});

t.test('README gives the two commands', async (t) => {
  t.match(readme, 'npm ci && npm start');
  t.match(readme, 'npm ci && npm test');
});
