import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { AccountSummary } from '../../../server/accounts/lookup.js';
import { createApi, type Api } from '../api.js';
import { apiContext, langContext } from '../context.js';
import { messages, type Lang } from '../i18n/index.js';
import { base, errorText } from '../styles.js';

/**
 * Finding a customer by phone, account number, surname or address (the server keeps each of
 * these one indexed query, fast at a million customers). Choosing a result fires `cc-account-selected`.
 */
@customElement('cc-account-search')
export class CcAccountSearch extends LitElement {
  static override styles = [base, css`
    :host { display: block; }
    form { display: flex; gap: 6px; }
    input { flex: 1; min-width: 0; }
    ul { list-style: none; margin: 8px 0 0; padding: 0; display: grid; gap: 4px; max-height: 260px; overflow: auto; }
    li button { width: 100%; text-align: left; }
  `];

  @consume({ context: apiContext }) @property({ attribute: false }) api: Api = createApi();
  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  @state() private results: AccountSummary[] | null = null;
  @state() private error = '';
  #abort: AbortController | undefined;

  override render() {
    const t = messages(this.lang).search;
    return html`
      <form role="search" @submit=${this.#search}>
        <label class="sr-only" for="q">${t.label}</label>
        <input id="q" name="q" type="search" minlength="2" maxlength="100" placeholder=${t.placeholder} autocomplete="off">
        <button type="submit">${t.submit}</button>
      </form>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
      ${this.results === null ? nothing : this.results.length === 0 ? html`<div class="muted">${t.nothing}</div>` : html`
        <ul aria-label=${t.label}>${this.results.map((a) => html`
          <li><button @click=${() => this.dispatchEvent(new CustomEvent('cc-account-selected', { detail: { accountId: a.accountId }, bubbles: true, composed: true }))}>
            <strong>${a.customerName}</strong> · ${a.accountNumber}<br><span class="muted">${a.city}, ${a.address}</span>
          </button></li>`)}
        </ul>`}`;
  }

  readonly #search = async (e: SubmitEvent) => {
    e.preventDefault();
    const q = String(new FormData(e.target as HTMLFormElement).get('q') ?? '').trim();
    if (q.length < 2) return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.error = '';
    try {
      const results = await this.api.get<AccountSummary[]>(`/api/customers/search?q=${encodeURIComponent(q)}`);
      if (!abort.signal.aborted) this.results = results;
    } catch (err) {
      if (!abort.signal.aborted) this.error = errorText(err, messages(this.lang));
    }
  };
}
