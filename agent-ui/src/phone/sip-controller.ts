import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Invitation, Registerer, RegistererState, SessionState, UserAgent, type Session } from 'sip.js';
import type { SessionDescriptionHandler } from 'sip.js/lib/platform/web/index.js';
import { initialPhoneState, phoneStep, type PhoneEvent, type PhoneState } from './phone-state.js';
import { Ringer } from './ringer.js';

/** What GET /api/session/sip answers: the agent's own SIP account, never put in the page source. */
export interface SipCredentials {
  username: string;
  password: string;
  /** wss://<server>/sip: the server proxies it to Asterisk (ws:// on a plain-http loopback server) */
  wsUrl: string;
  domain: string;
  /** STUN/TURN servers for agents behind NAT (ICE_SERVERS); empty on one network */
  iceServers?: RTCIceServer[];
}

/** RTP counters of the current call, from WebRTC statistics. */
export interface CallStats {
  packetsSent: number;
  packetsReceived: number;
  bytesReceived: number;
  jitterMs: number | null;
  /** the addresses the call's media flows between (ICE's selected candidate pair); null until chosen */
  path: { local: string; remote: string } | null;
}

// Registration lasts this long and is refreshed by sip.js before it lapses.
const REGISTER_EXPIRES_S = 120;
const MAX_BACKOFF_MS = 30_000;
// A refused REGISTER is retried this often (see #register).
const REJECTED_RETRY_MS = 10_000;
// An INVITE this soon after the agent dialed out is the agent's own leg of that call.
const OUTBOUND_WINDOW_MS = 15_000;

/**
 * The agent's softphone: a sip.js UserAgent registering over SIP-over-WebSocket to Asterisk,
 * WebRTC audio, one call at a time. It re-registers by itself after the network or Asterisk
 * drops (backoff up to 30 s, and at once when the browser comes back online), checks the
 * microphone up front so a refused permission is explained before the first call, and rings.
 * Hold, mute and transfer are not here: the server does them over ARI, where the caller is.
 */
export class SipController implements ReactiveController {
  state: PhoneState = initialPhoneState;
  readonly ringer = new Ringer();
  /** When (Date.now()) the phone last started, first registered after that, and last received an INVITE: read by the benchmark. */
  readonly timings: { startedAt: number | null; registeredAt: number | null; lastInviteAt: number | null } = { startedAt: null, registeredAt: null, lastInviteAt: null };
  #ua: UserAgent | undefined;
  #registerer: Registerer | undefined;
  #session: Session | undefined;
  #audio: HTMLAudioElement | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #running = false;
  #expectOutbound: { number: string; until: number } | undefined;
  readonly #online = () => { if (this.#running && this.state.registration === 'unregistered') this.#reconnect(0); };

  constructor(private readonly host: ReactiveControllerHost & HTMLElement, private readonly clock: () => number = Date.now) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('online', this.#online);
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.#online);
    void this.stop();
  }

  /** Registers with `creds`; the state tells how it went (no exception for the page to lose). */
  async start(creds: SipCredentials): Promise<void> {
    if (this.#running) await this.stop();
    this.#running = true;
    this.timings.startedAt = Date.now();
    this.timings.registeredAt = null;
    this.#apply({ type: 'start' });
    void this.checkMicrophone();
    const uri = UserAgent.makeURI(`sip:${creds.username}@${creds.domain}`);
    if (uri === undefined) {
      this.#apply({ type: 'register_failed', reason: `bad SIP address ${creds.username}@${creds.domain}` });
      return;
    }
    const ua = new UserAgent({
      uri,
      authorizationUsername: creds.username,
      authorizationPassword: creds.password,
      transportOptions: { server: creds.wsUrl, connectionTimeout: 5, keepAliveInterval: 15 },
      // On one network host candidates are all ICE needs; behind NAT the site's STUN/TURN servers add theirs.
      sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: creds.iceServers ?? [] }, iceGatheringTimeout: 1000 },
      logLevel: 'warn',
      delegate: {
        onInvite: (invitation) => this.#onInvite(invitation),
        onDisconnect: (error) => {
          if (!this.#running) return;
          this.#apply({ type: 'transport_lost', reason: error?.message ?? 'connection closed' });
          this.#reconnect();
        },
      },
    });
    const registerer = new Registerer(ua, { expires: REGISTER_EXPIRES_S });
    registerer.stateChange.addListener((s) => {
      if (!this.#running) return;
      if (s === RegistererState.Registered && this.state.registration !== 'registered') {
        this.#attempt = 0;
        this.#apply({ type: 'registered' });
      } else if (s === RegistererState.Unregistered && this.state.registration === 'registered') {
        this.#apply({ type: 'unregistered' });
        this.#reconnect();
      }
    });
    this.#ua = ua;
    this.#registerer = registerer;
    try {
      await ua.start();
      await this.#register();
    } catch (err) {
      if (this.#running && this.state.registration === 'connecting') {
        this.#apply({ type: 'transport_lost', reason: (err as Error).message });
        this.#reconnect();
      }
    }
  }

  async #register(): Promise<void> {
    await this.#registerer?.register({
      requestDelegate: {
        // The Registerer's own state does not move when only the transport dropped (it stays
        // "Registered"), so a re-registration is recognised by its 200 OK here.
        onAccept: () => {
          if (this.#running && this.state.registration !== 'registered') {
            this.#attempt = 0;
            this.#apply({ type: 'registered' });
          }
        },
        onReject: (response) => {
          const { statusCode, reasonPhrase } = response.message;
          if (this.state.registration === 'connecting' || this.state.registration === 'unregistered') {
            this.#apply({ type: 'register_failed', reason: `${statusCode} ${reasonPhrase}` });
            // Shown to the agent as a failure, and still retried slowly: right after an Asterisk
            // restart the server has not pushed the agents' phones back yet, and Asterisk refuses
            // a REGISTER for a moment. Wrong credentials just keep failing, visibly.
            this.#reconnect(REJECTED_RETRY_MS);
          }
        },
      },
    });
  }

  #reconnect(delayMs = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.#attempt)): void {
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      const ua = this.#ua;
      const from = this.state.registration;
      if (!this.#running || ua === undefined || (from !== 'unregistered' && from !== 'failed')) return;
      this.#attempt++;
      this.#apply({ type: 'start' });
      (ua.isConnected() ? Promise.resolve() : ua.reconnect())
        .then(() => this.#register())
        .catch((err: unknown) => {
          if (!this.#running || this.state.registration !== 'connecting') return;
          this.#apply({ type: 'transport_lost', reason: (err as Error).message });
          this.#reconnect();
        });
    }, delayMs);
  }

  /** Unregisters and closes the line (logout, the tab taken over or closed). */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.ringer.stop();
    const ua = this.#ua;
    const registerer = this.#registerer;
    this.#ua = undefined;
    this.#registerer = undefined;
    this.#session = undefined;
    this.#apply({ type: 'stopped' });
    try {
      if (registerer?.state === RegistererState.Registered) await registerer.unregister();
    } catch { /* the line is going anyway */ }
    await ua?.stop().catch(() => undefined);
  }

  /** Asks for the microphone once, so a refusal is explained before a caller is waiting. */
  async checkMicrophone(): Promise<void> {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      stream.getTracks().forEach((t) => t.stop());
      this.#apply({ type: 'media_checked', result: 'ok' });
    } catch (err) {
      const name = (err as DOMException).name;
      this.#apply({ type: 'media_checked', result: name === 'NotFoundError' || name === 'OverconstrainedError' ? 'missing' : 'denied' });
    }
  }

  /** The agent dialed `number` through the server: its INVITE to this phone is answered by itself. */
  expectOutbound(number: string): void {
    this.#expectOutbound = { number, until: this.clock() + OUTBOUND_WINDOW_MS };
  }

  #onInvite(invitation: Invitation): void {
    this.timings.lastInviteAt = Date.now();
    if (this.#session !== undefined) {
      // One call at a time: the queue never offers a second, so this is a stray call.
      void invitation.reject({ statusCode: 486 }).catch(() => undefined);
      return;
    }
    const remote = invitation.remoteIdentity.uri.user ?? invitation.remoteIdentity.displayName ?? '';
    const expected = this.#expectOutbound;
    const outbound = expected !== undefined && this.clock() <= expected.until;
    this.#expectOutbound = undefined;
    this.#session = invitation;
    this.#apply({ type: 'invited', remote: outbound ? expected.number : remote, direction: outbound ? 'outbound' : 'inbound', at: this.clock() });
    invitation.stateChange.addListener((s) => this.#onSessionState(invitation, s));
    if (outbound) void this.answer();
    else this.ringer.start();
  }

  #onSessionState(session: Session, s: SessionState): void {
    if (session !== this.#session) return;
    if (s === SessionState.Established) {
      this.ringer.stop();
      this.#playRemote(session);
      this.#apply({ type: 'established', at: this.clock() });
    } else if (s === SessionState.Terminated) {
      this.ringer.stop();
      this.#session = undefined;
      if (this.#audio !== undefined) this.#audio.srcObject = null;
      if (this.state.call !== null) this.#apply({ type: 'ended' });
    }
  }

  #playRemote(session: Session): void {
    const sdh = session.sessionDescriptionHandler as SessionDescriptionHandler | undefined;
    if (sdh === undefined) return;
    this.#audio ??= Object.assign(new Audio(), { autoplay: true });
    this.#audio.srcObject = sdh.remoteMediaStream;
    void this.#audio.play().catch(() => undefined);
  }

  /** Answers the ringing call. Failures (no microphone) end the attempt and are shown. */
  async answer(): Promise<void> {
    const session = this.#session;
    if (!(session instanceof Invitation) || session.state !== SessionState.Initial) return;
    this.ringer.stop();
    this.#apply({ type: 'answering' });
    try {
      await session.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
    } catch (err) {
      const name = (err as DOMException).name;
      if (name === 'NotAllowedError' || name === 'NotFoundError') this.#apply({ type: 'media_checked', result: name === 'NotFoundError' ? 'missing' : 'denied' });
    }
  }

  /** Hangs up the call, or declines it while it rings (the queue offers it to the next agent). */
  async hangup(): Promise<void> {
    const session = this.#session;
    if (session === undefined) return;
    this.ringer.stop();
    try {
      if (session.state === SessionState.Established) await session.bye();
      else if (session instanceof Invitation && session.state === SessionState.Initial) await session.reject({ statusCode: 486 });
      else if (session instanceof Invitation && session.state === SessionState.Establishing) await session.dispose();
    } catch { /* already ending */ }
  }

  /** Sends keys into the call as RFC 4733 events (navigating a menu the agent dialed into). */
  sendDtmf(keys: string): boolean {
    const sdh = this.#session?.sessionDescriptionHandler as SessionDescriptionHandler | undefined;
    if (sdh === undefined || !/^[0-9*#A-D]+$/.test(keys)) return false;
    return sdh.sendDtmf(keys, { duration: 120, interToneGap: 70 });
  }

  /** The current call's RTP counters (the connection-quality line, and the end-to-end test's proof of audio). */
  async stats(): Promise<CallStats | null> {
    const pc = (this.#session?.sessionDescriptionHandler as SessionDescriptionHandler | undefined)?.peerConnection;
    if (pc === undefined) return null;
    const out: CallStats = { packetsSent: 0, packetsReceived: 0, bytesReceived: 0, jitterMs: null, path: null };
    const report = await pc.getStats();
    let pairId: string | undefined;
    report.forEach((r: { type: string; selectedCandidatePairId?: string }) => { if (r.type === 'transport') pairId ??= r.selectedCandidatePairId; });
    const pair = pairId === undefined ? undefined : report.get(pairId) as { localCandidateId: string; remoteCandidateId: string } | undefined;
    if (pair !== undefined) {
      const address = (id: string) => { const c = report.get(id) as { address?: string; ip?: string } | undefined; return c?.address ?? c?.ip ?? ''; };
      out.path = { local: address(pair.localCandidateId), remote: address(pair.remoteCandidateId) };
    }
    report.forEach((r: { type: string; kind?: string; packetsSent?: number; packetsReceived?: number; bytesReceived?: number; jitter?: number }) => {
      if (r.kind !== 'audio') return;
      if (r.type === 'outbound-rtp') out.packetsSent += r.packetsSent ?? 0;
      if (r.type === 'inbound-rtp') {
        out.packetsReceived += r.packetsReceived ?? 0;
        out.bytesReceived += r.bytesReceived ?? 0;
        if (r.jitter !== undefined) out.jitterMs = Math.round(r.jitter * 1000);
      }
    });
    return out;
  }

  #apply(e: PhoneEvent): void {
    if (e.type === 'registered' && this.timings.registeredAt === null) this.timings.registeredAt = Date.now();
    this.state = phoneStep(this.state, e);
    this.host.requestUpdate();
    this.host.dispatchEvent(new CustomEvent('cc-phone-changed', { detail: this.state, bubbles: true, composed: true }));
  }
}
