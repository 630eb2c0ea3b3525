import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { AgentState, PauseReason } from '../../../server/agents/state.js';
import { createApi, type Api } from '../api.js';
import { apiContext, langContext } from '../context.js';
import { messages, type Lang } from '../i18n/index.js';
import { base, errorText } from '../styles.js';

/** Reasons an agent may choose; 'missed' and 'supervisor' are set by the system or a supervisor only. */
const CHOOSABLE: readonly PauseReason[] = ['break', 'training', 'after_call_work'];

/**
 * The agent's status: start and end the shift, available, paused with a reason, and during
 * wrap-up a countdown with "ready". It shows the state the server holds (`state`, kept current
 * by the live socket), so an auto-pause or a supervisor's change appears at once; a click asks
 * the server and the new state arrives the same way.
 */
@customElement('cc-status-selector')
export class CcStatusSelector extends LitElement {
  static override styles = [base, css`
    :host { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
    select { max-width: 200px; }
    .badge { padding: 4px 10px; border-radius: 999px; font-weight: 600; background: #eaeef2; }
    :host([data-state=available]) .badge { background: #dafbe1; color: #116329; }
    :host([data-state=paused]) .badge { background: #fff8c5; color: #7d4e00; }
    :host([data-state=ringing]) .badge, :host([data-state=on_call]) .badge { background: #ddf4ff; color: #0a3069; }
    :host([data-state=wrap_up]) .badge { background: #fbefff; color: #6e40c9; }
  `];

  @consume({ context: apiContext }) @property({ attribute: false }) api: Api = createApi();
  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  @property({ type: Number }) agentId = 0;
  @property({ attribute: false }) state: AgentState = { kind: 'offline' };
  /** the clock for the wrap-up countdown; tests pass a fake one */
  @property({ attribute: false }) now: () => number = Date.now;
  @state() private busy = false;
  @state() private error = '';
  #tick: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#tick = setInterval(() => { if (this.state.kind === 'wrap_up') this.requestUpdate(); }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#tick);
  }

  override willUpdate(): void {
    this.setAttribute('data-state', this.state.kind);
  }

  override render() {
    const t = messages(this.lang).status;
    const s = this.state;
    const label = s.kind === 'paused' ? `${t.paused}: ${t.reasons[s.reason]}` : t[s.kind];
    return html`
      <span class="badge" role="status" aria-live="polite" aria-label=${`${t.label}: ${label}`}>${label}</span>
      ${s.kind === 'wrap_up' ? html`<span class="num" data-testid="wrap-up-left">${t.wrapUpLeft(Math.max(0, Math.ceil((s.until - this.now()) / 1000)))}</span>` : nothing}
      ${this.#actions(s)}
      ${this.error ? html`<span class="error" role="alert">${this.error}</span>` : nothing}`;
  }

  #actions(s: AgentState) {
    const t = messages(this.lang).status;
    switch (s.kind) {
      case 'offline':
        return html`<button class="good" data-action="start-shift" ?disabled=${this.busy} @click=${() => this.#post('login')}>${t.startShift}</button>`;
      case 'available':
        return html`${this.#pauseSelect(t.pause, null)}${this.#endShift()}`;
      case 'paused':
        return html`
          <button class="good" data-action="available" ?disabled=${this.busy} @click=${() => this.#post('state', { state: 'available' })}>${t.goAvailable}</button>
          ${this.#pauseSelect(t.pause, s.reason)}${this.#endShift()}`;
      case 'wrap_up':
        return html`
          <button class="good" data-action="ready" ?disabled=${this.busy} @click=${() => this.#post('state', { state: 'available' })}>${t.ready}</button>
          ${this.#pauseSelect(t.nextAfterWrapUp, s.next === 'available' ? null : s.next)}`;
      default:
        return nothing;
    }
  }

  #pauseSelect(title: string, current: PauseReason | null) {
    const t = messages(this.lang).status;
    return html`
      <label class="sr-only" for="reason">${title}</label>
      <select id="reason" data-action="pause" ?disabled=${this.busy} @change=${(e: Event) => {
        const reason = (e.target as HTMLSelectElement).value;
        if (reason !== '') void this.#post('state', { state: 'paused', reason });
      }}>
        <option value="" ?selected=${current === null}>${title}…</option>
        ${CHOOSABLE.map((r) => html`<option value=${r} ?selected=${current === r}>${t.reasons[r]}</option>`)}
      </select>`;
  }

  #endShift() {
    return html`<button data-action="end-shift" ?disabled=${this.busy} @click=${() => this.#post('logout')}>${messages(this.lang).status.endShift}</button>`;
  }

  async #post(what: 'login' | 'logout' | 'state', body?: object) {
    this.busy = true;
    this.error = '';
    try {
      const view = await this.api.post<{ state: AgentState }>(`/api/agents/${this.agentId}/${what}`, body);
      // The live socket brings the same state; taking the answer too keeps a slow socket from lagging the click.
      this.state = view.state;
      this.dispatchEvent(new CustomEvent('cc-agent-state', { detail: view.state, bubbles: true, composed: true }));
    } catch (err) {
      this.error = errorText(err, messages(this.lang));
    } finally {
      this.busy = false;
    }
  }
}
