import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../errors.js';
import { currentAgent } from './guards.js';
import { LanguageBody, LoginBody, PasswordChangeBody, SessionReply, SipCredentials } from './schemas.js';
import type { SessionService } from './service.js';
import type { IceServer } from '../config.js';
import { SIP_PATH } from '../sip-proxy/path.js';

export const SESSION_COOKIE = 'cc_session';

export interface SessionRoutesDeps {
  sessions: SessionService;
  /**
   * Where the browser softphone registers: a fixed URL straight to Asterisk (tests, the bench),
   * or, without one, the page's own origin at /sip (server/sip-proxy); and the STUN/TURN servers it uses.
   */
  sip: { wsUrl: string | undefined; iceServers: readonly IceServer[] };
}

/**
 * The session cookie: not readable by page scripts, never sent on cross-site requests (which
 * also stops cross-site request forgery), no Max-Age (the server's idle expiry decides). Secure
 * only over https: the product is served on http://127.0.0.1, where browsers keep cookies
 * without it, and a Secure cookie would be dropped there.
 */
function cookieOptions(req: FastifyRequest): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https' };
}

// Session answers carry who is logged in, or SIP credentials: no cache may keep them.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

/** Log in, see who is logged in, log out, and the logged-in agent's softphone account. */
export const sessionRoutes: FastifyPluginAsyncTypebox<SessionRoutesDeps> = async (app, { sessions, sip }) => {
  app.post('/api/session', { schema: { body: LoginBody, response: { 200: SessionReply } } }, async (req, reply) => {
    noStore(reply);
    const previous = req.cookies[SESSION_COOKIE];
    let opened: Awaited<ReturnType<SessionService['login']>>;
    try {
      opened = await sessions.login(req.body.username, req.body.password, req.headers['user-agent'] ?? '');
    } catch (err) {
      if (isAppError(err, 'CC_ERR_AUTH_THROTTLED')) reply.header('retry-after', String(err.details['retryAfterS']));
      throw err;
    }
    if (previous !== undefined) await sessions.logout(previous);
    reply.setCookie(SESSION_COOKIE, opened.token, cookieOptions(req));
    return { agent: opened.agent };
  });

  app.get('/api/session', { schema: { response: { 200: SessionReply } } }, async (req, reply) => {
    noStore(reply);
    return { agent: currentAgent(req) };
  });

  app.put('/api/session/language', { schema: { body: LanguageBody, response: { 200: SessionReply } } }, async (req, reply) => {
    noStore(reply);
    return { agent: await sessions.setLanguage(currentAgent(req).id, req.body.language) };
  });

  // The staff member's own new password.
  app.put('/api/session/password', { schema: { body: PasswordChangeBody, response: { 200: SessionReply } } }, async (req, reply) => {
    noStore(reply);
    try {
      return { agent: await sessions.changePassword(currentAgent(req).id, req.body.currentPassword, req.body.newPassword, req.cookies[SESSION_COOKIE] ?? '') };
    } catch (err) {
      if (isAppError(err, 'CC_ERR_AUTH_THROTTLED')) reply.header('retry-after', String(err.details['retryAfterS']));
      throw err;
    }
  });

  app.delete('/api/session', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token !== undefined) await sessions.logout(token);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
    return reply.code(204).send();
  });

  // Only here, only for the agent themself: the SIP password is never put in a page.
  app.get('/api/session/sip', { schema: { response: { 200: SipCredentials } } }, async (req, reply) => {
    noStore(reply);
    const account = await sessions.sipAccount(currentAgent(req).id);
    const wsUrl = sip.wsUrl ?? `${req.protocol === 'https' ? 'wss' : 'ws'}://${req.host}${SIP_PATH}`;
    // Asterisk finds the endpoint by the username; the domain only has to be a valid host.
    return { ...account, wsUrl, domain: new URL(wsUrl).hostname, iceServers: [...sip.iceServers] };
  });
};
