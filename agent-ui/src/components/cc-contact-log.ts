import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { AppealView, ConsultationView } from '../../../server/appeals/schemas.js';
import { langContext } from '../context.js';
import { messages, type Lang } from '../i18n/index.js';
import './cc-appeal-form.js';
import './cc-consultation-form.js';

/*
 * The agent's right column for the outcome of a contact: a consultation (the usual case, so it is
 * the first tab) or an appeal registered on the caller's behalf. Both forms stay mounted and are
 * only hidden, so switching tabs mid-call loses nothing typed. The API comes to the forms by
 * context from the app shell; the call and customer pass through as properties.
 */

/** What `cc-contact-logged` (bubbling, composed) carries, from either form. */
export type ContactLoggedDetail =
  | { kind: 'appeal'; appeal: AppealView }
  | { kind: 'consultation'; consultation: ConsultationView };

type Tab = 'consultation' | 'appeal';
const TABS: readonly Tab[] = ['consultation', 'appeal'];

@customElement('cc-contact-log')
export class CcContactLog extends LitElement {
  static override styles = css`
    :host { display: block; width: 100%; max-width: 420px; box-sizing: border-box; }
    [role='tablist'] { display: flex; border-bottom: 1px solid #c5cdd6; margin-bottom: 12px; }
    [role='tab'] { flex: 1; font: inherit; font-weight: 600; padding: 8px; border: 0; border-bottom: 3px solid transparent; background: none; color: #4f5b67; cursor: pointer; }
    [role='tab'][aria-selected='true'] { color: #1b2430; border-bottom-color: #1f6feb; }
  `;

  @consume({ context: langContext, subscribe: true })
  @property() override lang: Lang = 'ru';

  @property({ type: Number }) agentId = 0;
  @property({ attribute: false }) callId: string | null = null;
  @property({ attribute: false }) accountId: number | null = null;
  @property({ attribute: false }) customerId: number | null = null;

  @state() private tab: Tab = 'consultation';

  private select(tab: Tab, focus: boolean): void {
    this.tab = tab;
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus());
  }

  /** WAI-ARIA tabs: arrows move between tabs (wrapping), Home and End jump, and selection follows focus. */
  private onKey(e: KeyboardEvent): void {
    const i = TABS.indexOf(this.tab);
    const next = e.key === 'ArrowRight' ? (i + 1) % TABS.length
      : e.key === 'ArrowLeft' ? (i - 1 + TABS.length) % TABS.length
        : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    this.select(TABS[next]!, true);
  }

  override render() {
    const m = messages(this.lang);
    const names: Record<Tab, string> = { consultation: m.consultation.tab, appeal: m.appeal.tab };
    return html`
      <div role="tablist" aria-label=${m.consultation.contactLog} @keydown=${this.onKey}>
        ${TABS.map((tab) => html`<button type="button" role="tab" id="tab-${tab}" aria-controls="panel-${tab}"
          aria-selected=${this.tab === tab ? 'true' : 'false'} tabindex=${this.tab === tab ? 0 : -1}
          @click=${() => this.select(tab, false)}>${names[tab]}</button>`)}
      </div>
      <div role="tabpanel" id="panel-consultation" aria-labelledby="tab-consultation" ?hidden=${this.tab !== 'consultation'}>
        <cc-consultation-form .lang=${this.lang} .callId=${this.callId} .accountId=${this.accountId}></cc-consultation-form>
      </div>
      <div role="tabpanel" id="panel-appeal" aria-labelledby="tab-appeal" ?hidden=${this.tab !== 'appeal'}>
        <cc-appeal-form .lang=${this.lang} .agentId=${this.agentId} .callId=${this.callId} .accountId=${this.accountId} .customerId=${this.customerId}></cc-appeal-form>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'cc-contact-log': CcContactLog }
  interface HTMLElementEventMap { 'cc-contact-logged': CustomEvent<ContactLoggedDetail> }
}
