import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { adminStyles, type OfficeBody, type OfficeView } from '../admin.js';
import { createApi, type Api } from '../api.js';
import { apiContext, langContext } from '../context.js';
import { messages, type Lang } from '../i18n/index.js';
import { base, errorText } from '../styles.js';
import './cc-office-form.js';

const SORT_STEP = 10;
const bySortOrder = (a: OfficeView, b: OfficeView) => a.sortOrder - b.sortOrder || a.id - b.id;

/**
 * The offices the IVR tells callers about (GET /api/offices), in both languages, with create
 * (POST /api/offices) and edit (PUT /api/offices/:id) on the side. The server re-voices the
 * office sentences at once, which the form says: no restart, the next caller hears the change.
 */
@customElement('cc-office-admin')
export class CcOfficeAdmin extends LitElement {
  static override styles = [base, adminStyles];

  @consume({ context: apiContext }) @property({ attribute: false }) api: Api = createApi();
  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  @state() private offices: OfficeView[] = [];
  /** the office being edited, 'new' while creating, null with no form open */
  @state() private editing: OfficeView | 'new' | null = null;
  @state() private formError: unknown = null;
  @state() private busy = false;
  @state() private status = '';

  private readonly load = new Task(this, {
    task: async (_args, { signal }) => this.api.get<OfficeView[]>('/api/offices', { signal }),
    args: () => [],
    onComplete: (offices) => { this.offices = [...offices].sort(bySortOrder); },
  });

  #open(editing: OfficeView | 'new' | null): void {
    this.editing = editing;
    this.formError = null;
    this.status = '';
  }

  async #submit(body: OfficeBody): Promise<void> {
    const editing = this.editing;
    if (editing === null || this.busy) return;
    this.busy = true;
    this.formError = null;
    try {
      const saved = editing === 'new'
        ? await this.api.post<OfficeView>('/api/offices', body)
        : await this.api.put<OfficeView>(`/api/offices/${editing.id}`, body);
      this.offices = [...this.offices.filter((o) => o.id !== saved.id), saved].sort(bySortOrder);
      this.editing = null;
      this.status = messages(this.lang).offices.saved;
    } catch (err) {
      this.formError = err;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const t = messages(this.lang);
    const o = t.offices;
    const editing = this.editing;
    const last = this.offices.at(-1);
    return html`<div class="layout ${editing === null ? '' : 'editing'}">
      <section aria-labelledby="offices-title">
        <div class="bar">
          <h2 id="offices-title">${o.title}</h2>
          <button class="primary" data-action="create-office" ?disabled=${editing === 'new'} @click=${() => this.#open('new')}>${o.create}</button>
        </div>
        ${this.status ? html`<div class="note" role="status" data-testid="office-status">${this.status}</div>` : nothing}
        ${this.load.render({
          pending: () => (this.offices.length === 0 ? html`<p class="muted">${t.common.loading}</p>` : this.#table()),
          complete: () => this.#table(),
          error: (err) => html`<div class="alert" role="alert">${errorText(err, t)} <button @click=${() => void this.load.run()}>${t.common.retry}</button></div>`,
        })}
      </section>
      ${editing === null ? nothing : html`<cc-office-form .lang=${this.lang} .office=${editing === 'new' ? null : editing} .nextSortOrder=${(last?.sortOrder ?? 0) + SORT_STEP}
        .error=${this.formError} ?busy=${this.busy}
        @cc-office-submit=${(e: CustomEvent<OfficeBody>) => void this.#submit(e.detail)} @cc-cancel=${() => this.#open(null)}></cc-office-form>`}
    </div>`;
  }

  #table() {
    const t = messages(this.lang);
    const o = t.offices;
    if (this.offices.length === 0) return html`<p class="muted">${o.empty}</p>`;
    const en = this.lang === 'en';
    const selected = this.editing === null || this.editing === 'new' ? null : this.editing.id;
    return html`<table>
      <thead><tr><th class="num">${o.sortOrder}</th><th>${o.city}</th><th>${o.address}</th><th>${o.hours}</th><th>${o.phone}</th><th>${o.towns}</th><th>${o.active}</th><th><span class="sr-only">${t.staff.actions}</span></th></tr></thead>
      <tbody>${this.offices.map((x) => html`<tr data-office=${x.id} class="${x.active ? '' : 'inactive'} ${selected === x.id ? 'selected' : ''}">
        <td class="num">${x.sortOrder}</td>
        <td data-field="city">${en ? x.cityEn : x.cityRu}</td>
        <td data-field="address">${en ? x.addressEn : x.addressRu}</td>
        <td data-field="hours">${en ? x.hoursEn : x.hoursRu}</td>
        <td class="num nowrap" data-field="phone">${x.phone || '—'}</td>
        <td data-field="towns">${x.towns.join(', ')}</td>
        <td data-field="active"><span class="badge ${x.active ? 'on' : 'off'}">${x.active ? t.common.yes : t.common.no}</span></td>
        <td class="actions"><button data-action="edit-office" @click=${() => this.#open(x)}>${o.edit}</button></td>
      </tr>`)}</tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'cc-office-admin': CcOfficeAdmin }
}
