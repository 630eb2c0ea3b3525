import { EventEmitter } from 'node:events';
import type { AgentState } from '../agents/state.js';

/**
 * Changes inside the server that other parts subscribe to (the softphone's and the
 * wallboard's WebSockets, later the queue_log writer). Every event is also stored.
 */
export type ContactCenterEvent =
  | { type: 'agent_changed'; agentId: number; state: AgentState; reason: string; at: string }
  | { type: 'queue_event'; what: string; callId?: string; agentId?: number; queueId?: string; data?: Record<string, unknown>; at: string };

export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  publish(event: ContactCenterEvent): void {
    this.#emitter.emit('event', event);
  }

  subscribe(listener: (event: ContactCenterEvent) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }
}
