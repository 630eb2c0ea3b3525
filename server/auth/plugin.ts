import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { authRequired, passwordChangeRequired } from './errors.js';
import { SESSION_COOKIE, sessionRoutes, type SessionRoutesDeps } from './routes.js';
import './guards.js';

/** The only /api routes open without a session: logging in, and the health check a monitor polls. */
const PUBLIC_ROUTES = new Set(['POST /api/session', 'GET /api/health', 'HEAD /api/health']);

/**
 * What someone who logged in with a one-time password may do before choosing their own: see who
 * they are, log out, choose the password, switch the page's language.
 */
const BEFORE_PASSWORD_CHANGE = new Set(['GET /api/session', 'DELETE /api/session', 'PUT /api/session/password', 'PUT /api/session/language']);

const isApi = (path: string) => path === '/api' || path.startsWith('/api/');

/**
 * Sessions for the whole server (fastify-plugin: the hook is not encapsulated). Every request
 * to /api — a route of any feature, registered before or after this plugin, or no route at all —
 * needs a live session cookie except PUBLIC_ROUTES; the hook sets `req.agent` or answers 401
 * CC_ERR_AUTH_REQUIRED before the body is read; a staff member who must still replace a one-time
 * password is answered 403 CC_ERR_AUTH_PASSWORD_CHANGE_REQUIRED on all but BEFORE_PASSWORD_CHANGE.
 * Per-route role checks are in guards.ts.
 */
export const authPlugin = fp(async (app: FastifyInstance, deps: SessionRoutesDeps) => {
  await app.register(cookie);
  app.decorateRequest('agent', null);
  app.addHook('onRequest', async (req) => {
    // The matched route's pattern, not the raw URL, decides what is public. It is undefined when
    // nothing matched: an unknown /api path answers 401 too, so routes cannot be probed unseen.
    const route = req.routeOptions.url;
    if (!isApi(route ?? req.url.split('?', 1)[0]!)) return;
    if (route !== undefined && PUBLIC_ROUTES.has(`${req.method} ${route}`)) return;
    const token = req.cookies[SESSION_COOKIE];
    const agent = token === undefined ? undefined : await deps.sessions.resolve(token);
    if (agent === undefined) throw authRequired();
    // /api/live included: its upgrade passes this hook first.
    if (agent.mustChangePassword && (route === undefined || !BEFORE_PASSWORD_CHANGE.has(`${req.method} ${route}`))) throw passwordChangeRequired();
    req.agent = agent;
  });
  await app.register(sessionRoutes, deps);
}, { name: 'auth', fastify: '5.x' });
