import { AppError } from '../errors.js';

export const agentHasNoCall = (agentId: number) =>
  new AppError('CC_ERR_AGENT_NO_CALL', 'The agent is not on a call', { agentId });

export const queueNotFound = (queue: string) =>
  new AppError('CC_ERR_QUEUE_NOT_FOUND', 'No such queue', { queue });

export const agentBusy = (agentId: number, state: string) =>
  new AppError('CC_ERR_AGENT_BUSY', 'The agent must be available to place a call', { agentId, state });

export const agentNotFoundHere = (agentId: number) =>
  new AppError('CC_ERR_AGENT_NOT_FOUND', 'No such agent', { agentId });
