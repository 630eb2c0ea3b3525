import { consume } from '@lit/context';
import { initialState, Task, TaskStatus } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AccountCard } from '../../../server/customers/service.js';
import { kaliningradDay } from '../../../server/appeals/rules.js';
import { ApiError, createApi, type Api } from '../api.js';
import { apiContext, langContext } from '../context.js';
import { day, month, phone, rubles } from '../format.js';
import { messages, type Lang, type Messages } from '../i18n/index.js';
import { base } from '../styles.js';
import { usageByMonth } from './cc-usage-chart.js';
import './cc-contact-history.js';

export type CardState = 'empty' | 'loading' | 'ready' | 'error';

/** Fired once the card's content is on screen; the benchmark measures an offered call to this. */
export interface CardPaintedDetail { accountId: number }

/** A stored value looked up in a catalogue section; unknown values show as stored. */
function pick(table: Record<string, string>, key: string | null): string {
  return key === null ? '' : table[key] ?? key;
}

const num = (n: number | null) => (n === null ? '—' : String(n));

/**
 * The account card: who the customer is, the account and its balance, 24 months of charges and
 * payments (table and chart), meter readings and earlier contacts. Loads GET
 * /api/accounts/:id/card whenever `accountId` changes; the host's `data-state` attribute tells
 * tests and styles where it is, and `cc-card-painted` announces the finished card.
 */
@customElement('cc-account-card')
export class CcAccountCard extends LitElement {
  @property({ type: Number, attribute: 'account-id' }) accountId: number | null = null;
  @consume({ context: langContext, subscribe: true })
  @property() override lang: Lang = 'ru';
  @consume({ context: apiContext })
  @property({ attribute: false }) api: Api = createApi();

  /** The card last announced, so a re-render of the same card does not announce it again. */
  private announced: AccountCard | undefined;

  private readonly task = new Task(this, {
    task: async ([id], { signal }): Promise<AccountCard | typeof initialState> => {
      if (id === null || id === undefined || Number.isNaN(id)) return initialState;
      const card = await this.api.get<AccountCard>(`/api/accounts/${id}/card`);
      // A newer accountId has superseded this request: Task drops the value, don't render it.
      signal.throwIfAborted();
      return card;
    },
    args: () => [this.accountId] as const,
  });

  /** Loads the card again (a consultation or appeal was just logged: the history must show it). */
  reload(): void {
    void this.task.run();
  }

  static override styles = [base, css`
    :host { display: block; height: 100%; overflow-y: auto; box-sizing: border-box; padding: 12px 16px 24px; color: #1b2430; font: 14px/1.4 system-ui, "Segoe UI", Roboto, sans-serif; }
    section { margin: 0 0 18px; }
    h2 { font-size: 18px; margin: 0 0 4px; }
    h3 { font-size: 15px; margin: 0 0 8px; }
    .summary { display: grid; grid-template-columns: 1fr auto; gap: 12px; align-items: start; border: 1px solid #d8dee4; border-radius: 8px; background: #fff; padding: 12px 14px; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 12px; margin: 8px 0 0; }
    dt { color: #5f6b7a; }
    dd { margin: 0; }
    .mono { font-variant-numeric: tabular-nums; }
    .phones { list-style: none; margin: 0; padding: 0; }
    .balance { text-align: right; min-width: 150px; border-left: 1px solid #eceff3; padding-left: 12px; }
    .balance .label { font-size: 13px; color: #5f6b7a; }
    .balance .sum { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .balance.debt .label, .balance.debt .sum { color: #b3261e; }
    .balance.overpayment .sum { color: #24683a; }
    table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }
    caption { text-align: left; font-weight: 600; font-size: 15px; padding: 0 0 6px; }
    th, td { padding: 3px 8px; border-bottom: 1px solid #eceff3; text-align: right; white-space: nowrap; }
    th { font-weight: 600; color: #3b4655; background: #f7f8fa; }
    th:first-child, td:first-child, th[scope='row'] { text-align: left; }
    tbody th { font-weight: normal; color: #1b2430; background: none; }
    th.text, td.text { text-align: left; }
    .tables { display: grid; gap: 18px; }
    .state { padding: 24px 4px; color: #5f6b7a; }
    .failure { border: 1px solid #f0c2bd; background: #fdf3f2; border-radius: 6px; padding: 12px 14px; }
    .failure p { margin: 0; }
    .failure .code { font-family: ui-monospace, monospace; font-size: 12px; color: #7a2a22; margin: 4px 0 10px; }
  `];

  override render() {
    const m = messages(this.lang);
    return this.task.render({
      initial: () => html`<p class="state">${m.card.empty}</p>`,
      pending: () => html`<p class="state" role="status">${m.card.loading}</p>`,
      complete: (card) => this.renderCard(card, m),
      error: (err) => this.renderError(err, m),
    });
  }

  override updated() {
    this.setAttribute('data-state', this.state());
    const card = this.task.value;
    if (this.task.status === TaskStatus.COMPLETE && card !== undefined && card !== this.announced) {
      this.announced = card;
      void this.announcePainted(card, this.accountId ?? card.account.id);
    }
  }

  private state(): CardState {
    switch (this.task.status) {
      case TaskStatus.INITIAL: return 'empty';
      case TaskStatus.PENDING: return 'loading';
      case TaskStatus.COMPLETE: return 'ready';
      case TaskStatus.ERROR: return 'error';
    }
  }

  /**
   * After this render and the chart's and history's own renders are committed, and the browser
   * has had one frame to paint them. Skipped if another account replaced this one meanwhile.
   */
  private async announcePainted(card: AccountCard, accountId: number) {
    await this.updateComplete;
    const children = [...this.renderRoot.querySelectorAll('cc-usage-chart, cc-contact-history')] as LitElement[];
    await Promise.all(children.map((c) => c.updateComplete));
    await new Promise((resolve) => requestAnimationFrame(resolve));
    if (this.task.value !== card || !this.isConnected) return;
    this.dispatchEvent(new CustomEvent<CardPaintedDetail>('cc-card-painted', { detail: { accountId }, bubbles: true, composed: true }));
  }

  private renderError(err: unknown, m: Messages) {
    const code = err instanceof ApiError ? err.code : 'CC_ERR_UI';
    const text = code === 'CC_ERR_ACCOUNT_NOT_FOUND' ? m.card.notFound(String(this.accountId ?? ''))
      : code === 'CC_ERR_NETWORK' ? m.common.networkError
        : `${m.card.loadFailed} ${err instanceof Error ? err.message : String(err)}`;
    return html`<div class="failure" role="alert">
      <p>${text}</p>
      <p class="code">${code}</p>
      <button type="button" @click=${() => void this.task.run()}>${m.common.retry}</button>
    </div>`;
  }

  private renderCard(card: AccountCard, m: Messages) {
    const { customer, account } = card;
    const c = m.card;
    return html`
      <section class="summary" aria-label=${c.customer}>
        <div>
          <h2>${customer.name}</h2>
          <dl>
            <dt>${c.account}</dt><dd class="mono">${account.number}</dd>
            <dt>${c.city}</dt><dd>${account.city}</dd>
            <dt>${c.address}</dt><dd>${account.address}</dd>
            <dt>${c.tariff}</dt><dd>${pick(c.tariffs, account.tariff)}</dd>
            <dt>${c.phones}</dt>
            <dd>${customer.phones.length === 0 ? html`<span class="muted">${c.noPhones}</span>` : html`<ul class="phones">${customer.phones.map((p) => html`
              <li><span class="mono">${phone(p.phone)}</span>${p.label === null ? nothing : html` <span class="muted">${pick(c.phoneLabels, p.label)}</span>`}</li>`)}</ul>`}</dd>
            <dt>${c.email}</dt><dd>${customer.email ?? html`<span class="muted">${c.noEmail}</span>`}</dd>
            <dt>${c.openedAt}</dt><dd class="mono">${day(account.openedAt, this.lang)}</dd>
          </dl>
        </div>
        ${this.renderBalance(card.balanceKop, m)}
      </section>
      <section class="tables">
        ${this.renderUsage(card, m)}
        ${this.renderReadings(card, m)}
      </section>
      <section>
        <cc-contact-history .contacts=${card.contacts} .lang=${this.lang}></cc-contact-history>
      </section>
    `;
  }

  private renderBalance(kop: number, m: Messages) {
    const c = m.card;
    const kind = kop > 0 ? 'debt' : kop < 0 ? 'overpayment' : 'settled';
    return html`<div class="balance ${kind}" data-balance=${kind}>
      <div class="label">${kind === 'debt' ? c.debt : kind === 'overpayment' ? c.overpayment : c.balance}</div>
      <div class="sum">${kind === 'settled' ? c.settled : rubles(Math.abs(kop), this.lang)}</div>
    </div>`;
  }

  private renderUsage(card: AccountCard, m: Messages) {
    const c = m.card;
    // Newest month first in the table: the agent is asked about the latest bills.
    const rows = usageByMonth(card.charges, card.payments).reverse();
    const twoZone = card.account.tariff === 'two_zone' || card.charges.some((x) => x.kwhNight !== null);
    return html`<div class="panel">
      <h3>${c.usage(rows.length)}</h3>
      <cc-usage-chart .charges=${card.charges} .payments=${card.payments} .lang=${this.lang}></cc-usage-chart>
      ${rows.length === 0 ? html`<p class="muted">${c.noCharges}</p>` : html`
      <table class="usage">
        <caption class="sr-only">${c.usage(rows.length)}</caption>
        <thead><tr>
          <th scope="col">${c.month}</th>
          ${twoZone ? html`<th scope="col">${c.kwhDay}</th><th scope="col">${c.kwhNight}</th>` : html`<th scope="col">${c.kwh}</th>`}
          <th scope="col">${c.charged}</th><th scope="col">${c.paid}</th>
        </tr></thead>
        <tbody>${rows.map((r) => html`<tr data-period=${r.period}>
          <th scope="row">${month(r.period, this.lang)}</th>
          <td>${num(r.kwhDay)}</td>${twoZone ? html`<td>${num(r.kwhNight)}</td>` : nothing}
          <td>${r.chargedKop === null ? '—' : rubles(r.chargedKop, this.lang)}</td>
          <td>${r.paidKop === 0 ? '—' : rubles(r.paidKop, this.lang)}</td>
        </tr>`)}</tbody>
      </table>`}
    </div>`;
  }

  private renderReadings(card: AccountCard, m: Messages) {
    const c = m.card;
    const twoZone = card.readings.some((r) => r.night !== null);
    if (card.readings.length === 0) return html`<div class="panel"><h3>${c.readings}</h3><p class="muted">${c.noReadings}</p></div>`;
    return html`<div class="panel">
      <table class="readings">
        <caption>${c.readings}</caption>
        <thead><tr>
          <th scope="col">${c.readingDate}</th>
          ${twoZone ? html`<th scope="col">${c.readingDay}</th><th scope="col">${c.readingNight}</th>` : html`<th scope="col">${c.readingValue}</th>`}
          <th scope="col" class="text">${c.readingSource}</th>
        </tr></thead>
        <tbody>${card.readings.map((r) => html`<tr>
          <th scope="row">${day(kaliningradDay(new Date(r.takenAt)), this.lang)}</th>
          <td>${r.day}</td>${twoZone ? html`<td>${num(r.night)}</td>` : nothing}
          <td class="text">${pick(c.sources, r.source)}</td>
        </tr>`)}</tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-account-card': CcAccountCard;
  }
  interface HTMLElementEventMap {
    'cc-card-painted': CustomEvent<CardPaintedDetail>;
  }
}
