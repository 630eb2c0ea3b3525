import type { FastifyInstance } from 'fastify';
import type { CallRecorder } from './recorder.js';
import { recordingRoutes } from './routes.js';
import type { RecordingService } from './service.js';

/** Call recording: the recorder follows the calls the queue connects; the routes serve what it recorded. */
export async function recordingsPlugin(app: FastifyInstance, deps: { recorder: CallRecorder; recordings: RecordingService }): Promise<void> {
  deps.recorder.start();
  app.addHook('onClose', async () => deps.recorder.stop());
  await app.register(recordingRoutes, { recordings: deps.recordings });
}
