import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import type { QueueBody } from '../../../server/queues/schemas.js';
import { adminStyles, type QueueMember, type QueueView, type StaffView } from '../admin.js';
import { createApi, type Api } from '../api.js';
import { apiContext, langContext } from '../context.js';
import { messages, type Lang } from '../i18n/index.js';
import { base, errorText } from '../styles.js';
import './cc-queue-form.js';
import './cc-queue-members.js';

/** The staff records with queue `queueId`'s membership replaced by `members`. */
function withMembers(staff: StaffView[], queueId: string, members: QueueMember[]): StaffView[] {
  return staff.map((s) => {
    const m = members.find((x) => x.agentId === s.id);
    const others = s.queues.filter((q) => q.queueId !== queueId);
    return { ...s, queues: m === undefined ? others : [...others, { queueId, priority: m.priority }] };
  });
}

/**
 * Queue administration: the queues (GET /api/queues) with their settings and member counts; a
 * queue opened on the side edits its settings (PUT /api/queues/:id) and its members
 * (PUT /api/queues/:id/members), the members read from the staff list (GET /api/staff).
 */
@customElement('cc-queue-admin')
export class CcQueueAdmin extends LitElement {
  static override styles = [base, adminStyles];

  @consume({ context: apiContext }) @property({ attribute: false }) api: Api = createApi();
  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  @state() private queues: QueueView[] = [];
  @state() private staff: StaffView[] = [];
  @state() private editing: string | null = null;
  @state() private busy = false;
  @state() private queueError: unknown = null;
  @state() private membersError: unknown = null;
  @state() private queueStatus = '';
  @state() private membersStatus = '';

  private readonly load = new Task(this, {
    task: async (_args, { signal }) => Promise.all([
      this.api.get<QueueView[]>('/api/queues', { signal }),
      this.api.get<StaffView[]>('/api/staff', { signal }),
    ]),
    args: () => [],
    onComplete: ([queues, staff]) => {
      this.queues = queues;
      this.staff = [...staff].sort((a, b) => a.login.localeCompare(b.login));
    },
  });

  #open(id: string | null): void {
    this.editing = id;
    this.queueError = null;
    this.membersError = null;
    this.queueStatus = '';
    this.membersStatus = '';
  }

  async #send(run: () => Promise<void>, fail: (err: unknown) => void): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.queueStatus = '';
    this.membersStatus = '';
    try {
      await run();
    } catch (err) {
      fail(err);
    } finally {
      this.busy = false;
    }
  }

  #saveQueue(id: string, body: QueueBody): Promise<void> {
    this.queueError = null;
    return this.#send(async () => {
      const saved = await this.api.put<QueueView>(`/api/queues/${encodeURIComponent(id)}`, body);
      this.queues = this.queues.map((q) => (q.id === id ? saved : q));
      this.queueStatus = messages(this.lang).queueAdmin.saved;
    }, (err) => { this.queueError = err; });
  }

  #saveMembers(id: string, members: QueueMember[]): Promise<void> {
    this.membersError = null;
    return this.#send(async () => {
      const saved = await this.api.put<QueueMember[]>(`/api/queues/${encodeURIComponent(id)}/members`, members);
      this.staff = withMembers(this.staff, id, saved);
      this.membersStatus = messages(this.lang).queueAdmin.membersSaved;
    }, (err) => { this.membersError = err; });
  }

  override render() {
    const t = messages(this.lang);
    const editing = this.queues.find((q) => q.id === this.editing) ?? null;
    return html`<div class="layout ${editing === null ? '' : 'editing'}">
      <section aria-labelledby="queues-title">
        <div class="bar"><h2 id="queues-title">${t.queueAdmin.title}</h2></div>
        ${this.load.render({
          pending: () => (this.queues.length === 0 ? html`<p class="muted">${t.common.loading}</p>` : this.#table()),
          complete: () => this.#table(),
          error: (err) => html`<div class="alert" role="alert">${errorText(err, t)} <button @click=${() => void this.load.run()}>${t.common.retry}</button></div>`,
        })}
      </section>
      ${editing === null ? nothing : html`<div class="side">
        <cc-queue-form .lang=${this.lang} .queue=${editing} .error=${this.queueError} ?busy=${this.busy} .status=${this.queueStatus}
          @cc-queue-submit=${(e: CustomEvent<QueueBody>) => void this.#saveQueue(editing.id, e.detail)} @cc-cancel=${() => this.#open(null)}></cc-queue-form>
        <cc-queue-members .lang=${this.lang} .queueId=${editing.id} .staff=${this.staff} .error=${this.membersError} ?busy=${this.busy} .status=${this.membersStatus}
          @cc-members-submit=${(e: CustomEvent<QueueMember[]>) => void this.#saveMembers(editing.id, e.detail)}></cc-queue-members>
      </div>`}
    </div>`;
  }

  #table() {
    const t = messages(this.lang);
    const a = t.queueAdmin;
    return html`<table>
      <thead><tr><th>${a.id}</th><th>${a.name}</th><th>${a.skill}</th><th class="num">${a.priority}</th><th class="num">${a.members}</th><th>${a.active}</th><th><span class="sr-only">${t.staff.actions}</span></th></tr></thead>
      <tbody>${this.queues.map((q) => html`<tr data-queue=${q.id} class="${q.active ? '' : 'inactive'} ${q.id === this.editing ? 'selected' : ''}">
        <td>${q.id}</td>
        <td data-field="title">${this.lang === 'en' ? q.titleEn : q.titleRu}</td>
        <td>${a.skills[q.skill] ?? q.skill}</td>
        <td class="num" data-field="priority">${q.priority}</td>
        <td class="num" data-field="members">${this.staff.filter((s) => s.queues.some((x) => x.queueId === q.id)).length}</td>
        <td data-field="active"><span class="badge ${q.active ? 'on' : 'off'}">${q.active ? t.common.yes : t.common.no}</span></td>
        <td class="actions"><button data-action="edit-queue" @click=${() => this.#open(q.id)}>${a.edit}</button></td>
      </tr>`)}</tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'cc-queue-admin': CcQueueAdmin }
}
