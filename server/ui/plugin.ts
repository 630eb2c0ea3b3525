import type { FastifyInstance, FastifyReply } from 'fastify';
import type { UiAsset, UiAssets } from './bundle.js';

export interface UiPluginDeps {
  assets: UiAssets;
  /** a SIP-over-WebSocket URL straight to Asterisk (tests, the bench): then the one place besides ourselves the page may connect to; absent: /sip on our own origin */
  sipWsUrl?: string;
}

/**
 * Serves the agent's web app at `/` and `/assets/*` (public: the login form is part of it; every
 * /api route stays behind the session). The page may load only its own scripts and connect only
 * to this server and to Asterisk's SIP WebSocket, so an injected script has nowhere to go.
 */
export async function uiPlugin(app: FastifyInstance, { assets, sipWsUrl }: UiPluginDeps): Promise<void> {
  const sipOrigin = sipWsUrl === undefined ? undefined : new URL(sipWsUrl);
  const policy = [
    "default-src 'self'",
    sipOrigin === undefined ? "connect-src 'self'" : `connect-src 'self' ${sipOrigin.protocol}//${sipOrigin.host}`,
    // Lit adopts constructed stylesheets; Chart.js sets inline sizes on its canvas.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');

  const send = (reply: FastifyReply, asset: UiAsset, ifNoneMatch: string | undefined) => {
    reply.header('etag', asset.etag)
      .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('x-content-type-options', 'nosniff');
    if (ifNoneMatch === asset.etag) return reply.code(304).send();
    return reply.type(asset.contentType).send(asset.body);
  };

  app.get('/', async (req, reply) => {
    reply.header('content-security-policy', policy).header('referrer-policy', 'no-referrer');
    return send(reply, assets.get('/')!, req.headers['if-none-match']);
  });
  app.get<{ Params: { file: string } }>('/assets/:file', async (req, reply) => {
    const asset = assets.get(`/assets/${req.params.file}`);
    if (asset === undefined) {
      return reply.code(404).send({ code: 'CC_ERR_NOT_FOUND', message: `no asset ${req.params.file}`, details: {} });
    }
    return send(reply, asset, req.headers['if-none-match']);
  });
}
