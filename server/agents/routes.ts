import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AgentEvent, PauseReason } from './state.js';
import type { QueueService } from '../queue/service.js';
import { agentNotFound, asAgentError } from './errors.js';
import { AgentParams, AgentView, StateChange } from './schemas.js';

/**
 * Agents' states: log in, change state, log out. Each change goes through the queue engine,
 * in order with calls, so the ACD never offers a call to an agent who just paused.
 * (Authentication and the agent's own session come with the softphone.)
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

  app.get('/api/agents', { schema: { response: { 200: Type.Array(AgentView) } } }, async () => queue.agentStates());

  app.get('/api/agents/:agentId', { schema: { params: AgentParams, response: { 200: AgentView } } }, async (req) => known(req.params.agentId));

  app.post('/api/agents/:agentId/login', { schema: { params: AgentParams, response: { 200: AgentView } } },
    async (req) => change(req.params.agentId, { type: 'logged_in', at: clock() }));

  app.post('/api/agents/:agentId/logout', { schema: { params: AgentParams, response: { 200: AgentView } } },
    async (req) => change(req.params.agentId, { type: 'logged_out', at: clock() }));

  app.post('/api/agents/:agentId/state', { schema: { params: AgentParams, body: StateChange, response: { 200: AgentView } } },
    async (req) => change(req.params.agentId, req.body.state === 'available'
      ? { type: 'made_available', at: clock() }
      : { type: 'paused', reason: req.body.reason as PauseReason, at: clock() }));
};
