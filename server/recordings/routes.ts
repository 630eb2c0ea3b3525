import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { currentAgent, requireRole } from '../auth/guards.js';
import { AudioQuery, CallRecordings, RecordingParams } from './schemas.js';
import type { RecordingService } from './service.js';

/**
 * A call's recordings, for supervisors and admins only (agents get 403): what was recorded, and
 * the audio as `audio/wav`, inline to play or with `?download=1` as an attachment. Each audio
 * request is one audit row, written before the audio is sent.
 */
export const recordingRoutes: FastifyPluginAsyncTypebox<{ recordings: RecordingService }> = async (app, { recordings }) => {
  const supervisorOnly = requireRole('supervisor', 'admin');

  app.get('/api/calls/:callId/recording', { onRequest: supervisorOnly, schema: { params: RecordingParams, response: { 200: CallRecordings } } },
    async (req) => recordings.forCall(req.params.callId));

  app.get('/api/calls/:callId/recording/audio', { onRequest: supervisorOnly, schema: { params: RecordingParams, querystring: AudioQuery } },
    async (req, reply) => {
      const download = req.query.download === '1';
      const { file } = await recordings.open(req.params.callId, req.query.part, currentAgent(req).id, download ? 'recording.download' : 'recording.play');
      const filename = `call-${req.params.callId}-${req.query.part}.wav`;
      reply.type('audio/wav').header('content-disposition', `${download ? 'attachment' : 'inline'}; filename="${filename}"`);
      if (file.sizeBytes !== null) reply.header('content-length', file.sizeBytes);
      return reply.send(file.body);
    });
};
