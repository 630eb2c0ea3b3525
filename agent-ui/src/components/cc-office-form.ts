import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { adminStyles, invalidFields, type OfficeBody, type OfficeView } from '../admin.js';
import { ApiError } from '../api.js';
import { langContext } from '../context.js';
import { messages, type Lang } from '../i18n/index.js';
import { base, errorText } from '../styles.js';

const TEXTS = ['cityRu', 'cityEn', 'addressRu', 'addressEn', 'hoursRu', 'hoursEn'] as const;
type TextField = typeof TEXTS[number];

interface Draft extends Record<TextField, string> {
  phone: string;
  /** as typed: comma separated */
  towns: string;
  sortOrder: string;
  active: boolean;
}

const draftOf = (o: OfficeView | null, nextSortOrder: number): Draft => ({
  cityRu: o?.cityRu ?? '', cityEn: o?.cityEn ?? '', addressRu: o?.addressRu ?? '', addressEn: o?.addressEn ?? '',
  hoursRu: o?.hoursRu ?? '', hoursEn: o?.hoursEn ?? '', phone: o?.phone ?? '', towns: (o?.towns ?? []).join(', '),
  sortOrder: String(o?.sortOrder ?? nextSortOrder), active: o?.active ?? true,
});

/** 'Гурьевск, Васильково,, ' → ['Гурьевск', 'Васильково'] */
export const townsOf = (typed: string): string[] => typed.split(',').map((s) => s.trim()).filter((s) => s !== '');

/**
 * One office of the IVR's reference information, in Russian and English: city, address, opening
 * hours, the phone as said to callers, the towns it serves (comma separated here, an array in the
 * API), whether callers hear of it, and its place in the list. Fires `cc-office-submit` with the
 * whole body; the owner sends it.
 */
@customElement('cc-office-form')
export class CcOfficeForm extends LitElement {
  static override styles = [base, adminStyles];

  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  /** the office edited; null creates one */
  @property({ attribute: false }) office: OfficeView | null = null;
  /** a new office's place: after the last one */
  @property({ type: Number }) nextSortOrder = 10;
  @property({ attribute: false }) error: unknown = null;
  @property({ type: Boolean }) busy = false;
  @state() private draft: Draft = draftOf(null, 10);
  @state() private clientInvalid: string[] = [];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('office')) {
      this.draft = draftOf(this.office, this.nextSortOrder);
      this.clientInvalid = [];
    }
  }

  #edit(patch: Partial<Draft>): void {
    this.draft = { ...this.draft, ...patch };
  }

  #submit(e: SubmitEvent): void {
    e.preventDefault();
    if (this.busy) return;
    const bad = [...(e.target as HTMLFormElement).querySelectorAll<HTMLInputElement>('input')].filter((el) => !el.validity.valid);
    this.clientInvalid = bad.map((el) => el.name);
    if (bad.length > 0) {
      bad[0]!.focus();
      return;
    }
    const d = this.draft;
    const body: OfficeBody = {
      sortOrder: Number(d.sortOrder),
      cityRu: d.cityRu.trim(), cityEn: d.cityEn.trim(), addressRu: d.addressRu.trim(), addressEn: d.addressEn.trim(),
      hoursRu: d.hoursRu.trim(), hoursEn: d.hoursEn.trim(), phone: d.phone.trim(), towns: townsOf(d.towns), active: d.active,
    };
    this.dispatchEvent(new CustomEvent<OfficeBody>('cc-office-submit', { detail: body, bubbles: true, composed: true }));
  }

  override render() {
    const t = messages(this.lang);
    const o = t.offices;
    const d = this.draft;
    const invalid = new Set([...this.clientInvalid, ...invalidFields(this.error)]);
    const mark = (f: string) => (invalid.has(f) ? 'true' : 'false');
    // Typed texts can only be missing here (maxlength stops the rest); the server's complaints are about the value.
    const missing = (f: string) => this.clientInvalid.includes(f) && (TEXTS as readonly string[]).includes(f);
    const problem = (f: string) => (invalid.has(f) ? html`<div class="field-error" role="alert" data-error-for=${f}>${missing(f) ? t.common.required : t.common.invalidValue}</div>` : nothing);
    const text = (f: TextField) => html`<div>
      <label for="of-${f}">${o[f]}</label>
      <input id="of-${f}" name=${f} required maxlength="300" pattern=".*\\S.*" .value=${d[f]} aria-invalid=${mark(f)}
        @input=${(e: Event) => this.#edit({ [f]: (e.target as HTMLInputElement).value })}>
      ${problem(f)}
    </div>`;
    const title = this.office === null ? o.newTitle : o.editTitle(this.lang === 'en' ? this.office.cityEn : this.office.cityRu);
    return html`<form class="panel" novalidate @submit=${this.#submit} aria-label=${title}>
      <h3>${title}</h3>
      <div class="note" role="note">${o.liveNote}</div>
      <div class="pair">${text('cityRu')}${text('cityEn')}</div>
      <div class="pair">${text('addressRu')}${text('addressEn')}</div>
      <div class="pair">${text('hoursRu')}${text('hoursEn')}</div>
      <div>
        <label for="of-phone">${o.phone}</label>
        <input id="of-phone" name="phone" maxlength="40" .value=${d.phone} aria-invalid=${mark('phone')} aria-describedby="of-phone-hint"
          @input=${(e: Event) => this.#edit({ phone: (e.target as HTMLInputElement).value })}>
        <div class="hint" id="of-phone-hint">${o.phoneHint}</div>
        ${problem('phone')}
      </div>
      <div>
        <label for="of-towns">${o.towns}</label>
        <input id="of-towns" name="towns" .value=${d.towns} aria-invalid=${mark('towns')} aria-describedby="of-towns-hint"
          @input=${(e: Event) => this.#edit({ towns: (e.target as HTMLInputElement).value })}>
        <div class="hint" id="of-towns-hint">${o.townsHint}</div>
        ${problem('towns')}
      </div>
      <div>
        <label for="of-sortOrder">${o.sortOrder}</label>
        <input id="of-sortOrder" name="sortOrder" type="number" step="1" min="0" required .value=${d.sortOrder} aria-invalid=${mark('sortOrder')} aria-describedby="of-sort-hint"
          @input=${(e: Event) => this.#edit({ sortOrder: (e.target as HTMLInputElement).value })}>
        <div class="hint" id="of-sort-hint">${o.sortOrderHint}</div>
        ${problem('sortOrder')}
      </div>
      <label class="check"><input type="checkbox" name="active" .checked=${d.active} @change=${(e: Event) => this.#edit({ active: (e.target as HTMLInputElement).checked })}>${o.activeLabel}</label>
      ${this.error === null ? nothing : html`<div class="alert" role="alert" data-testid="office-form-error">${this.#errorText(this.error)}</div>`}
      <div class="form-actions">
        <button type="submit" class="primary" data-action="save-office" ?disabled=${this.busy}>${this.busy ? o.saving : this.office === null ? o.createSubmit : o.save}</button>
        <button type="button" data-action="cancel" @click=${() => this.dispatchEvent(new CustomEvent('cc-cancel', { bubbles: true, composed: true }))}>${t.common.cancel}</button>
      </div>
    </form>`;
  }

  #errorText(err: unknown): string {
    const t = messages(this.lang);
    if (err instanceof ApiError && err.code === 'CC_ERR_VALIDATION') return t.offices.invalid;
    if (err instanceof ApiError && err.code === 'CC_ERR_OFFICE_NOT_FOUND') return t.offices.notFound;
    return errorText(err, t);
  }
}

declare global {
  interface HTMLElementTagNameMap { 'cc-office-form': CcOfficeForm }
}
