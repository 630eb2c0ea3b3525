import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireRole } from '../auth/guards.js';
import { queueLogRangeInvalid } from './errors.js';
import { epochSeconds, QueueLogQuery } from './schemas.js';
import type { QueueLogService } from './service.js';

/**
 * The queue_log for report tools, as plain text lines exactly as in the file (oldest first), for
 * supervisors and admins. `X-Queue-Log-More: 1` says `limit` cut the answer short; ask again from
 * the last line's second (lines of that second come again).
 */
export const queueLogRoutes: FastifyPluginAsyncTypebox<{ queueLog: QueueLogService }> = async (app, { queueLog }) => {
  app.get('/api/queue-log', { onRequest: requireRole('supervisor', 'admin'), schema: { querystring: QueueLogQuery } }, async (req, reply) => {
    const from = req.query.from === undefined ? 0 : epochSeconds('from', req.query.from);
    const to = req.query.to === undefined ? undefined : epochSeconds('to', req.query.to);
    if (to !== undefined && to < from) throw queueLogRangeInvalid('to', req.query.to!, 'ends before from');
    const { lines, more } = await queueLog.read({ from, to, limit: req.query.limit });
    return reply.type('text/plain; charset=utf-8').header('x-queue-log-more', more ? '1' : '0')
      .send(lines.map((l) => `${l}\n`).join(''));
  });
};
