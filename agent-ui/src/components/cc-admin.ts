import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { langContext } from '../context.js';
import { messages, type Lang } from '../i18n/index.js';
import { base } from '../styles.js';
import './cc-staff-admin.js';
import './cc-queue-admin.js';
import './cc-office-admin.js';
import './cc-trunk-admin.js';

export type AdminSection = 'staff' | 'queues' | 'offices' | 'trunks';
const SECTIONS: readonly AdminSection[] = ['staff', 'queues', 'offices', 'trunks'];

/** The administrator's view: tabs for staff, queues, the IVR's offices and the carriers' trunks, one section at a time. */
@customElement('cc-admin')
export class CcAdmin extends LitElement {
  static override styles = [base, css`
    :host { display: flex; flex-direction: column; min-height: 0; overflow: auto; background: #f3f5f8; }
    :host([hidden]) { display: none; }
    nav { display: flex; gap: 4px; padding: 8px 12px 0; border-bottom: 1px solid #d8dee4; background: #fff; }
    nav button { border: 1px solid transparent; border-bottom: 0; border-radius: 6px 6px 0 0; margin-bottom: -1px; background: transparent; }
    nav button[aria-selected=true] { background: #f3f5f8; border-color: #d8dee4; font-weight: 600; }
    .section { padding: 12px; }
  `];

  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  @property({ reflect: true }) section: AdminSection = 'staff';

  override render() {
    const t = messages(this.lang).admin;
    return html`
      <nav role="tablist" aria-label=${t.sections}>
        ${SECTIONS.map((s) => html`<button role="tab" id="tab-${s}" data-tab=${s} aria-selected=${this.section === s} aria-controls="section"
          @click=${() => { this.section = s; }}>${t[s]}</button>`)}
      </nav>
      <div class="section" id="section" role="tabpanel" aria-labelledby="tab-${this.section}">${this.#section()}</div>`;
  }

  #section() {
    switch (this.section) {
      case 'staff': return html`<cc-staff-admin .lang=${this.lang}></cc-staff-admin>`;
      case 'queues': return html`<cc-queue-admin .lang=${this.lang}></cc-queue-admin>`;
      case 'offices': return html`<cc-office-admin .lang=${this.lang}></cc-office-admin>`;
      case 'trunks': return html`<cc-trunk-admin .lang=${this.lang}></cc-trunk-admin>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'cc-admin': CcAdmin }
}
