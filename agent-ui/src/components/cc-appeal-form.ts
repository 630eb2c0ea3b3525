import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { AppealView, NewAppealBody } from '../../../server/appeals/schemas.js';
import { APPEAL_CHANNELS, APPEAL_KINDS, AUTHORITY_KIND, appealChannels, appealKinds, daysBetween, dueDate, kaliningradDay, type AppealChannel, type AppealKind } from '../../../server/appeals/rules.js';
import { isAppError } from '../../../server/errors.js';
import { ApiError, createApi, type Api } from '../api.js';
import { apiContext, langContext } from '../context.js';
import type { ContactLoggedDetail } from './cc-contact-log.js';
import { day } from '../format.js';
import { base, errorText } from '../styles.js';
import { label, messages, type Lang } from '../i18n/index.js';

/*
 * Registers a written appeal (обращение) on the caller's behalf and gives the agent the number to
 * dictate. What the agent typed survives a page reload (a draft in localStorage per agent and
 * call), and the draft carries one idempotency key, so a retry after a lost answer or a reload
 * registers the same appeal rather than a second one.
 */

interface Draft {
  kind: AppealKind | '';
  channel: AppealChannel;
  subject: string;
  body: string;
  authorityDueDate: string;
  idempotencyKey: string;
  /** the call the appeal was started in: kept when the call ends mid-form, so the appeal still names it */
  callId: string | null;
}

const DRAFT_PREFIX = 'cc-appeal-draft';
const draftKey = (agentId: number, callId: string | null) => `${DRAFT_PREFIX}:${agentId}:${callId ?? 'no-call'}`;

/** randomUUID needs a secure context; the fallback keeps a plain-http dev setup working. */
const newKey = (): string => (typeof crypto.randomUUID === 'function'
  ? crypto.randomUUID()
  : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''));

const emptyDraft = (callId: string | null): Draft =>
  ({ kind: '', channel: 'call_center', subject: '', body: '', authorityDueDate: '', idempotencyKey: newKey(), callId });

/** A stored draft, or null when missing or not ours (another version, hand-edited storage). */
function readDraft(key: string): Draft | null {
  try {
    const d = JSON.parse(localStorage.getItem(key) ?? 'null') as Partial<Draft> | null;
    if (d === null || typeof d.idempotencyKey !== 'string' || typeof d.subject !== 'string' || typeof d.body !== 'string') return null;
    return {
      kind: (appealKinds as readonly string[]).includes(d.kind ?? '') ? d.kind! : '',
      channel: (appealChannels as readonly string[]).includes(d.channel ?? '') ? d.channel! : 'call_center',
      subject: d.subject, body: d.body,
      authorityDueDate: typeof d.authorityDueDate === 'string' ? d.authorityDueDate : '',
      idempotencyKey: d.idempotencyKey,
      callId: typeof d.callId === 'string' ? d.callId : null,
    };
  } catch {
    return null;
  }
}

/** Shared by the contact-logging forms: labels above controls, sized for a ~380px column. */
export const formStyles = [base, css`
  :host { display: block; max-width: 420px; }
  form, .done { display: grid; gap: 12px; }
  label, .legend { font-size: 13px; font-weight: 600; color: #39424c; }
  .legend { display: block; margin-bottom: 2px; padding: 0; }
  input, select, textarea { width: 100%; }
  textarea { resize: vertical; min-height: 96px; }
  [aria-invalid='true'] { border-color: #cf222e; box-shadow: 0 0 0 1px #cf222e; }
  .hint { color: #57606a; font-size: 12px; margin-top: 2px; }
  .error { background: #ffebe9; border: 1px solid #ff8182; border-radius: 6px; padding: 6px 10px; color: #82071e; }
  .ok { background: #dafbe1; border: 1px solid #4ac26b; border-radius: 6px; padding: 8px 10px; color: #116329; }
  .actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  fieldset { border: 0; padding: 0; margin: 0; }
  .choices { display: flex; gap: 20px; }
  .choices label { display: flex; gap: 6px; align-items: center; margin: 0; font-weight: normal; font-size: 14px; color: inherit; }
  .choices input { width: auto; }
`];

@customElement('cc-appeal-form')
export class CcAppealForm extends LitElement {
  static override styles = [...formStyles, css`
    .due { padding: 8px; border-radius: 4px; background: #eef3fb; }
    .number { display: block; margin: 4px 0; font: 700 32px/1.2 ui-monospace, 'DejaVu Sans Mono', monospace; letter-spacing: 0.08em; }
  `];

  @consume({ context: apiContext })
  @property({ attribute: false }) api: Api = createApi();

  @consume({ context: langContext, subscribe: true })
  @property() override lang: Lang = 'ru';

  @property({ type: Number }) agentId = 0;
  @property({ attribute: false }) callId: string | null = null;
  @property({ attribute: false }) accountId: number | null = null;
  @property({ attribute: false }) customerId: number | null = null;
  /** the clock for the registration day of the live due date; tests fix it */
  @property({ attribute: false }) now: () => Date = () => new Date();

  @state() private draft: Draft = emptyDraft(null);
  /** the agent has typed something not yet registered: a new call must not wipe it */
  @state() private dirty = false;
  @state() private restored = false;
  @state() private pending = false;
  @state() private error: ApiError | null = null;
  @state() private registered: AppealView | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A new agent or call brings its own draft, unless the agent is mid-form for the previous call,
    // or the call just ended with a registered number still on screen (it may be being read out).
    const free = this.registered !== null ? this.callId !== null : !this.dirty;
    if ((changed.has('agentId') || changed.has('callId')) && free) {
      const stored = readDraft(draftKey(this.agentId, this.callId));
      this.draft = stored ?? emptyDraft(this.callId);
      this.dirty = stored !== null;
      this.restored = stored !== null;
      this.registered = null;
      this.error = null;
    }
  }

  private get storageKey(): string {
    return draftKey(this.agentId, this.draft.callId);
  }

  private edit(patch: Partial<Draft>): void {
    this.draft = { ...this.draft, ...patch };
    this.dirty = true;
    this.restored = false;
    if (this.error?.details['field'] !== undefined) this.error = null;
    try {
      localStorage.setItem(this.storageKey, JSON.stringify(this.draft));
    } catch {
      // Storage full or disabled: the form still works, only a reload would lose it.
    }
  }

  /** The live due date: a date and its day count, a rule's complaint about the authority's date, or nothing before a kind is chosen. */
  private due(): { date: string; days: number } | { problem: string } | null {
    const { kind, authorityDueDate } = this.draft;
    if (kind === '') return null;
    const at = this.now();
    const set = kind === AUTHORITY_KIND && authorityDueDate !== '' ? authorityDueDate : undefined;
    try {
      const date = dueDate(kind, at, set);
      return { date, days: daysBetween(kaliningradDay(at), date) };
    } catch (err) {
      if (isAppError(err)) return { problem: String(err.details['problem'] ?? 'not_a_date') };
      throw err;
    }
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    // The flag, not only the disabled button: a fast double click lands before Lit re-renders.
    if (this.pending) return;
    // The browser has already checked required and length (the submit event only fires when valid).
    const due = this.due();
    if (due === null || 'problem' in due) return;
    const d = this.draft;
    const body: NewAppealBody = {
      kind: d.kind as AppealKind, channel: d.channel, subject: d.subject.trim(), body: d.body, idempotencyKey: d.idempotencyKey,
      ...(d.callId !== null && { callId: d.callId }),
      ...(this.accountId !== null && { accountId: this.accountId }),
      ...(this.customerId !== null && { customerId: this.customerId }),
      ...(d.kind === AUTHORITY_KIND && d.authorityDueDate !== '' && { authorityDueDate: d.authorityDueDate }),
    };
    this.pending = true;
    this.error = null;
    try {
      const appeal = await this.api.post<AppealView>('/api/appeals', body);
      localStorage.removeItem(this.storageKey);
      this.registered = appeal;
      this.dirty = false;
      this.dispatchEvent(new CustomEvent<ContactLoggedDetail>('cc-contact-logged', { bubbles: true, composed: true, detail: { kind: 'appeal', appeal } }));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.done')?.focus();
    } catch (err) {
      // The draft stays as it was: the agent fixes the field or retries with the same key.
      this.error = err instanceof ApiError ? err : new ApiError(0, 'CC_ERR_INTERNAL', String(err));
      const field = this.error.details['field'];
      if (typeof field === 'string') this.renderRoot.querySelector<HTMLElement>(`[name="${field.replace(/^\//, '')}"]`)?.focus();
    } finally {
      this.pending = false;
    }
  }

  private startNew(): void {
    this.draft = emptyDraft(this.callId);
    this.registered = null;
    this.dirty = false;
    this.restored = false;
    this.error = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#kind')?.focus());
  }

  private invalid(name: string): 'true' | 'false' {
    const field = this.error?.details['field'];
    return typeof field === 'string' && field.replace(/^\//, '') === name ? 'true' : 'false';
  }

  override render() {
    const t = messages(this.lang).appeal;
    const lang = this.lang;
    if (this.registered !== null) {
      const a = this.registered;
      return html`<div class="done ok" tabindex="-1" role="status">
        <div>${t.registered}</div>
        <div>${t.numberLabel} <span class="number" data-testid="appeal-number">${a.number}</span> ${t.numberDictate}</div>
        <div data-testid="appeal-due">${t.dueServer(day(a.dueDate, lang))}</div>
        <div class="actions"><button type="button" class="secondary" @click=${this.startNew}>${t.newAppeal}</button></div>
      </div>`;
    }
    const d = this.draft;
    const due = this.due();
    const blocked = due !== null && 'problem' in due;
    const today = kaliningradDay(this.now());
    return html`<form @submit=${this.submit} aria-label=${t.title}>
      ${this.restored ? html`<div class="hint" role="status">${t.draftRestored}</div>` : nothing}
      <div>
        <label for="kind">${t.kind}</label>
        <select id="kind" name="kind" required .value=${d.kind} @change=${(e: Event) => this.edit({ kind: (e.target as HTMLSelectElement).value as AppealKind })}>
          <option value="" ?selected=${d.kind === ''}>${t.kindPlaceholder}</option>
          ${appealKinds.map((k) => html`<option value=${k} ?selected=${d.kind === k}>${t.kindOption(label(APPEAL_KINDS[k], lang), APPEAL_KINDS[k].days)}</option>`)}
        </select>
        ${d.kind !== '' ? html`<div class="hint">${label(APPEAL_KINDS[d.kind], lang)}</div>` : nothing}
      </div>
      ${d.kind === AUTHORITY_KIND ? html`<div>
        <label for="authorityDueDate">${t.authorityDate}</label>
        <input id="authorityDueDate" name="authorityDueDate" type="date" min=${today} .value=${d.authorityDueDate}
          aria-invalid=${due !== null && 'problem' in due ? 'true' : this.invalid('authorityDueDate')} aria-describedby="due"
          @input=${(e: Event) => this.edit({ authorityDueDate: (e.target as HTMLInputElement).value })}>
        <div class="hint">${t.authorityDateHint(APPEAL_KINDS[AUTHORITY_KIND].days)}</div>
      </div>` : nothing}
      <div id="due" aria-live="polite">
        <div class="legend">${t.dueLabel}</div>
        ${due === null ? html`<div class="hint" data-testid="due-date">${t.dueNoKind}</div>`
          : 'problem' in due ? html`<div class="error" data-testid="due-date">${t.authorityDateProblem(due.problem)}</div>`
          : html`<div class="due" data-testid="due-date">${t.due(day(due.date, lang), due.days)}</div>`}
      </div>
      <div>
        <label for="channel">${t.channel}</label>
        <select id="channel" name="channel" .value=${d.channel} @change=${(e: Event) => this.edit({ channel: (e.target as HTMLSelectElement).value as AppealChannel })}>
          ${appealChannels.map((c) => html`<option value=${c} ?selected=${d.channel === c}>${label(APPEAL_CHANNELS[c], lang)}</option>`)}
        </select>
      </div>
      <div>
        <label for="subject">${t.subject}</label>
        <input id="subject" name="subject" required maxlength="300" pattern=".*\\S.*" autocomplete="off" .value=${d.subject}
          aria-invalid=${this.invalid('subject')} @input=${(e: Event) => this.edit({ subject: (e.target as HTMLInputElement).value })}>
      </div>
      <div>
        <label for="body">${t.body}</label>
        <textarea id="body" name="body" maxlength="20000" rows="6" .value=${d.body} aria-invalid=${this.invalid('body')} aria-describedby="body-hint"
          @input=${(e: Event) => this.edit({ body: (e.target as HTMLTextAreaElement).value })}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.renderRoot.querySelector('form')?.requestSubmit(); } }}></textarea>
        <div class="hint" id="body-hint">${t.ctrlEnter}</div>
      </div>
      ${this.error !== null ? html`<div class="error" role="alert" data-testid="appeal-error">${errorText(this.error, messages(lang))}</div>` : nothing}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.pending || blocked}>${this.pending ? t.submitting : t.submit}</button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'cc-appeal-form': CcAppealForm }
}
