import { AppError } from '../errors.js';

export const agentHasNoCall = (agentId: number) =>
  new AppError('CC_ERR_AGENT_NO_CALL', 'The agent is not on a call', { agentId });

export const queueNotFound = (queue: string) =>
  new AppError('CC_ERR_QUEUE_NOT_FOUND', 'No such queue', { queue });

export const agentBusy = (agentId: number, state: string) =>
  new AppError('CC_ERR_AGENT_BUSY', 'The agent must be available to place a call', { agentId, state });

export const agentNotFoundHere = (agentId: number) =>
  new AppError('CC_ERR_AGENT_NOT_FOUND', 'No such agent', { agentId });

/** Not thrown: logged (with its code) when a queue names a music class the Asterisk is not known to have. */
export const musicClassUnknown = (queue: string, musicClass: string, known: readonly string[]) =>
  new AppError('CC_ERR_QUEUE_MUSIC_CLASS_UNKNOWN', 'The queue\'s music-on-hold class is not one Asterisk is known to have; callers hear its default class', { queue, musicClass, known });
