import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AgentEvent, PauseReason } from './state.js';
import type { QueueService } from '../queue/service.js';
import { agentNotFound, asAgentError } from './errors.js';
import { AgentParams, AgentView, OutboundCall, StateChange, Toggle, TransferTarget } from './schemas.js';
import { normalizePhone } from '../../ivr/phone-number.js';
import { AppError } from '../errors.js';
import { requireSelfOrRole } from '../auth/guards.js';

/**
 * Agents' states: log in, change state, log out. Each change goes through the queue engine,
 * in order with calls, so the ACD never offers a call to an agent who just paused.
 * Any logged-in staff member sees agents; an agent acts on themself only, supervisors and
 * admins on anyone.
 */
export const agentRoutes: FastifyPluginAsyncTypebox<{ queue: QueueService; clock: () => number }> = async (app, { queue, clock }) => {
  const known = (agentId: number) => {
    const agent = queue.agentStates().find((a) => a.agentId === agentId);
    if (agent === undefined) throw agentNotFound(agentId);
    return agent;
  };
  const change = async (agentId: number, event: AgentEvent) => {
    const { username } = known(agentId);
    try {
      return { agentId, username, state: await queue.agentCommand(agentId, event) };
    } catch (err) {
      throw asAgentError(err);
    }
  };

  const selfOrSupervisor = requireSelfOrRole('agentId', 'supervisor', 'admin');

  app.get('/api/agents', { schema: { response: { 200: Type.Array(AgentView) } } }, async () => queue.agentStates());

  app.get('/api/agents/:agentId', { schema: { params: AgentParams, response: { 200: AgentView } } }, async (req) => known(req.params.agentId));

  app.post('/api/agents/:agentId/login', { onRequest: selfOrSupervisor, schema: { params: AgentParams, response: { 200: AgentView } } },
    async (req) => change(req.params.agentId, { type: 'logged_in', at: clock() }));

  app.post('/api/agents/:agentId/logout', { onRequest: selfOrSupervisor, schema: { params: AgentParams, response: { 200: AgentView } } },
    async (req) => change(req.params.agentId, { type: 'logged_out', at: clock() }));

  const onCall = async <T>(agentId: number, work: () => Promise<T>): Promise<T> => {
    known(agentId);
    try {
      return await work();
    } catch (err) {
      throw asAgentError(err);
    }
  };

  app.post('/api/agents/:agentId/call/hold', { onRequest: selfOrSupervisor, schema: { params: AgentParams, body: Toggle, response: { 200: AgentView } } },
    async (req) => ({ ...known(req.params.agentId), state: await onCall(req.params.agentId, () => queue.hold(req.params.agentId, req.body.on)) }));

  app.post('/api/agents/:agentId/call/mute', { onRequest: selfOrSupervisor, schema: { params: AgentParams, body: Toggle, response: { 200: AgentView } } },
    async (req) => ({ ...known(req.params.agentId), state: await onCall(req.params.agentId, () => queue.mute(req.params.agentId, req.body.on)) }));

  app.post('/api/agents/:agentId/call/transfer', { onRequest: selfOrSupervisor, schema: { params: AgentParams, body: TransferTarget } }, async (req, reply) => {
    const body = req.body;
    const to = 'queue' in body ? { queue: body.queue } : 'agentId' in body ? { agent: body.agentId } : 'ivr' as const;
    await onCall(req.params.agentId, () => queue.transfer(req.params.agentId, to));
    return reply.code(204).send();
  });

  app.post('/api/agents/:agentId/calls', { onRequest: selfOrSupervisor, schema: { params: AgentParams, body: OutboundCall, response: { 201: Type.Object({ callId: Type.String() }) } } }, async (req, reply) => {
    const number = normalizePhone(req.body.number);
    if (number === null) throw new AppError('CC_ERR_VALIDATION', 'number: expected a Russian phone number', { field: 'number', got: req.body.number });
    const callId = await onCall(req.params.agentId, () => queue.placeCall(req.params.agentId, number));
    return reply.code(201).send({ callId });
  });

  app.post('/api/agents/:agentId/state', { onRequest: selfOrSupervisor, schema: { params: AgentParams, body: StateChange, response: { 200: AgentView } } },
    async (req) => change(req.params.agentId, req.body.state === 'available'
      ? { type: 'made_available', at: clock() }
      : { type: 'paused', reason: req.body.reason as PauseReason, at: clock() }));
};
