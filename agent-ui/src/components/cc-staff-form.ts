import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { adminStyles, invalidFields, LOGIN_PATTERN, ROLES, type NewStaffBody, type QueueView, type Role, type StaffPhone, type StaffView } from '../admin.js';
import { ApiError } from '../api.js';
import { langContext } from '../context.js';
import { messages, type Lang, type Messages } from '../i18n/index.js';
import { base, errorText } from '../styles.js';

interface Draft {
  login: string;
  fullName: string;
  role: Role;
  /** the ticked queues and each one's priority, as typed */
  queues: Record<string, string>;
  phoneKind: StaffPhone['kind'];
  contact: string;
}

const DEFAULT_PRIORITY = '1';

const draftOf = (s: StaffView | null): Draft => ({
  login: s?.login ?? '',
  fullName: s?.fullName ?? '',
  role: s?.role ?? 'agent',
  queues: Object.fromEntries((s?.queues ?? []).map((q) => [q.queueId, String(q.priority)])),
  phoneKind: s?.phone.kind ?? 'browser',
  contact: s?.phone.kind === 'sip' ? s.phone.contact ?? '' : '',
});

/** The message for a failed staff request (a form's or a row action's), in the page's language. */
export function staffErrorText(err: unknown, t: Messages, login = ''): string {
  if (!(err instanceof ApiError)) return errorText(err, t);
  switch (err.code) {
    case 'CC_ERR_STAFF_LOGIN_TAKEN': return t.staff.loginTaken(login);
    case 'CC_ERR_STAFF_QUEUE_UNKNOWN': return t.staff.queueUnknown(String(err.details['queueId'] ?? ''));
    case 'CC_ERR_STAFF_SELF_LOCKOUT': return t.staff.selfLockout;
    case 'CC_ERR_STAFF_NOT_FOUND': return t.staff.notFound;
    case 'CC_ERR_VALIDATION': return t.staff.invalid;
    default: return errorText(err, t);
  }
}

/** The field a server error code is about, beyond validation paths. */
const CODE_FIELD: Record<string, string> = {
  CC_ERR_STAFF_LOGIN_TAKEN: 'login',
  CC_ERR_STAFF_QUEUE_UNKNOWN: 'queues',
  CC_ERR_STAFF_SELF_LOCKOUT: 'role',
};

/** A form control's field: each queue's priority input belongs to 'queues'. */
const fieldOf = (name: string) => (name.startsWith('priority-') ? 'queues' : name);

/**
 * Creating or editing one staff member: login (fixed once created), full name, role, queues with
 * priorities (from `queues`), and the phone: the browser, or a desk SIP phone with an optional
 * fixed contact. Checks what the page can (required, login pattern, priority range) and marks the
 * fields of `error`, the server's refusal, with the rule in the page's language. Fires
 * `cc-staff-submit` with the whole body and `cc-cancel`; the owner sends and sets `error`/`busy`.
 */
@customElement('cc-staff-form')
export class CcStaffForm extends LitElement {
  static override styles = [base, adminStyles];

  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  /** the staff member edited; null creates a new one */
  @property({ attribute: false }) staff: StaffView | null = null;
  @property({ attribute: false }) queues: QueueView[] = [];
  @property({ attribute: false }) error: unknown = null;
  @property({ type: Boolean }) busy = false;
  @state() private draft: Draft = draftOf(null);
  /** fields the page itself found wrong at the last submit */
  @state() private clientInvalid: string[] = [];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('staff')) {
      this.draft = draftOf(this.staff);
      this.clientInvalid = [];
    }
  }

  #edit(patch: Partial<Draft>): void {
    this.draft = { ...this.draft, ...patch };
  }

  #toggleQueue(id: string, on: boolean): void {
    const queues = { ...this.draft.queues };
    if (on) queues[id] = queues[id] ?? DEFAULT_PRIORITY;
    else delete queues[id];
    this.#edit({ queues });
  }

  #invalid(): Set<string> {
    const server = invalidFields(this.error);
    const code = this.error instanceof ApiError ? CODE_FIELD[this.error.code] : undefined;
    return new Set([...this.clientInvalid, ...server, ...(code === undefined ? [] : [code])]);
  }

  #submit(e: SubmitEvent): void {
    e.preventDefault();
    if (this.busy) return;
    const form = e.target as HTMLFormElement;
    const bad = [...form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')].filter((el) => !el.validity.valid);
    this.clientInvalid = [...new Set(bad.map((el) => fieldOf(el.name)))];
    if (bad.length > 0) {
      bad[0]!.focus();
      return;
    }
    const d = this.draft;
    const body: NewStaffBody = {
      login: d.login.trim(),
      fullName: d.fullName.trim(),
      role: d.role,
      queues: this.queues.filter((q) => d.queues[q.id] !== undefined).map((q) => ({ queueId: q.id, priority: Number(d.queues[q.id]) })),
      phone: d.phoneKind === 'browser' ? { kind: 'browser' } : { kind: 'sip', contact: d.contact.trim() === '' ? null : d.contact.trim() },
    };
    this.dispatchEvent(new CustomEvent<NewStaffBody>('cc-staff-submit', { detail: body, bubbles: true, composed: true }));
  }

  override render() {
    const t = messages(this.lang);
    const s = t.staff;
    const d = this.draft;
    const creating = this.staff === null;
    const invalid = this.#invalid();
    const mark = (field: string) => (invalid.has(field) ? 'true' : 'false');
    const problem = (field: string, text = s.rules[field]) => (invalid.has(field) && text !== undefined
      ? html`<div class="field-error" role="alert" data-error-for=${field}>${text}</div>` : nothing);
    const serverField = this.error instanceof ApiError ? CODE_FIELD[this.error.code] : undefined;
    const serverText = this.error === null ? '' : staffErrorText(this.error, t, d.login.trim());
    return html`<form class="panel" novalidate @submit=${this.#submit} aria-label=${creating ? s.newTitle : s.editTitle(d.login)}>
      <h3>${creating ? s.newTitle : s.editTitle(d.login)}</h3>
      <div>
        <label for="sf-login">${s.login}</label>
        <input id="sf-login" name="login" autocomplete="off" spellcheck="false" required pattern=${LOGIN_PATTERN} maxlength="32"
          ?readonly=${!creating} .value=${d.login} aria-invalid=${mark('login')} aria-describedby="sf-login-hint"
          @input=${(e: Event) => this.#edit({ login: (e.target as HTMLInputElement).value })}>
        ${creating ? html`<div class="hint" id="sf-login-hint">${s.loginHint}</div>` : nothing}
        ${problem('login', serverField === 'login' ? serverText : s.rules['login'])}
      </div>
      <div>
        <label for="sf-name">${s.fullName}</label>
        <input id="sf-name" name="fullName" autocomplete="off" required maxlength="100" pattern=".*\\S.*" .value=${d.fullName} aria-invalid=${mark('fullName')}
          @input=${(e: Event) => this.#edit({ fullName: (e.target as HTMLInputElement).value })}>
        ${problem('fullName')}
      </div>
      <div>
        <label for="sf-role">${s.role}</label>
        <select id="sf-role" name="role" .value=${d.role} aria-invalid=${mark('role')} @change=${(e: Event) => this.#edit({ role: (e.target as HTMLSelectElement).value as Role })}>
          ${ROLES.map((r) => html`<option value=${r} ?selected=${d.role === r}>${s.roles[r]}</option>`)}
        </select>
        ${problem('role', serverField === 'role' ? serverText : s.rules['role'])}
      </div>
      <fieldset aria-describedby="sf-queues-hint">
        <legend>${s.queues}</legend>
        ${this.queues.map((q) => {
          const on = d.queues[q.id] !== undefined;
          const title = this.lang === 'en' ? q.titleEn : q.titleRu;
          return html`<div class="pair queue-row">
            <label class="check"><input type="checkbox" name="queue" value=${q.id} .checked=${on} @change=${(e: Event) => this.#toggleQueue(q.id, (e.target as HTMLInputElement).checked)}>${title}</label>
            <input type="number" name="priority-${q.id}" min="1" max="100" step="1" required ?disabled=${!on} .value=${d.queues[q.id] ?? ''}
              aria-label=${s.priority(title)} aria-invalid=${on ? mark('queues') : 'false'}
              @input=${(e: Event) => this.#edit({ queues: { ...d.queues, [q.id]: (e.target as HTMLInputElement).value } })}>
          </div>`;
        })}
        <div class="hint" id="sf-queues-hint">${s.queuesHint}</div>
        ${problem('queues', serverField === 'queues' ? serverText : s.rules['queues'])}
      </fieldset>
      <fieldset>
        <legend>${s.phone}</legend>
        <label class="check"><input type="radio" name="phoneKind" value="browser" .checked=${d.phoneKind === 'browser'} @change=${() => this.#edit({ phoneKind: 'browser' })}>${s.phoneBrowser}</label>
        <label class="check"><input type="radio" name="phoneKind" value="sip" .checked=${d.phoneKind === 'sip'} @change=${() => this.#edit({ phoneKind: 'sip' })}>${s.phoneSip}</label>
        ${d.phoneKind === 'sip' ? html`<div>
          <label for="sf-contact">${s.contact}</label>
          <input id="sf-contact" name="contact" autocomplete="off" spellcheck="false" pattern="sips?:\\S+" maxlength="200" placeholder="sip:1001@192.0.2.10:5060"
            .value=${d.contact} aria-invalid=${mark('contact')} aria-describedby="sf-contact-hint"
            @input=${(e: Event) => this.#edit({ contact: (e.target as HTMLInputElement).value })}>
          <div class="hint" id="sf-contact-hint">${s.contactHint}</div>
          ${problem('contact')}
        </div>` : nothing}
        ${problem('phone')}
      </fieldset>
      ${this.error !== null && serverField === undefined ? html`<div class="alert" role="alert" data-testid="staff-form-error">${serverText}</div>` : nothing}
      <div class="form-actions">
        <button type="submit" class="primary" data-action="save-staff" ?disabled=${this.busy}>${this.busy ? s.saving : creating ? s.createSubmit : s.save}</button>
        <button type="button" data-action="cancel" @click=${() => this.dispatchEvent(new CustomEvent('cc-cancel', { bubbles: true, composed: true }))}>${t.common.cancel}</button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'cc-staff-form': CcStaffForm }
}
