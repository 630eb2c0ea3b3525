import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { AccountSummary } from '../../../server/accounts/lookup.js';
import type { ScreenPop } from '../../../server/live/screen-pop.js';
import { langContext } from '../context.js';
import { clock, phone } from '../format.js';
import { messages, type Lang } from '../i18n/index.js';
import { base } from '../styles.js';

/**
 * The screen pop: who is calling, before the agent answers. The caller's number, the customer
 * the number identifies (or the accounts to choose from, or a word that a search is needed),
 * the queue, how long they waited, and what they did in the voice menu, in words. Choosing an
 * account fires `cc-account-selected`.
 */
@customElement('cc-incoming-call')
export class CcIncomingCall extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    .panel { display: grid; gap: 8px; }
    :host([ringing]) .panel { border-color: #fb8f44; box-shadow: 0 0 0 2px #ffd8b5; }
    h2 { margin: 0; font-size: 15px; }
    .callback { background: #fbefff; color: #6e40c9; padding: 2px 8px; border-radius: 999px; }
    .number { font-size: 20px; font-weight: 700; font-variant-numeric: tabular-nums; }
    .name { font-size: 16px; font-weight: 600; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; }
    dt { color: #57606a; }
    dd { margin: 0; }
    ol { margin: 0; padding-left: 20px; }
    ul.choices { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
    ul.choices button { width: 100%; text-align: left; }
    ul.choices button[aria-pressed=true] { border-color: #1f6feb; background: #ddf4ff; }
  `];

  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  @property({ attribute: false }) pop: ScreenPop | null = null;
  @property({ type: Number }) selectedAccountId: number | null = null;
  @property({ type: Boolean, reflect: true }) ringing = false;

  override render() {
    const pop = this.pop;
    if (pop === null) return nothing;
    const t = messages(this.lang).call;
    const one = pop.identification === 'one' ? pop.accounts[0] : undefined;
    return html`
      <section class="panel" aria-label=${t.caller}>
        <h2>${pop.kind === 'callback' ? html`<span class="callback" data-testid="callback-badge">${t.callback}</span>` : t.caller}</h2>
        <div class="number" data-testid="caller-number">${pop.caller.e164 !== null ? phone(pop.caller.e164) : pop.caller.number || t.hiddenNumber}</div>
        ${one !== undefined ? html`<div class="name" data-testid="caller-name">${one.customerName}</div><div>${one.accountNumber} · ${one.city}, ${one.address}</div>` : nothing}
        ${pop.identification === 'none' ? html`<div class="warn">${t.unknownCaller}</div>` : nothing}
        ${pop.identification === 'several' ? this.#choices(pop.accounts) : nothing}
        <dl>
          <dt>${t.queue}</dt><dd>${pop.queue ?? '—'}</dd>
          <dt>${t.waited}</dt><dd class="num">${pop.waitedMs === null ? '—' : clock(pop.waitedMs / 1000)}</dd>
        </dl>
        <div>
          <strong>${t.ivrPath}</strong>
          ${pop.ivrPath.length === 0 ? html`<div class="muted">${t.noIvr}</div>` : html`<ol data-testid="ivr-path">${pop.ivrPath.map((step) => html`<li>${step}</li>`)}</ol>`}
        </div>
      </section>`;
  }

  #choices(accounts: AccountSummary[]) {
    const t = messages(this.lang).call;
    return html`
      <div>${t.severalAccounts}</div>
      <ul class="choices">${accounts.map((a) => html`
        <li><button aria-pressed=${a.accountId === this.selectedAccountId ? 'true' : 'false'} @click=${() => this.#select(a.accountId)}>
          <strong>${a.customerName}</strong><br><span class="muted">${a.accountNumber} · ${a.address}</span>
        </button></li>`)}
      </ul>`;
  }

  #select(accountId: number) {
    this.dispatchEvent(new CustomEvent('cc-account-selected', { detail: { accountId }, bubbles: true, composed: true }));
  }
}
