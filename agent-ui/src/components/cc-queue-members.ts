import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { adminStyles, type QueueMember, type StaffView } from '../admin.js';
import { ApiError } from '../api.js';
import { langContext } from '../context.js';
import { messages, type Lang } from '../i18n/index.js';
import { base, errorText } from '../styles.js';

const DEFAULT_PRIORITY = '1';

/** Who is in queue `queueId` now, by staff id, with each one's priority as typed. */
const draftOf = (queueId: string, staff: StaffView[]): Record<number, string> =>
  Object.fromEntries(staff.flatMap((s) => s.queues.filter((q) => q.queueId === queueId).map((q) => [s.id, String(q.priority)])));

/**
 * A queue's members: every staff member with a tick and a priority (1–100, 1 offered first),
 * starting from the queues in their staff records. Fires `cc-members-submit` with the whole
 * list (PUT /api/queues/:id/members replaces it); the owner sends it.
 */
@customElement('cc-queue-members')
export class CcQueueMembers extends LitElement {
  static override styles = [base, adminStyles, css`
    .members { display: grid; gap: 4px; max-height: 320px; overflow: auto; }
    .member { display: grid; grid-template-columns: minmax(0, 1fr) 90px; gap: 8px; align-items: center; }
  `];

  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  @property() queueId = '';
  @property({ attribute: false }) staff: StaffView[] = [];
  @property({ attribute: false }) error: unknown = null;
  @property({ type: Boolean }) busy = false;
  @property() status = '';
  @state() private draft: Record<number, string> = {};
  @state() private badPriority = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('queueId') || changed.has('staff')) {
      this.draft = draftOf(this.queueId, this.staff);
      this.badPriority = false;
    }
  }

  #toggle(id: number, on: boolean): void {
    const draft = { ...this.draft };
    if (on) draft[id] = draft[id] ?? DEFAULT_PRIORITY;
    else delete draft[id];
    this.draft = draft;
  }

  #submit(e: SubmitEvent): void {
    e.preventDefault();
    if (this.busy) return;
    const bad = [...(e.target as HTMLFormElement).querySelectorAll<HTMLInputElement>('input[type=number]')].filter((el) => !el.validity.valid);
    this.badPriority = bad.length > 0;
    if (bad.length > 0) {
      bad[0]!.focus();
      return;
    }
    const members: QueueMember[] = this.staff.filter((s) => this.draft[s.id] !== undefined).map((s) => ({ agentId: s.id, priority: Number(this.draft[s.id]) }));
    this.dispatchEvent(new CustomEvent<QueueMember[]>('cc-members-submit', { detail: members, bubbles: true, composed: true }));
  }

  override render() {
    const t = messages(this.lang);
    const a = t.queueAdmin;
    const serverInvalid = this.error instanceof ApiError && this.error.code === 'CC_ERR_VALIDATION';
    return html`<form class="panel" novalidate @submit=${this.#submit} aria-labelledby="qm-title">
      <h3 id="qm-title">${a.membersTitle}</h3>
      <div class="hint">${a.membersHint}</div>
      <div class="members">${this.staff.map((s) => {
        const on = this.draft[s.id] !== undefined;
        const name = `${s.fullName} (${s.login})`;
        return html`<div class="member" data-member=${s.login}>
          <label class="check"><input type="checkbox" name="member" value=${s.id} .checked=${on} @change=${(e: Event) => this.#toggle(s.id, (e.target as HTMLInputElement).checked)}>
            <span>${name}${s.active ? nothing : html` <span class="badge off">${a.inactiveStaff}</span>`}</span></label>
          <input type="number" name="member-priority-${s.id}" min="1" max="100" step="1" required ?disabled=${!on} .value=${this.draft[s.id] ?? ''}
            aria-label=${a.memberPriority(name)} aria-invalid=${on && (this.badPriority || serverInvalid) ? 'true' : 'false'}
            @input=${(e: Event) => { this.draft = { ...this.draft, [s.id]: (e.target as HTMLInputElement).value }; }}>
        </div>`;
      })}</div>
      ${this.badPriority || serverInvalid ? html`<div class="field-error" role="alert">${a.membersInvalid}</div>`
        : this.error === null ? nothing : html`<div class="alert" role="alert">${errorText(this.error, t)}</div>`}
      <div class="form-actions"><button type="submit" class="primary" data-action="save-members" ?disabled=${this.busy}>${a.saveMembers}</button></div>
      ${this.status ? html`<div class="muted" role="status">${this.status}</div>` : nothing}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'cc-queue-members': CcQueueMembers }
}
