import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { QueueBody } from '../../../server/queues/schemas.js';
import { adminStyles, invalidFields, type QueueView } from '../admin.js';
import { ApiError } from '../api.js';
import { langContext } from '../context.js';
import { messages, type Lang } from '../i18n/index.js';
import { base, errorText } from '../styles.js';

const SKILLS: ReadonlyArray<QueueBody['skill']> = ['general', 'billing', 'readings', 'appeals'];

/** QueueBody's whole-number fields and their bounds (server/queues/schemas.ts). */
const NUMBERS = [
  ['priority', 0, 100], ['slThresholdS', 1, 3600], ['maxWaitS', 10, 7200], ['announceEveryS', 10, 3600],
  ['firstAnnounceS', 1, 15], ['wrapUpS', 0, 3600], ['ringS', 5, 120],
] as const;
type NumberField = typeof NUMBERS[number][0];

interface Draft {
  titleRu: string;
  titleEn: string;
  skill: QueueBody['skill'];
  numbers: Record<NumberField, string>;
  musicClass: string;
  recording: boolean;
  active: boolean;
}

const draftOf = (q: QueueView): Draft => ({
  titleRu: q.titleRu, titleEn: q.titleEn, skill: q.skill, musicClass: q.musicClass, recording: q.recording, active: q.active,
  numbers: Object.fromEntries(NUMBERS.map(([f]) => [f, q[f] === undefined ? '' : String(q[f])])) as Record<NumberField, string>,
});

/**
 * A queue's settings (QueueBody): titles, skill, priority, service level threshold, waits,
 * announcements, wrap-up, ringing, music class, recording and whether it is open. Checks the
 * bounds itself, marks the fields of `error` (the server's refusal) and fires `cc-queue-submit`
 * with the whole body; the owner sends it.
 */
@customElement('cc-queue-form')
export class CcQueueForm extends LitElement {
  static override styles = [base, adminStyles];

  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  @property({ attribute: false }) queue: QueueView | null = null;
  @property({ attribute: false }) error: unknown = null;
  @property({ type: Boolean }) busy = false;
  /** shown under the button after a successful save */
  @property() status = '';
  @state() private draft: Draft | null = null;
  @state() private clientInvalid: string[] = [];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('queue')) {
      this.draft = this.queue === null ? null : draftOf(this.queue);
      this.clientInvalid = [];
    }
  }

  #edit(patch: Partial<Draft>): void {
    if (this.draft !== null) this.draft = { ...this.draft, ...patch };
  }

  #submit(e: SubmitEvent): void {
    e.preventDefault();
    const d = this.draft;
    if (d === null || this.busy) return;
    const bad = [...(e.target as HTMLFormElement).querySelectorAll<HTMLInputElement>('input')].filter((el) => !el.validity.valid);
    this.clientInvalid = bad.map((el) => el.name);
    if (bad.length > 0) {
      bad[0]!.focus();
      return;
    }
    const n = (f: NumberField) => Number(d.numbers[f]);
    const body: QueueBody = {
      titleRu: d.titleRu.trim(), titleEn: d.titleEn.trim(), skill: d.skill, priority: n('priority'), slThresholdS: n('slThresholdS'),
      maxWaitS: n('maxWaitS'), announceEveryS: n('announceEveryS'), wrapUpS: n('wrapUpS'), ringS: n('ringS'),
      recording: d.recording, active: d.active, musicClass: d.musicClass.trim(),
      ...(d.numbers.firstAnnounceS !== '' && { firstAnnounceS: n('firstAnnounceS') }),
    };
    this.dispatchEvent(new CustomEvent<QueueBody>('cc-queue-submit', { detail: body, bubbles: true, composed: true }));
  }

  override render() {
    const d = this.draft;
    const q = this.queue;
    if (d === null || q === null) return nothing;
    const t = messages(this.lang);
    const a = t.queueAdmin;
    const invalid = new Set([...this.clientInvalid, ...invalidFields(this.error)]);
    const mark = (f: string) => (invalid.has(f) ? 'true' : 'false');
    const problem = (f: string) => (invalid.has(f) ? html`<div class="field-error" role="alert" data-error-for=${f}>${a.rules[f] ?? t.common.invalidValue}</div>` : nothing);
    const text = (f: 'titleRu' | 'titleEn') => html`<div>
      <label for="qf-${f}">${a[f]}</label>
      <input id="qf-${f}" name=${f} required maxlength="100" pattern=".*\\S.*" .value=${d[f]} aria-invalid=${mark(f)}
        @input=${(e: Event) => this.#edit({ [f]: (e.target as HTMLInputElement).value })}>
      ${problem(f)}
    </div>`;
    const number = ([f, min, max]: typeof NUMBERS[number]) => html`<div>
      <label for="qf-${f}">${a[f]}</label>
      <input id="qf-${f}" name=${f} type="number" min=${min} max=${max} step="1" ?required=${f !== 'firstAnnounceS'} .value=${d.numbers[f]} aria-invalid=${mark(f)}
        @input=${(e: Event) => this.#edit({ numbers: { ...d.numbers, [f]: (e.target as HTMLInputElement).value } })}>
      ${f === 'priority' ? html`<div class="hint">${a.priorityHint}</div>` : nothing}
      ${problem(f)}
    </div>`;
    return html`<form class="panel" novalidate @submit=${this.#submit} aria-label=${a.editTitle(q.id)}>
      <h3>${a.editTitle(q.id)}</h3>
      <div class="pair">${text('titleRu')}${text('titleEn')}</div>
      <div>
        <label for="qf-skill">${a.skill}</label>
        <select id="qf-skill" name="skill" .value=${d.skill} @change=${(e: Event) => this.#edit({ skill: (e.target as HTMLSelectElement).value as QueueBody['skill'] })}>
          ${SKILLS.map((s) => html`<option value=${s} ?selected=${d.skill === s}>${a.skills[s] ?? s}</option>`)}
        </select>
      </div>
      ${number(NUMBERS[0])}
      <div class="pair">${NUMBERS.slice(1).map(number)}</div>
      <div>
        <label for="qf-musicClass">${a.musicClass}</label>
        <input id="qf-musicClass" name="musicClass" required pattern="[A-Za-z0-9_\\-]{1,64}" .value=${d.musicClass} aria-invalid=${mark('musicClass')}
          @input=${(e: Event) => this.#edit({ musicClass: (e.target as HTMLInputElement).value })}>
        ${problem('musicClass')}
      </div>
      <label class="check"><input type="checkbox" name="recording" .checked=${d.recording} @change=${(e: Event) => this.#edit({ recording: (e.target as HTMLInputElement).checked })}>${a.recording}</label>
      <label class="check"><input type="checkbox" name="active" .checked=${d.active} @change=${(e: Event) => this.#edit({ active: (e.target as HTMLInputElement).checked })}>${a.active}</label>
      ${this.error === null ? nothing : html`<div class="alert" role="alert" data-testid="queue-form-error">${this.error instanceof ApiError && this.error.code === 'CC_ERR_VALIDATION' ? a.invalid : errorText(this.error, t)}</div>`}
      <div class="form-actions">
        <button type="submit" class="primary" data-action="save-queue" ?disabled=${this.busy}>${a.save}</button>
        <button type="button" data-action="cancel" @click=${() => this.dispatchEvent(new CustomEvent('cc-cancel', { bubbles: true, composed: true }))}>${t.common.close}</button>
      </div>
      ${this.status ? html`<div class="muted" role="status">${this.status}</div>` : nothing}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'cc-queue-form': CcQueueForm }
}
