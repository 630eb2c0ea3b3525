import t from 'tap';
import { addAgent, testApp } from '../support/app.js';

t.test('health is 200 with ari.connected and db.ok when both are up', async (t) => {
  const app = await testApp(t);
  const res = await app.http.inject({ method: 'GET', url: '/api/health' });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { status: 'ok', ari: { connected: true }, db: { ok: true } });
});

t.test('health is 503 with ari.connected false while ARI is down', async (t) => {
  const app = await testApp(t, { connected: false });
  const res = await app.http.inject({ method: 'GET', url: '/api/health' });
  t.equal(res.statusCode, 503);
  t.match(res.json(), { status: 'degraded', ari: { connected: false }, db: { ok: true } });
});

t.test('health is 503 with db.ok false when the database does not answer', async (t) => {
  const app = await testApp(t);
  await app.db.destroy();
  const res = await app.http.inject({ method: 'GET', url: '/api/health' });
  t.equal(res.statusCode, 503);
  t.match(res.json(), { ari: { connected: true }, db: { ok: false } });
});

t.test('an unknown route answers 404 with a code', async (t) => {
  const app = await testApp(t);
  await addAgent(app.db, 'viewer', {}, { password: 'viewer-password' });
  // Logged in: without a session every /api path, unknown ones too, answers 401.
  const res = await (await app.loginAs('viewer', 'viewer-password')).inject({ method: 'GET', url: '/api/nope' });
  t.equal(res.statusCode, 404);
  t.equal(res.json().code, 'CC_ERR_NOT_FOUND');
});
