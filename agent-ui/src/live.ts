import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Messages of GET /api/live (server/live/plugin.ts). */
export type LiveMessage = { type: string } & Record<string, unknown>;

const MAX_BACKOFF_MS = 15_000;
const PING_EVERY_MS = 20_000;

/**
 * The page's WebSocket to /api/live: the agent's state, screen pops and (for supervisors) every
 * queue event. A lost socket reconnects with backoff; the server sends the full state on every
 * connect, so nothing is missed for long. `connected` drives the "reconnecting…" banner.
 */
export class LiveController implements ReactiveController {
  connected = false;
  #socket: WebSocket | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #ping: ReturnType<typeof setInterval> | undefined;
  #attempt = 0;
  #wanted = false;

  constructor(private readonly host: ReactiveControllerHost, private readonly onMessage: (m: LiveMessage) => void, private readonly url = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live`) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stop();
  }

  start(): void {
    this.#wanted = true;
    this.#open();
  }

  stop(): void {
    this.#wanted = false;
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    if (this.#ping !== undefined) clearInterval(this.#ping);
    this.#socket?.close();
    this.#socket = undefined;
    this.#set(false);
  }

  /** Asks the server to send the whole state again. */
  sync(): void {
    this.#send({ type: 'sync' });
  }

  #open(): void {
    const socket = new WebSocket(this.url());
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.#set(true);
      this.#ping = setInterval(() => this.#send({ type: 'ping' }), PING_EVERY_MS);
    };
    socket.onmessage = (e: MessageEvent<string>) => {
      let message: LiveMessage;
      try {
        message = JSON.parse(e.data) as LiveMessage;
      } catch {
        return;
      }
      this.onMessage(message);
    };
    socket.onclose = () => {
      if (this.#ping !== undefined) clearInterval(this.#ping);
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#set(false);
      if (!this.#wanted) return;
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.#attempt++);
      this.#retry = setTimeout(() => { if (this.#wanted) this.#open(); }, delay);
    };
  }

  #send(message: object): void {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  #set(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    this.host.requestUpdate();
  }
}
