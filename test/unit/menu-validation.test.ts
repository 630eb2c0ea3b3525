import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import pino from 'pino';
import t from 'tap';
import { MenuInvalidError, validateMenu } from '../../ivr/menu.js';
import { defaultMenuDir, MenuRegistry } from '../../server/menus/registry.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'menus');
const read = (dir: string, f: string) => JSON.parse(readFileSync(join(fixtures, dir, f), 'utf8')) as unknown;

for (const f of readdirSync(join(fixtures, 'good'))) {
  t.test(`the menu ${f} is accepted`, async (t) => {
    const menu = validateMenu(read('good', f));
    t.ok(Object.isFrozen(menu.nodes), 'and frozen');
  });
}

/** Each broken fixture and the node and field its message must name. */
const expected: Record<string, { node: string; field: RegExp }> = {
  'unknown-node.json': { node: 'node "main"', field: /^options\[0\]\.goto$/ },
  'unknown-prompt.json': { node: 'node "info"', field: /^prompt$/ },
  'duplicate-key.json': { node: 'node "main"', field: /^options\[6\]\.key$/ },
  'reserved-key.json': { node: 'node "main"', field: /^options\.6$/ },
  'missing-prompt.json': { node: 'node "info"', field: /^prompt$/ },
  'two-actions.json': { node: 'node "main"', field: /^options\.0$/ },
  'timeout-too-short.json': { node: 'node "main"', field: /^timeoutMs$/ },
  'unknown-start.json': { node: 'menu', field: /^start$/ },
  'unknown-then.json': { node: 'node "info"', field: /^options\[1\]\.then$/ },
};

for (const f of readdirSync(join(fixtures, 'bad'))) {
  t.test(`the menu ${f} is refused with a message naming the node and field`, async (t) => {
    const want = expected[f];
    t.ok(want, 'every bad fixture has an expectation');
    try {
      validateMenu(read('bad', f));
      t.fail('accepted');
    } catch (err) {
      t.type(err, MenuInvalidError);
      const problems = (err as MenuInvalidError).problems;
      t.ok(problems.some((p) => p.node === want!.node && want!.field.test(p.field)), JSON.stringify(problems));
      t.equal((err as MenuInvalidError).code, 'CC_ERR_MENU_INVALID');
    }
  });
}

t.test('a changed menu file is reloaded; a broken one is refused and the menu in force stays', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-menus-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ['ru.json', 'en.json']) copyFileSync(join(defaultMenuDir, f), join(dir, f));
  const registry = await MenuRegistry.load(dir, pino({ level: 'silent' }));
  const first = registry.current();

  const changed = JSON.parse(readFileSync(join(dir, 'ru.json'), 'utf8'));
  changed.defaults.timeoutMs = 9000;
  writeFileSync(join(dir, 'ru.json'), JSON.stringify(changed));
  t.equal(await registry.reload(), true);
  t.equal(registry.current().ru.defaults.timeoutMs, 9000);
  t.equal(first.ru.defaults.timeoutMs, 6000, 'a call holding the old menus keeps them');

  writeFileSync(join(dir, 'ru.json'), '{ "version": 1, "nodes": ');
  t.equal(await registry.reload(), false);
  t.equal(registry.current().ru.defaults.timeoutMs, 9000, 'the menu in force stays');

  writeFileSync(join(dir, 'ru.json'), JSON.stringify({ ...changed, start: 'nowhere' }));
  t.equal(await registry.reload(), false);
  t.equal(registry.current().ru.start, 'main');
});

t.test('a broken menu at start stops the start with the file named', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-menus-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(defaultMenuDir, 'en.json'), join(dir, 'en.json'));
  copyFileSync(join(fixtures, 'bad', 'unknown-node.json'), join(dir, 'ru.json'));
  await t.rejects(MenuRegistry.load(dir, pino({ level: 'silent' })), { code: 'CC_ERR_MENU_INVALID' });
});
