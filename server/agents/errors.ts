import { AppError } from '../errors.js';
import { AgentTransitionError } from './state.js';

export const agentNotFound = (agentId: number) =>
  new AppError('CC_ERR_AGENT_NOT_FOUND', 'No such agent', { agentId });

/** An agent change the agent's state does not allow (e.g. logging out during a call): 409 with both named. */
export function asAgentError(err: unknown): unknown {
  if (err instanceof AgentTransitionError) {
    return new AppError('CC_ERR_AGENT_INVALID_TRANSITION', err.message, { state: err.state, event: err.event }, { cause: err });
  }
  return err;
}
