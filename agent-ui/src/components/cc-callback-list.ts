import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { createApi, type Api } from '../api.js';
import { apiContext, langContext } from '../context.js';
import { instant, phone } from '../format.js';
import { messages, type Lang } from '../i18n/index.js';
import { base, errorText } from '../styles.js';

/** A callback request as GET /api/callbacks lists it (server/callbacks/schemas.ts CallbackView). */
export interface CallbackItem {
  id: number;
  number: string;
  customerName: string | null;
  accountNumber: string | null;
  status: 'pending' | 'dialing' | 'completed' | 'failed' | 'cancelled';
  requestedAt: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastOutcome: string | null;
  agentId: number | null;
  history: Array<{ startedAt: string; outcome: string | null; manual: boolean }>;
}

const REFRESH_MS = 15_000;

/**
 * The callbacks still to do: pending ones (waiting in line, or due again later) and failed ones,
 * with their attempts. One click calls the customer from the agent's own phone; then the agent
 * marks the request done or failed, with a reason.
 */
@customElement('cc-callback-list')
export class CcCallbackList extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    h2 { font-size: 15px; margin: 0 0 8px; }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
    li { border: 1px solid #d8dee4; border-radius: 6px; padding: 6px 8px; display: grid; gap: 4px; }
    li[data-status=failed] { border-color: #ff8182; }
    .row { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
    .who { font-weight: 600; }
    .attempts { font-size: 12px; color: #57606a; }
    input { flex: 1; min-width: 0; }
  `];

  @consume({ context: apiContext }) @property({ attribute: false }) api: Api = createApi();
  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  @property({ type: Number }) agentId = 0;
  @state() private items: CallbackItem[] = [];
  /** why the list could not be loaded (cleared by the next load) */
  @state() private loadError = '';
  /** why the agent's last action was refused (kept until their next action) */
  @state() private error = '';
  @state() private busy = false;
  /** the request the agent is calling now (its done / failed form is open) */
  @state() private calling: number | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#timer);
  }

  async refresh(): Promise<void> {
    try {
      this.items = await this.api.get<CallbackItem[]>('/api/callbacks?status=pending,dialing,failed&limit=50');
      this.loadError = '';
    } catch (err) {
      this.loadError = errorText(err, messages(this.lang));
    }
  }

  override render() {
    const t = messages(this.lang).callbacks;
    return html`
      <h2>${t.title} <span class="muted">(${this.items.length})</span></h2>
      ${this.loadError ? html`<div class="error" role="alert">${this.loadError}</div>` : nothing}
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
      ${this.items.length === 0 ? html`<div class="muted">${t.empty}</div>` : html`<ul>${this.items.map((i) => this.#item(i))}</ul>`}`;
  }

  #item(i: CallbackItem) {
    const t = messages(this.lang).callbacks;
    const mine = this.calling === i.id;
    return html`
      <li data-status=${i.status} data-id=${i.id}>
        <div class="row"><span class="who">${i.customerName ?? phone(i.number)}</span>${i.customerName ? html`<span class="num">${phone(i.number)}</span>` : nothing}</div>
        <div class="row muted">${t.status[i.status]} · ${t.requested(instant(i.requestedAt, this.lang))}${i.nextAttemptAt && i.status === 'pending' ? html` · ${t.next(instant(i.nextAttemptAt, this.lang))}` : nothing}</div>
        ${i.history.length > 0 ? html`<div class="attempts">${t.attempts(i.attempts)}: ${i.history.map((h) => `${instant(h.startedAt, this.lang).slice(-5)} ${h.outcome === null ? '…' : t.outcomes[h.outcome as keyof typeof t.outcomes] ?? h.outcome}`).join(', ')}</div>` : nothing}
        ${mine ? this.#resolveForm(i) : (i.status === 'pending' || i.status === 'failed')
          ? html`<div class="row"><button data-action="call-back" ?disabled=${this.busy} @click=${() => void this.#call(i)}>${t.call}</button>
              <button data-action="resolve" ?disabled=${this.busy} @click=${() => { this.calling = i.id; }}>${t.close}</button></div>`
          : nothing}
      </li>`;
  }

  #resolveForm(i: CallbackItem) {
    const t = messages(this.lang).callbacks;
    return html`
      <form class="row" @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        const form = new FormData(e.target as HTMLFormElement);
        void this.#resolve(i, (e.submitter as HTMLButtonElement | null)?.value === 'failed' ? 'failed' : 'completed', String(form.get('reason') ?? ''));
      }}>
        <label class="sr-only" for=${`reason-${i.id}`}>${t.reason}</label>
        <input id=${`reason-${i.id}`} name="reason" required maxlength="500" placeholder=${t.reason}>
        <button class="good" type="submit" value="completed" data-action="done" ?disabled=${this.busy}>${t.done}</button>
        <button class="bad" type="submit" value="failed" data-action="failed" ?disabled=${this.busy}>${t.failed}</button>
      </form>`;
  }

  async #call(i: CallbackItem) {
    this.busy = true;
    this.error = '';
    // Before the request: the agent's phone may ring with this call before the answer arrives.
    this.dispatchEvent(new CustomEvent('cc-callback-dialled', { detail: { requestId: i.id, number: i.number }, bubbles: true, composed: true }));
    try {
      await this.api.post(`/api/callbacks/${i.id}/call`);
      this.calling = i.id;
    } catch (err) {
      this.error = errorText(err, messages(this.lang));
    } finally {
      this.busy = false;
      void this.refresh();
    }
  }

  async #resolve(i: CallbackItem, outcome: 'completed' | 'failed', reason: string) {
    this.busy = true;
    this.error = '';
    try {
      await this.api.post(`/api/callbacks/${i.id}/resolve`, { outcome, reason });
      this.calling = null;
    } catch (err) {
      this.error = errorText(err, messages(this.lang));
    } finally {
      this.busy = false;
      void this.refresh();
    }
  }
}
