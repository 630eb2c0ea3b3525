import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { ConsultationView, NewConsultationBody } from '../../../server/appeals/schemas.js';
import { CONSULTATION_TOPICS, consultationTopics, type ConsultationTopic } from '../../../server/appeals/rules.js';
import { ApiError, createApi, type Api } from '../api.js';
import { apiContext, langContext } from '../context.js';
import type { ContactLoggedDetail } from './cc-contact-log.js';
import { errorText } from '../styles.js';
import { label, messages, type Lang } from '../i18n/index.js';
import { formStyles } from './cc-appeal-form.js';

/*
 * Logs a consultation: a question the agent answered on the spot, counted by topic for the
 * reports. No draft and no idempotency key (the API has none): it is a few clicks, so the
 * disabled button while the request is out is what keeps a double click from logging it twice.
 */

@customElement('cc-consultation-form')
export class CcConsultationForm extends LitElement {
  static override styles = formStyles;

  @consume({ context: apiContext })
  @property({ attribute: false }) api: Api = createApi();

  @consume({ context: langContext, subscribe: true })
  @property() override lang: Lang = 'ru';

  @property({ attribute: false }) callId: string | null = null;
  @property({ attribute: false }) accountId: number | null = null;

  // No preselected topic: a default would quietly inflate one line of the topic report.
  @state() private topic: ConsultationTopic | '' = '';
  @state() private notes = '';
  @state() private resolved = true;
  @state() private pending = false;
  @state() private error: ApiError | null = null;
  @state() private saved: ConsultationView | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The confirmation belongs to the previous call; a new one starts clean.
    if (changed.has('callId') && changed.get('callId') !== undefined) this.saved = null;
  }

  private touch(): void {
    this.saved = null;
    this.error = null;
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    // The flag, not only the disabled button: a fast double click lands before Lit re-renders.
    if (this.pending || this.topic === '') return;
    const body: NewConsultationBody = {
      topic: this.topic, notes: this.notes, resolved: this.resolved,
      ...(this.callId !== null && { callId: this.callId }),
      ...(this.accountId !== null && { accountId: this.accountId }),
    };
    this.pending = true;
    this.error = null;
    try {
      const consultation = await this.api.post<ConsultationView>('/api/consultations', body);
      this.saved = consultation;
      this.topic = '';
      this.notes = '';
      this.resolved = true;
      this.dispatchEvent(new CustomEvent<ContactLoggedDetail>('cc-contact-logged', { bubbles: true, composed: true, detail: { kind: 'consultation', consultation } }));
    } catch (err) {
      // Fields stay filled so the agent can retry.
      this.error = err instanceof ApiError ? err : new ApiError(0, 'CC_ERR_INTERNAL', String(err));
    } finally {
      this.pending = false;
    }
  }

  override render() {
    const t = messages(this.lang).consultation;
    const common = messages(this.lang).common;
    const lang = this.lang;
    return html`<form @submit=${this.submit} aria-label=${t.title}>
      <div>
        <label for="topic">${t.topic}</label>
        <select id="topic" name="topic" required .value=${this.topic}
          @change=${(e: Event) => { this.topic = (e.target as HTMLSelectElement).value as ConsultationTopic; this.touch(); }}>
          <option value="" ?selected=${this.topic === ''}>${t.topicPlaceholder}</option>
          ${consultationTopics.map((k) => html`<option value=${k} ?selected=${this.topic === k}>${label(CONSULTATION_TOPICS[k], lang)}</option>`)}
        </select>
      </div>
      <div>
        <label for="notes">${t.notes}</label>
        <textarea id="notes" name="notes" maxlength="4000" rows="4" .value=${this.notes} aria-describedby="notes-hint"
          @input=${(e: Event) => { this.notes = (e.target as HTMLTextAreaElement).value; this.touch(); }}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.renderRoot.querySelector('form')?.requestSubmit(); } }}></textarea>
        <div class="hint" id="notes-hint">${t.ctrlEnter}</div>
      </div>
      <fieldset>
        <legend class="legend">${t.resolved}</legend>
        <div class="choices">
          <label><input type="radio" name="resolved" value="yes" .checked=${this.resolved} @change=${() => { this.resolved = true; this.touch(); }}>${common.yes}</label>
          <label><input type="radio" name="resolved" value="no" .checked=${!this.resolved} @change=${() => { this.resolved = false; this.touch(); }}>${common.no}</label>
        </div>
      </fieldset>
      ${this.error !== null ? html`<div class="error" role="alert" data-testid="consultation-error">${errorText(this.error, messages(lang))}</div>` : nothing}
      ${this.saved !== null ? html`<div class="ok" role="status" data-testid="consultation-saved">${t.saved(label(CONSULTATION_TOPICS[this.saved.topic], lang))}</div>` : nothing}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.pending}>${this.pending ? t.submitting : t.submit}</button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'cc-consultation-form': CcConsultationForm }
}
