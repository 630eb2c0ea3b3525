import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthReply } from './schemas.js';
import { checkHealth, type HealthDeps } from './service.js';

export const healthRoutes: FastifyPluginAsyncTypebox<HealthDeps> = async (app, deps) => {
  app.get('/api/health', {
    schema: { response: { 200: HealthReply, 503: HealthReply } },
  }, async (_req, reply) => {
    const health = await checkHealth(deps);
    // 503 tells a load balancer or supervisor script not to send calls here.
    return reply.code(health.status === 'ok' ? 200 : 503).send(health);
  });
};
