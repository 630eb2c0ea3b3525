import t from 'tap';
import { testApp } from '../support/app.js';

/* The agent's web app as files: public (the login form is part of it), cached by fingerprint. */

t.test('the page is public, uncached, and limits scripts and connections to the server itself (the SIP WebSocket is proxied at /sip)', async (t) => {
  const app = await testApp(t, { ui: true });
  const res = await app.http.inject({ method: 'GET', url: '/' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'text/html');
  t.equal(res.headers['cache-control'], 'no-cache');
  const csp = String(res.headers['content-security-policy']);
  t.match(csp, "default-src 'self'");
  t.match(csp, /connect-src 'self';/, 'nowhere but its own origin, the SIP WebSocket included');
  t.match(csp, "frame-ancestors 'none'");
  t.match(res.body, /<script type="module" src="\/assets\/main-[A-Z0-9]+\.js">/);
  t.notMatch(res.body, /password|sip_password/i, 'no credentials in the page source');
});

t.test('the script is served by its fingerprinted name, immutable, with a working ETag', async (t) => {
  const app = await testApp(t, { ui: true });
  const html = (await app.http.inject({ method: 'GET', url: '/' })).body;
  const src = /src="(\/assets\/main-[A-Z0-9]+\.js)"/.exec(html)![1]!;
  const js = await app.http.inject({ method: 'GET', url: src });
  t.equal(js.statusCode, 200);
  t.match(js.headers['content-type'], 'text/javascript');
  t.match(js.headers['cache-control'], 'immutable');
  t.ok(js.body.includes('cc-app'), 'the bundle defines the app');
  const again = await app.http.inject({ method: 'GET', url: src, headers: { 'if-none-match': String(js.headers['etag']) } });
  t.equal(again.statusCode, 304);
});

t.test('an unknown asset is a 404 with a code, not the page', async (t) => {
  const app = await testApp(t, { ui: true });
  const res = await app.http.inject({ method: 'GET', url: '/assets/nope.js' });
  t.equal(res.statusCode, 404);
  t.equal(res.json().code, 'CC_ERR_NOT_FOUND');
});

t.test('without the web app the server answers only the API', async (t) => {
  const app = await testApp(t);
  const res = await app.http.inject({ method: 'GET', url: '/' });
  t.equal(res.statusCode, 404);
});
