import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { AgentState } from '../../../server/agents/state.js';
import { createApi, type Api } from '../api.js';
import { apiContext, langContext } from '../context.js';
import { clock, phone } from '../format.js';
import { messages, type Lang } from '../i18n/index.js';
import { initialPhoneState, type PhoneState } from '../phone/phone-state.js';
import { base, errorText } from '../styles.js';
import './cc-dialpad.js';

/** What the phone bar needs of the softphone (the SipController; a fake in component tests). */
export interface PhoneControls {
  answer(): Promise<void>;
  hangup(): Promise<void>;
  sendDtmf(keys: string): boolean;
  expectOutbound(number: string): void;
}

interface Target { kind: 'queue' | 'agent' | 'ivr'; id: string; name: string }

/**
 * The softphone's controls: the line's state, the call (who, how long, held or muted), answer
 * and hang up (in the browser), hold, mute and blind transfer (asked of the server, which does
 * them over ARI where the caller is), the DTMF keypad and an outbound call. Keyboard: Alt+A
 * answers, Alt+H hangs up.
 */
@customElement('cc-phone-bar')
export class CcPhoneBar extends LitElement {
  static override styles = [base, css`
    :host { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; padding: 8px 12px; background: #fff; border-bottom: 1px solid #d8dee4; }
    .line { display: flex; align-items: center; gap: 6px; min-width: 190px; }
    .dot { width: 10px; height: 10px; border-radius: 50%; background: #8c959f; }
    :host([data-registration=registered]) .dot { background: #1a7f37; }
    :host([data-registration=failed]) .dot, :host([data-registration=unregistered]) .dot { background: #cf222e; }
    .call { display: flex; align-items: center; gap: 8px; padding: 4px 10px; border-radius: 8px; background: #ddf4ff; }
    :host([data-call=ringing]) .call { background: #ffd8b5; animation: pulse 1s infinite alternate; }
    @keyframes pulse { from { box-shadow: 0 0 0 0 #fb8f44; } to { box-shadow: 0 0 0 6px #fb8f4400; } }
    .remote { font-weight: 700; font-size: 16px; }
    .pop { position: absolute; z-index: 5; margin-top: 8px; background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: 10px; box-shadow: 0 8px 24px #1b243026; }
    .wrap { position: relative; }
    form { display: flex; gap: 6px; align-items: center; }
    .problems { flex-basis: 100%; display: grid; gap: 4px; }
  `];

  @consume({ context: apiContext }) @property({ attribute: false }) api: Api = createApi();
  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  @property({ type: Number }) agentId = 0;
  @property({ attribute: false }) phoneState: PhoneState = initialPhoneState;
  @property({ attribute: false }) agentState: AgentState = { kind: 'offline' };
  @property({ attribute: false }) controls: PhoneControls | undefined;
  @property({ type: Boolean }) ringerSilent = false;
  @property({ attribute: false }) now: () => number = Date.now;
  @state() private open: 'keypad' | 'transfer' | null = null;
  @state() private targets: Target[] = [];
  @state() private error = '';
  @state() private busy = false;
  #tick: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#tick = setInterval(() => { if (this.phoneState.call !== null) this.requestUpdate(); }, 1000);
    window.addEventListener('keydown', this.#shortcut);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#tick);
    window.removeEventListener('keydown', this.#shortcut);
  }

  override willUpdate(): void {
    this.setAttribute('data-registration', this.phoneState.registration);
    this.setAttribute('data-call', this.phoneState.call?.state ?? 'none');
    if (this.phoneState.call === null) this.open = null;
  }

  override render() {
    const t = messages(this.lang).phone;
    const p = this.phoneState;
    return html`
      <div class="line" role="status" aria-live="polite"><span class="dot"></span><span data-testid="registration">${t.registration[p.registration]}</span></div>
      ${p.call === null ? this.#dialForm() : this.#call()}
      ${this.error ? html`<span class="error" role="alert">${this.error}</span>` : nothing}
      <div class="problems">${this.#problems()}</div>`;
  }

  #problems() {
    const t = messages(this.lang).phone;
    const p = this.phoneState;
    const out = [];
    if (p.media === 'denied') out.push(html`<div class="alert" role="alert" data-testid="mic-problem">${t.micDenied}</div>`);
    if (p.media === 'missing') out.push(html`<div class="alert" role="alert" data-testid="mic-problem">${t.micMissing}</div>`);
    if (p.registration === 'failed') out.push(html`<div class="alert" role="alert">${t.registerFailed(p.problem ?? '')}</div>`);
    return out;
  }

  #call() {
    const t = messages(this.lang).phone;
    const call = this.phoneState.call!;
    const a = this.agentState.kind === 'on_call' ? this.agentState : null;
    const seconds = (this.now() - (call.answeredAt ?? call.since)) / 1000;
    const stateText = call.state === 'ringing' ? t.ringing : call.state === 'connecting' ? t.connecting : t.established;
    return html`
      <div class="call" aria-live="assertive">
        <span>${call.direction === 'inbound' ? t.incoming : t.outgoing} · ${stateText}</span>
        <span class="remote" data-testid="remote">${phone(call.remote)}</span>
        <span class="num" title=${t.duration} data-testid="duration">${clock(seconds)}</span>
        ${a?.held ? html`<span>(${t.held})</span>` : nothing}${a?.muted ? html`<span>(${t.muted})</span>` : nothing}
      </div>
      ${call.state === 'ringing' && call.direction === 'inbound'
        ? html`<button class="good" data-action="answer" accesskey="a" @click=${() => void this.controls?.answer()}>${t.answer}</button>
               <button class="bad" data-action="hangup" @click=${() => void this.controls?.hangup()}>${t.decline}</button>`
        : html`<button class="bad" data-action="hangup" accesskey="h" @click=${() => void this.controls?.hangup()}>${t.hangup}</button>`}
      ${call.state === 'established' ? html`
        <button data-action="hold" aria-pressed=${a?.held ? 'true' : 'false'} ?disabled=${this.busy || a === null} @click=${() => this.#toggle('hold', !a?.held)}>${a?.held ? t.unhold : t.hold}</button>
        <button data-action="mute" aria-pressed=${a?.muted ? 'true' : 'false'} ?disabled=${this.busy || a === null} @click=${() => this.#toggle('mute', !a?.muted)}>${a?.muted ? t.unmute : t.mute}</button>
        <span class="wrap">
          <button data-action="keypad" aria-expanded=${this.open === 'keypad'} @click=${() => { this.open = this.open === 'keypad' ? null : 'keypad'; }}>${t.keypad}</button>
          ${this.open === 'keypad' ? html`<div class="pop"><cc-dialpad @cc-dtmf=${(e: CustomEvent<string>) => this.controls?.sendDtmf(e.detail)}></cc-dialpad></div>` : nothing}
        </span>
        <span class="wrap">
          <button data-action="transfer" aria-expanded=${this.open === 'transfer'} ?disabled=${a === null} @click=${this.#openTransfer}>${t.transfer}</button>
          ${this.open === 'transfer' ? this.#transferForm() : nothing}
        </span>` : nothing}
      ${this.ringerSilent && call.state === 'ringing' ? html`<span class="warn">🔇</span>` : nothing}`;
  }

  #dialForm() {
    const t = messages(this.lang).phone;
    const canDial = this.phoneState.registration === 'registered' && (this.agentState.kind === 'available' || this.agentState.kind === 'paused' || this.agentState.kind === 'wrap_up');
    return html`
      <form @submit=${this.#dial}>
        <label class="sr-only" for="number">${t.dialNumber}</label>
        <input id="number" name="number" type="tel" placeholder=${t.dialNumber} autocomplete="off" size="16" ?disabled=${!canDial}>
        <button type="submit" data-action="dial" ?disabled=${!canDial || this.busy}>${t.dial}</button>
      </form>`;
  }

  #transferForm() {
    const t = messages(this.lang).phone;
    return html`
      <form class="pop" @submit=${this.#transfer}>
        <label for="target">${t.transferTo}</label>
        <select id="target" name="target">
          ${this.targets.map((x) => html`<option value=${`${x.kind}:${x.id}`}>${x.kind === 'queue' ? t.transferQueue : x.kind === 'agent' ? t.transferAgent : ''} ${x.name}</option>`)}
        </select>
        <button class="primary" type="submit" ?disabled=${this.busy}>${t.transfer}</button>
      </form>`;
  }

  readonly #openTransfer = async () => {
    if (this.open === 'transfer') {
      this.open = null;
      return;
    }
    const t = messages(this.lang).phone;
    try {
      const [queues, agents] = await Promise.all([
        this.api.get<Array<{ id: string; name: string }>>('/api/queues'),
        this.api.get<Array<{ agentId: number; username: string; state: { kind: string } }>>('/api/agents'),
      ]);
      this.targets = [
        ...queues.map((q): Target => ({ kind: 'queue', id: q.id, name: q.name })),
        ...agents.filter((a) => a.agentId !== this.agentId && a.state.kind === 'available').map((a): Target => ({ kind: 'agent', id: String(a.agentId), name: a.username })),
        { kind: 'ivr', id: 'ivr', name: t.transferIvr },
      ];
      this.open = 'transfer';
    } catch (err) {
      this.error = errorText(err, messages(this.lang));
    }
  };

  readonly #transfer = async (e: SubmitEvent) => {
    e.preventDefault();
    const value = String(new FormData(e.target as HTMLFormElement).get('target') ?? '');
    const [kind, id] = value.split(':') as [Target['kind'], string];
    const body = kind === 'queue' ? { queue: id } : kind === 'agent' ? { agentId: Number(id) } : { ivr: true };
    if (await this.#request(`/api/agents/${this.agentId}/call/transfer`, body)) this.open = null;
  };

  readonly #dial = async (e: SubmitEvent) => {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('number') as HTMLInputElement;
    const number = input.value.trim();
    if (number === '') return;
    this.controls?.expectOutbound(number);
    if (await this.#request(`/api/agents/${this.agentId}/calls`, { number })) input.value = '';
  };

  #toggle(what: 'hold' | 'mute', on: boolean) {
    void this.#request(`/api/agents/${this.agentId}/call/${what}`, { on });
  }

  async #request(path: string, body: object): Promise<boolean> {
    this.busy = true;
    this.error = '';
    try {
      await this.api.post(path, body);
      return true;
    } catch (err) {
      this.error = errorText(err, messages(this.lang));
      return false;
    } finally {
      this.busy = false;
    }
  }

  readonly #shortcut = (e: KeyboardEvent) => {
    if (!e.altKey || this.phoneState.call === null) return;
    if (e.key === 'a' && this.phoneState.call.state === 'ringing') void this.controls?.answer();
    else if (e.key === 'h') void this.controls?.hangup();
    else return;
    e.preventDefault();
  };
}
