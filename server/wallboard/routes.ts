import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireRole } from '../auth/guards.js';
import { StatsQuery, StatsView } from './schemas.js';
import type { WallboardService } from './service.js';

/** The supervisors' wallboard figures; supervisors and admins only (agents get a 403). */
export const wallboardRoutes: FastifyPluginAsyncTypebox<{ wallboard: WallboardService }> = async (app, { wallboard }) => {
  app.get('/api/queues/stats', { onRequest: requireRole('supervisor', 'admin'), schema: { querystring: StatsQuery, response: { 200: StatsView } } },
    async (req) => wallboard.stats(req.query.queue));
};
