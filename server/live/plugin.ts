import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import { currentAgent } from '../auth/guards.js';
import type { Db } from '../db/database.js';
import type { EventBus, ContactCenterEvent } from '../events/bus.js';
import type { QueueService } from '../queue/service.js';
import { screenPop } from './screen-pop.js';

/** What a page may send; anything else is answered with an error message, never a crash. */
const ClientMessage = Type.Union([
  Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('sync') }, { additionalProperties: false }),
]);
type ClientMessage = Static<typeof ClientMessage>;

/**
 * GET /api/live (needs @fastify/websocket registered at the root): the WebSocket that keeps an agent's page current (needs the session cookie,
 * like every /api route). On connect and on `sync` it sends the agent's state (a page that lost
 * its socket reconnects and resynchronises this way); then every change of the agent's state
 * (auto-pause, a supervisor, the queue) and a screen pop for each call offered to them, before it
 * is answered. Supervisors and admins also receive every agent's changes and every queue event,
 * for the wallboard.
 */
export async function livePlugin(app: FastifyInstance, deps: { db: Db; bus: EventBus; queue: QueueService }): Promise<void> {
  app.get('/api/live', { websocket: true }, (socket, req) => {
    const agent = currentAgent(req);
    const watchesAll = agent.role === 'supervisor' || agent.role === 'admin';
    const send = (message: object) => { if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message)); };
    const hello = () => send({ type: 'hello', agent, state: deps.queue.agentState(agent.id), agents: watchesAll ? deps.queue.agentStates() : undefined });

    const off = deps.bus.subscribe((event: ContactCenterEvent) => {
      if (event.type === 'agent_changed') {
        if (event.agentId === agent.id || watchesAll) send(event);
        return;
      }
      if (watchesAll) send(event);
      if (event.what === 'offered' && event.agentId === agent.id && event.callId !== undefined) {
        const waited = typeof event.data?.['waitedMs'] === 'number' ? event.data['waitedMs'] : null;
        const lang = agent.language === 'en' ? 'en' : 'ru';
        void screenPop(deps.db, event.callId, event.queueId ?? null, waited, lang, event.at)
          .then((pop) => { if (pop !== undefined) send(pop); })
          .catch((err: unknown) => req.log.error({ err, callId: event.callId }, 'screen pop failed'));
      }
    });
    socket.on('close', off);
    socket.on('message', (raw: Buffer) => {
      let message: unknown;
      try {
        message = JSON.parse(raw.toString());
      } catch {
        send({ type: 'error', code: 'CC_ERR_VALIDATION', message: 'not JSON' });
        return;
      }
      if (!Value.Check(ClientMessage, message)) {
        send({ type: 'error', code: 'CC_ERR_VALIDATION', message: 'expected {"type":"ping"} or {"type":"sync"}' });
        return;
      }
      const m: ClientMessage = message;
      if (m.type === 'ping') send({ type: 'pong' });
      else hello();
    });
    hello();
  });
}
