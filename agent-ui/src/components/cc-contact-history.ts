import { consume } from '@lit/context';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AccountCard } from '../../../server/customers/service.js';
import { APPEAL_CHANNELS, APPEAL_KINDS, APPEAL_STATUSES, CONSULTATION_TOPICS, daysBetween, kaliningradDay, OPEN_STATUSES } from '../../../server/appeals/rules.js';
import { langContext } from '../context.js';
import { clock, day, instant, phone } from '../format.js';
import { label, messages, type Lang, type Messages } from '../i18n/index.js';
import { base } from '../styles.js';

type Contacts = AccountCard['contacts'];
type Call = Contacts['calls'][number];
type Consultation = Contacts['consultations'][number];
type Appeal = Contacts['appeals'][number];

/** One line of the history: whatever it was, and when (an ISO instant, for the newest-first order). */
type Entry = { at: string } & ({ type: 'call'; call: Call } | { type: 'consultation'; consultation: Consultation } | { type: 'appeal'; appeal: Appeal });

/** An open appeal whose answer is due within this many days is flagged before it is late. */
const DUE_SOON_DAYS = 3;

/** The value of a catalogue keyed by what the server stored; unknown values show as stored. */
function pick(table: Record<string, string>, key: string | null): string {
  return key === null ? '' : table[key] ?? key;
}

/** Known keys of a rules.ts catalogue, without casting at every call site. */
function entryOf<T extends object>(table: T, key: string): { ru: string; en: string } | undefined {
  return Object.hasOwn(table, key) ? (table as Record<string, { ru: string; en: string }>)[key] : undefined;
}

/**
 * Earlier contacts of one account in one list, newest first: calls (direction, outcome, queue),
 * consultations (topic, resolved, notes) and appeals (number, kind, status, due date). Open
 * appeals that are late or due within three days are highlighted, counted from `today`.
 */
@customElement('cc-contact-history')
export class CcContactHistory extends LitElement {
  @property({ attribute: false }) contacts: Contacts = { calls: [], consultations: [], appeals: [] };
  @consume({ context: langContext, subscribe: true })
  @property() override lang: Lang = 'ru';
  /** Kaliningrad's calendar day, 'YYYY-MM-DD'; a property so tests (and a long shift past midnight) can set it. */
  @property() today: string = kaliningradDay(new Date());

  static override styles = [base, css`
    :host { display: block; }
    h3 { font-size: 15px; margin: 0 0 8px; display: flex; gap: 8px; align-items: baseline; }
    .count { font-weight: normal; color: #5f6b7a; font-size: 13px; }
    ol { list-style: none; margin: 0; padding: 0; border: 1px solid #d8dee4; border-radius: 8px; background: #fff; }
    li { padding: 8px 12px; border-top: 1px solid #eceff3; }
    li:first-child { border-top: none; }
    .head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
    time { color: #5f6b7a; font-variant-numeric: tabular-nums; white-space: nowrap; min-width: 9.5em; }
    .what { font-weight: 600; }
    .tag { font-size: 12px; padding: 1px 6px; border-radius: 3px; background: #eef1f5; color: #3b4655; }
    .tag.bad { background: #fdecea; color: #a4231a; }
    .tag.good { background: #e8f4ec; color: #24683a; }
    .details { margin: 2px 0 0 calc(9.5em + 8px); color: #3b4655; font-size: 13px; }
    .details span + span::before { content: ' · '; color: #9aa3ae; }
    .notes { margin: 2px 0 0 calc(9.5em + 8px); font-size: 13px; color: #1b2430; white-space: pre-line; }
    li.overdue { background: #fdf3f2; box-shadow: inset 3px 0 0 #c0392b; }
    li.due-soon { background: #fdf8ec; box-shadow: inset 3px 0 0 #d49a1f; }
    .due { font-variant-numeric: tabular-nums; }
    .empty { color: #5f6b7a; margin: 0; }
  `];

  override render() {
    const m = messages(this.lang);
    const entries = this.entries();
    return html`
      <h3 id="title">${m.history.title} <span class="count">${m.history.count(entries.length)}</span></h3>
      ${entries.length === 0
        ? html`<p class="empty">${m.history.empty}</p>`
        : html`<ol aria-labelledby="title">${entries.map((e) => this.renderEntry(e, m))}</ol>`}
    `;
  }

  private entries(): Entry[] {
    const { calls, consultations, appeals } = this.contacts;
    const all: Entry[] = [
      ...calls.map((call) => ({ at: call.startedAt, type: 'call' as const, call })),
      ...consultations.map((consultation) => ({ at: consultation.createdAt, type: 'consultation' as const, consultation })),
      ...appeals.map((appeal) => ({ at: appeal.registeredAt, type: 'appeal' as const, appeal })),
    ];
    // Parsed, not compared as text: instants from different tables need not share one format.
    return all.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  }

  private renderEntry(e: Entry, m: Messages) {
    switch (e.type) {
      case 'call': return this.renderCall(e.call, m);
      case 'consultation': return this.renderConsultation(e.consultation, m);
      case 'appeal': return this.renderAppeal(e.appeal, m);
    }
  }

  private renderCall(c: Call, m: Messages) {
    const h = m.history;
    const seconds = c.endedAt === null ? null : (Date.parse(c.endedAt) - Date.parse(c.startedAt)) / 1000;
    const bad = c.outcome !== null && c.outcome !== 'completed';
    return html`<li class="call" data-type="call">
      <div class="head">
        <time datetime=${c.startedAt}>${instant(c.startedAt, this.lang)}</time>
        <span class="what">${pick(h.calls, c.direction)}</span>
        <span class="tag ${bad ? 'bad' : ''}">${c.outcome === null ? h.ongoing : pick(h.outcomes, c.outcome)}</span>
      </div>
      <div class="details">
        <span>${phone(c.number)}</span>
        ${c.queue === null ? nothing : html`<span>${h.queue}: ${pick(h.queues, c.queue)}</span>`}
        ${seconds === null || Number.isNaN(seconds) ? nothing : html`<span>${h.duration} ${clock(seconds)}</span>`}
      </div>
    </li>`;
  }

  private renderConsultation(c: Consultation, m: Messages) {
    const h = m.history;
    return html`<li class="consultation" data-type="consultation">
      <div class="head">
        <time datetime=${c.createdAt}>${instant(c.createdAt, this.lang)}</time>
        <span class="what">${h.consultation}</span>
        <span class="tag ${c.resolved ? 'good' : 'bad'}">${c.resolved ? h.resolved : h.unresolved}</span>
      </div>
      <div class="details"><span>${h.topic}: ${label(entryOf(CONSULTATION_TOPICS, c.topic), this.lang) || c.topic}</span></div>
      ${c.notes === '' ? nothing : html`<p class="notes">${c.notes}</p>`}
    </li>`;
  }

  private renderAppeal(a: Appeal, m: Messages) {
    const h = m.history;
    const open = (OPEN_STATUSES as readonly string[]).includes(a.status);
    const left = open ? this.daysLeft(a.dueDate) : null;
    const urgency = left === null ? '' : left < 0 ? 'overdue' : left <= DUE_SOON_DAYS ? 'due-soon' : '';
    const warning = left === null || urgency === '' ? null : left < 0 ? h.overdue(-left) : left === 0 ? h.dueToday : h.dueIn(left);
    return html`<li class="appeal ${urgency}" data-type="appeal">
      <div class="head">
        <time datetime=${a.registeredAt}>${instant(a.registeredAt, this.lang)}</time>
        <span class="what">${h.appeal(a.number)}</span>
        <span class="tag ${open ? '' : 'good'}">${label(entryOf(APPEAL_STATUSES, a.status), this.lang) || a.status}</span>
        ${warning === null ? nothing : html`<span class="tag bad">${warning}</span>`}
      </div>
      <div class="details">
        <span class="due">${h.due}: ${day(a.dueDate, this.lang)}</span>
        <span>${label(entryOf(APPEAL_KINDS, a.kind), this.lang) || a.kind}</span>
        <span>${h.channel}: ${label(entryOf(APPEAL_CHANNELS, a.channel), this.lang) || a.channel}</span>
      </div>
      ${a.subject === '' ? nothing : html`<p class="notes">${a.subject}</p>`}
    </li>`;
  }

  /** Days from `today` to the due date; null when either is not a calendar day (never throws in render). */
  private daysLeft(due: string): number | null {
    try {
      return daysBetween(this.today, due);
    } catch {
      return null;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-contact-history': CcContactHistory;
  }
}
