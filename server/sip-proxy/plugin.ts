import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import httpProxy from '@fastify/http-proxy';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authRequired, passwordChangeRequired } from '../auth/errors.js';
import { SESSION_COOKIE } from '../auth/routes.js';
import type { SessionService } from '../auth/service.js';
import { SIP_PATH } from './path.js';

export interface SipProxyDeps {
  /** Asterisk's HTTP server, where res_pjsip_transport_websocket serves /ws (on loopback) */
  asteriskHttpUrl: string;
  sessions: SessionService;
}


/**
 * The softphone's SIP-over-WebSocket, on the page's own origin (wss://<server>/sip over https):
 * the upgrade is proxied to Asterisk's /ws on loopback, so Asterisk's HTTP and ARI never face
 * the office network and the page needs no certificate of Asterisk's. @fastify/http-proxy
 * (not hand-written piping) carries the frames both ways and the `sip` subprotocol; the upgrade
 * runs through this server's hooks, and one without a live staff session is refused with 401
 * (403 for one who must still replace a one-time password) before Asterisk hears of it.
 */
export async function sipProxyPlugin(app: FastifyInstance, deps: SipProxyDeps): Promise<void> {
  const requireSession = async (req: FastifyRequest) => {
    const token = req.cookies[SESSION_COOKIE];
    const agent = token === undefined ? undefined : await deps.sessions.resolve(token);
    if (agent === undefined) throw authRequired();
    if (agent.mustChangePassword) throw passwordChangeRequired();
  };
  await app.register(httpProxy, {
    upstream: deps.asteriskHttpUrl,
    prefix: SIP_PATH,
    rewritePrefix: '/ws',
    websocket: true,
    // Only the upgrade is proxied: nothing else of Asterisk's HTTP server is reachable through us.
    httpMethods: ['GET'],
    preHandler: async (req, reply) => {
      await requireSession(req);
      if (req.headers.upgrade?.toLowerCase() !== 'websocket') {
        await reply.code(400).send({ code: 'CC_ERR_VALIDATION', message: `${SIP_PATH} takes only a WebSocket upgrade (SIP over WebSocket)`, details: {} });
      }
    },
  });
}

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * @fastify/websocket (for /api/live) and @fastify/http-proxy (for /sip) each put an 'upgrade'
 * listener on the server, and @fastify/websocket's takes every upgrade: for /sip, which the
 * proxy's listener has already taken, it failed and logged "websocket upgrade failed" at every
 * softphone registration. Called right after @fastify/websocket is registered, this leaves /sip
 * upgrades to the proxy alone.
 */
export function leaveSipUpgradesToProxy(server: Server): void {
  const listeners = server.listeners('upgrade') as UpgradeListener[];
  const websocketListener = listeners.at(-1);
  if (listeners.length < 2 || websocketListener === undefined) return;
  server.removeListener('upgrade', websocketListener);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?', 1)[0]!;
    if (path === SIP_PATH || path.startsWith(`${SIP_PATH}/`)) return;
    websocketListener(req, socket, head);
  });
}
