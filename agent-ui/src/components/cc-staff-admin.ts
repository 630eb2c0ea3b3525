import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { adminStyles, type Agent, type NewStaffBody, type QueueView, type StaffCreated, type StaffPatch, type StaffView } from '../admin.js';
import { createApi, type Api } from '../api.js';
import { agentContext, apiContext, langContext } from '../context.js';
import { messages, type Lang } from '../i18n/index.js';
import { base, errorText } from '../styles.js';
import { staffErrorText } from './cc-staff-form.js';
import './cc-staff-form.js';

/** A password the server made, shown once and then forgotten by the page. */
interface Secret { login: string; oneTimePassword: string; sipPassword?: string }

const byLogin = (a: StaffView, b: StaffView) => a.login.localeCompare(b.login);

/** The fields of `body` that differ from `staff`: a PATCH sends what was changed, nothing more. */
function changes(staff: StaffView, body: NewStaffBody): StaffPatch {
  const patch: StaffPatch = {};
  if (body.fullName !== staff.fullName) patch.fullName = body.fullName;
  if (body.role !== staff.role) patch.role = body.role;
  if (body.queues !== undefined && JSON.stringify(body.queues) !== JSON.stringify(staff.queues)) patch.queues = body.queues;
  if (body.phone !== undefined && JSON.stringify(body.phone) !== JSON.stringify(staff.phone)) patch.phone = body.phone;
  return patch;
}

/**
 * Staff administration: the table of staff (GET /api/staff) with create and edit (cc-staff-form),
 * deactivate/reactivate and password reset per row. A new member's one-time password, a desk
 * phone's SIP password and a reset password are shown once in a box ([data-otp]) until the admin
 * hides it; the page keeps them nowhere else.
 */
@customElement('cc-staff-admin')
export class CcStaffAdmin extends LitElement {
  static override styles = [base, adminStyles];

  @consume({ context: apiContext }) @property({ attribute: false }) api: Api = createApi();
  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  /** the signed-in admin: their own row cannot be deactivated */
  @consume({ context: agentContext, subscribe: true }) @property({ attribute: false }) agent: Agent | undefined;
  @state() private rows: StaffView[] = [];
  @state() private queues: QueueView[] = [];
  /** the member being edited, 'new' while creating, null with no form open */
  @state() private editing: StaffView | 'new' | null = null;
  @state() private formError: unknown = null;
  @state() private busy = false;
  @state() private actionError = '';
  @state() private secret: Secret | null = null;

  private readonly load = new Task(this, {
    task: async (_args, { signal }) => Promise.all([
      this.api.get<StaffView[]>('/api/staff', { signal }),
      this.api.get<QueueView[]>('/api/queues', { signal }),
    ]),
    args: () => [],
    onComplete: ([staff, queues]) => {
      this.rows = [...staff].sort(byLogin);
      this.queues = queues;
    },
  });

  #open(editing: StaffView | 'new'): void {
    this.editing = editing;
    this.formError = null;
    this.actionError = '';
  }

  #replace(staff: StaffView): void {
    this.rows = [...this.rows.filter((r) => r.id !== staff.id), staff].sort(byLogin);
  }

  async #submit(e: CustomEvent<NewStaffBody>): Promise<void> {
    const editing = this.editing;
    if (editing === null || this.busy) return;
    this.busy = true;
    this.formError = null;
    try {
      if (editing === 'new') {
        const created = await this.api.post<StaffCreated>('/api/staff', e.detail);
        this.#replace(created.staff);
        this.secret = { login: created.staff.login, oneTimePassword: created.oneTimePassword, ...(created.sipPassword !== undefined && { sipPassword: created.sipPassword }) };
      } else {
        const patch = changes(editing, e.detail);
        if (Object.keys(patch).length > 0) this.#replace(await this.api.patch<StaffView>(`/api/staff/${editing.id}`, patch));
      }
      this.editing = null;
    } catch (err) {
      this.formError = err;
    } finally {
      this.busy = false;
    }
  }

  async #act(s: StaffView, action: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.actionError = '';
    try {
      await action();
    } catch (err) {
      this.actionError = `${s.login}: ${staffErrorText(err, messages(this.lang), s.login)}`;
    } finally {
      this.busy = false;
    }
  }

  #setActive(s: StaffView, active: boolean): Promise<void> {
    return this.#act(s, async () => {
      this.#replace(await this.api.patch<StaffView>(`/api/staff/${s.id}`, { active }));
    });
  }

  #resetPassword(s: StaffView): Promise<void> {
    return this.#act(s, async () => {
      const { oneTimePassword } = await this.api.post<{ oneTimePassword: string }>(`/api/staff/${s.id}/reset-password`);
      this.secret = { login: s.login, oneTimePassword };
      this.#replace({ ...s, mustChangePassword: true });
    });
  }

  override render() {
    const t = messages(this.lang);
    const editing = this.editing;
    return html`
      ${this.#secret()}
      <div class="layout ${editing === null ? '' : 'editing'}">
        <section aria-labelledby="staff-title">
          <div class="bar">
            <h2 id="staff-title">${t.staff.title}</h2>
            <button class="primary" data-action="create-staff" ?disabled=${editing === 'new'} @click=${() => this.#open('new')}>${t.staff.create}</button>
          </div>
          ${this.actionError ? html`<div class="alert" role="alert" data-testid="staff-error">${this.actionError}</div>` : nothing}
          ${this.load.render({
            pending: () => (this.rows.length === 0 ? html`<p class="muted">${t.common.loading}</p>` : this.#table()),
            complete: () => this.#table(),
            error: (err) => html`<div class="alert" role="alert">${errorText(err, t)} <button @click=${() => void this.load.run()}>${t.common.retry}</button></div>`,
          })}
        </section>
        ${editing === null ? nothing : html`<cc-staff-form .lang=${this.lang} .staff=${editing === 'new' ? null : editing} .queues=${this.queues} .error=${this.formError} ?busy=${this.busy}
          @cc-staff-submit=${(e: CustomEvent<NewStaffBody>) => void this.#submit(e)} @cc-cancel=${() => { this.editing = null; }}></cc-staff-form>`}
      </div>`;
  }

  #secret() {
    const s = this.secret;
    if (s === null) return nothing;
    const t = messages(this.lang).staff;
    return html`<div class="secret" role="alert" data-secret-for=${s.login}>
      <div>${t.otpTitle(s.login)}: <code data-otp>${s.oneTimePassword}</code></div>
      ${s.sipPassword === undefined ? nothing : html`<div>${t.sipTitle}: <code data-sip-password>${s.sipPassword}</code></div>`}
      <div>${t.otpNote}</div>
      <div><button data-action="dismiss-otp" @click=${() => { this.secret = null; }}>${t.otpDismiss}</button></div>
    </div>`;
  }

  #table() {
    const t = messages(this.lang);
    const s = t.staff;
    if (this.rows.length === 0) return html`<p class="muted">${s.empty}</p>`;
    const queueTitle = (id: string) => {
      const q = this.queues.find((x) => x.id === id);
      return q === undefined ? id : this.lang === 'en' ? q.titleEn : q.titleRu;
    };
    const selected = this.editing === null || this.editing === 'new' ? null : this.editing.id;
    return html`<table>
      <thead><tr><th>${s.login}</th><th>${s.fullName}</th><th>${s.role}</th><th>${s.queues}</th><th class="extra">${s.phone}</th><th>${s.active}</th><th class="extra">${s.mustChange}</th><th><span class="sr-only">${s.actions}</span></th></tr></thead>
      <tbody>${this.rows.map((r) => {
        const self = r.id === this.agent?.id;
        return html`<tr data-staff=${r.login} class="${r.active ? '' : 'inactive'} ${selected === r.id ? 'selected' : ''}">
          <td>${r.login}</td>
          <td>${r.fullName}</td>
          <td data-field="role">${s.roles[r.role]}</td>
          <td data-field="queues">${r.queues.length === 0 ? s.noQueues : r.queues.map((q) => `${queueTitle(q.queueId)} (${q.priority})`).join(', ')}</td>
          <td class="extra" data-field="phone">${r.phone.kind === 'browser' ? s.phoneBrowserShort : html`${s.phoneSipShort}<br><span class="muted">${r.phone.contact ?? s.contactRegisters}</span>`}</td>
          <td data-field="active"><span class="badge ${r.active ? 'on' : 'off'}">${r.active ? t.common.yes : t.common.no}</span></td>
          <td class="extra" data-field="must-change">${r.mustChangePassword ? html`<span class="badge warn">${s.mustChangeYes}</span>` : '—'}</td>
          <td class="actions"><div>
            <button data-action="edit-staff" @click=${() => this.#open(r)}>${s.edit}</button>
            ${r.active
              ? html`<button data-action="deactivate" ?disabled=${self || this.busy} title=${self ? s.selfDeactivate : ''} @click=${() => void this.#setActive(r, false)}>${s.deactivate}</button>`
              : html`<button data-action="activate" ?disabled=${this.busy} @click=${() => void this.#setActive(r, true)}>${s.activate}</button>`}
            <button data-action="reset-password" ?disabled=${this.busy} @click=${() => void this.#resetPassword(r)}>${s.resetPassword}</button>
          </div></td>
        </tr>`;
      })}</tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'cc-staff-admin': CcStaffAdmin }
}
