import t from 'tap';
import { configVariables, loadConfig } from '../../server/config.js';

t.test('with nothing set, every variable takes its documented default', async (t) => {
  const c = loadConfig({});
  t.equal(c.host, '127.0.0.1');
  t.equal(c.port, 3000);
  t.equal(c.dbPath, 'data/contact-center.db');
  t.equal(c.localAsterisk.sipPort, 5060);
  t.equal(c.externalAri, undefined, 'no ARI variables: the project runs its own Asterisk');
  t.ok(Object.isFrozen(c));
});

t.test('numbers are read from their text and the three ARI variables together select an external Asterisk', async (t) => {
  const c = loadConfig({ PORT: '8080', ARI_URL: 'http://10.0.0.5:8088/', ARI_USERNAME: 'u', ARI_PASSWORD: 'p' });
  t.equal(c.port, 8080);
  t.same(c.externalAri, { url: 'http://10.0.0.5:8088', username: 'u', password: 'p' });
});

t.test('an empty variable counts as unset', async (t) => {
  t.equal(loadConfig({ PORT: '' }).port, 3000);
});

const bad: Array<[string, Record<string, string>, string]> = [
  ['a port that is not a number', { PORT: 'abc' }, 'PORT'],
  ['a port out of range', { SIP_PORT: '70000' }, 'SIP_PORT'],
  ['an unknown log level', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ['an ARI URL that is not http(s)', { ARI_URL: 'ftp://x', ARI_USERNAME: 'u', ARI_PASSWORD: 'p' }, 'ARI_URL'],
  ['only some of the ARI variables', { ARI_URL: 'http://127.0.0.1:8088' }, 'ARI_USERNAME, ARI_PASSWORD'],
  ['an RTP range that ends before it starts', { RTP_START: '20000', RTP_END: '10000' }, 'RTP_END'],
  ['demo data neither on nor off', { DEMO_DATA: 'yes' }, 'DEMO_DATA'],
  ['a negative demo customer count', { DEMO_CUSTOMERS: '-5' }, 'DEMO_CUSTOMERS'],
  ['an app name with spaces', { ARI_APP: 'my app' }, 'ARI_APP'],
];
for (const [what, env, variable] of bad) {
  t.test(`${what} is refused with a message naming ${variable}`, async (t) => {
    t.throws(() => loadConfig(env), { code: 'CC_ERR_CONFIG_INVALID' });
    try {
      loadConfig(env);
    } catch (err) {
      const problems = (err as { details: { problems: Array<{ variable: string; expected: string }> } }).details.problems;
      t.same(problems.map((p) => p.variable), [variable]);
      t.match(problems[0]!.expected, /\S/, 'says what it expects');
      t.match((err as Error).message, variable);
    }
  });
}

t.test('every variable is documented with a description', async (t) => {
  for (const v of configVariables) t.match(v.description, /\S/, v.name);
  t.ok(configVariables.length >= 14);
});
