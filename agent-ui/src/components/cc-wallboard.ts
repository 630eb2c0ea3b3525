import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { AgentState } from '../../../server/agents/state.js';
import { APPEAL_KINDS } from '../../../server/appeals/rules.js';
import type { DueSoonView } from '../../../server/appeals/schemas.js';
import type { QueueStats, StatsView, WallboardAgent } from '../../../server/wallboard/schemas.js';
import { createApi, type Api } from '../api.js';
import { apiContext, langContext } from '../context.js';
import { clock, day, instant } from '../format.js';
import { label, messages, type Lang } from '../i18n/index.js';
import type { LiveMessage } from '../live.js';
import { base, errorText } from '../styles.js';

const STATS_EVERY_MS = 5_000;
const APPEALS_EVERY_MS = 60_000;
/** Live messages come in bursts (an answer moves a caller and an agent): one reload for a burst. */
const LIVE_RELOAD_AFTER_MS = 250;
const DUE_SOON_DAYS = 3;

/** Busy states first, offline last, so the wall shows who is working at the top. */
const STATE_ORDER: Record<AgentState['kind'], number> = { on_call: 0, ringing: 1, wrap_up: 2, paused: 3, available: 4, offline: 5 };

/**
 * The supervisors' wallboard: a tile per queue (who waits now and for how long, ticking; today's
 * service level, answered and abandoned calls and callbacks), the agents with their state and
 * time in it (ticking), and the open appeals near or past their due date (overdue in red).
 * Figures come from GET /api/queues/stats every 5 s; the app shell hands each live message to
 * `receive`, which updates an agent's row at once and reloads the figures right after a queue event.
 */
@customElement('cc-wallboard')
export class CcWallboard extends LitElement {
  static override styles = [base, css`
    :host { display: grid; grid-template-rows: auto minmax(0, 1fr); gap: 10px; padding: 10px; min-height: 0; overflow: auto;
      font-size: clamp(13px, 1.05vw, 30px); background: #f3f5f8; }
    h2 { font-size: 1.1em; margin: 0 0 .5em; }
    .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(15em, 1fr)); gap: 10px; }
    .tile { background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: .7em .9em; display: grid; gap: .35em; align-content: start; }
    .tile h3 { font-size: 1.05em; margin: 0; }
    .big { display: grid; grid-template-columns: repeat(3, auto); justify-content: space-between; gap: .5em; }
    .big div, .counts div { display: grid; align-content: start; }
    .big .value { font-size: 2.2em; font-weight: 700; line-height: 1.1; font-variant-numeric: tabular-nums; }
    .caption { font-size: .85em; color: #57606a; }
    .tile[data-waiting] .waiting .value { color: #0a3069; }
    .tile[data-over-sl] .longest .value { color: #cf222e; }
    .counts { display: grid; grid-template-columns: repeat(4, auto); justify-content: space-between; gap: .5em; border-top: 1px solid #eaeef2; padding-top: .35em; }
    .counts b { font-size: 1.3em; font-variant-numeric: tabular-nums; }
    .tile p { margin: 0; }
    .lower { display: grid; grid-template-columns: minmax(0, 1.3fr) minmax(0, 1fr); gap: 10px; min-height: 0; }
    .lower > section { background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: .7em .9em; overflow: auto; min-height: 0; }
    table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { text-align: left; padding: .3em .5em; border-bottom: 1px solid #eaeef2; }
    th { font-weight: 600; color: #3b4655; background: #f7f8fa; font-size: .9em; }
    .badge { padding: .1em .6em; border-radius: 999px; font-weight: 600; background: #eaeef2; white-space: nowrap; }
    tr[data-state=available] .badge { background: #dafbe1; color: #116329; }
    tr[data-state=paused] .badge { background: #fff8c5; color: #7d4e00; }
    tr[data-state=ringing] .badge, tr[data-state=on_call] .badge { background: #ddf4ff; color: #0a3069; }
    tr[data-state=wrap_up] .badge { background: #fbefff; color: #6e40c9; }
    tr[data-state=offline] { color: #8c959f; }
    .clip { max-width: 16em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    tr.overdue td { color: #a40e26; background: #ffebe9; font-weight: 600; }
    .nowrap { white-space: nowrap; }
    .updated { font-size: .8em; color: #57606a; text-align: right; }
    @media (max-width: 1000px) { .lower { grid-template-columns: 1fr; } }
  `];

  @consume({ context: apiContext }) @property({ attribute: false }) api: Api = createApi();
  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  /** the clock for the ticking times; tests pass a fake one */
  @property({ attribute: false }) now: () => number = Date.now;
  @state() private stats: StatsView | null = null;
  @state() private appeals: DueSoonView[] = [];
  @state() private error = '';
  /** the page's clock when `stats` arrived, so waits tick on from the server's figures */
  #statsAt = 0;
  /** server time minus page time, so times in state do not depend on the page's clock */
  #skewMs = 0;
  #timers: Array<ReturnType<typeof setInterval>> = [];
  #liveReload: ReturnType<typeof setTimeout> | undefined;
  #loading: Promise<void> | undefined;
  #again = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    void this.refreshAppeals();
    this.#timers = [
      setInterval(() => void this.refresh(), STATS_EVERY_MS),
      setInterval(() => void this.refreshAppeals(), APPEALS_EVERY_MS),
      setInterval(() => this.requestUpdate(), 1000),
    ];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    clearTimeout(this.#liveReload);
  }

  /**
   * Reloads the queue and agent figures, one request at a time; asked again while one runs, it
   * runs once more after it, since that answer may predate the change that asked.
   */
  refresh(): Promise<void> {
    if (this.#loading !== undefined) {
      this.#again = true;
      return this.#loading;
    }
    this.#loading = (async () => {
      try {
        const stats = await this.api.get<StatsView>('/api/queues/stats');
        this.#statsAt = this.now();
        this.#skewMs = Date.parse(stats.at) - this.#statsAt;
        this.stats = stats;
        this.error = '';
      } catch (err) {
        this.error = errorText(err, messages(this.lang));
      } finally {
        this.#loading = undefined;
        if (this.#again) {
          this.#again = false;
          void this.refresh();
        }
      }
    })();
    return this.#loading;
  }

  async refreshAppeals(): Promise<void> {
    try {
      this.appeals = await this.api.get<DueSoonView[]>(`/api/appeals/due-soon?days=${DUE_SOON_DAYS}`);
    } catch (err) {
      this.error = errorText(err, messages(this.lang));
    }
  }

  /** A message of GET /api/live: an agent's change shows at once; queue events reload the figures. */
  receive(m: LiveMessage): void {
    if (m.type === 'agent_changed' && typeof m['agentId'] === 'number') {
      const agentId = m['agentId'];
      if (this.stats !== null && this.stats.agents.some((a) => a.agentId === agentId)) {
        const agents = this.stats.agents.map((a) => (a.agentId === agentId ? { ...a, state: m['state'] as AgentState } : a));
        this.stats = { ...this.stats, agents };
      }
      this.#reloadSoon();
    } else if (m.type === 'queue_event') {
      this.#reloadSoon();
    } else if (m.type === 'hello') {
      // Sent on every (re)connection: whatever changed while the socket was down.
      void this.refresh();
    }
  }

  #reloadSoon(): void {
    clearTimeout(this.#liveReload);
    this.#liveReload = setTimeout(() => void this.refresh(), LIVE_RELOAD_AFTER_MS);
  }

  #serverNow(): number {
    return this.now() + this.#skewMs;
  }

  override render() {
    const t = messages(this.lang);
    const stats = this.stats;
    return html`
      <section aria-label=${t.wallboard.queues}>
        ${this.error ? html`<div class="alert" role="alert">${this.error}</div>` : nothing}
        ${stats === null ? html`<p class="muted">${t.common.loading}</p>` : html`
          <div class="tiles">${stats.queues.map((q) => this.#tile(q))}</div>
          <div class="updated">${t.wallboard.updated(instant(stats.at, this.lang).slice(-5))}</div>`}
      </section>
      <div class="lower">
        <section aria-labelledby="agents-title">
          <h2 id="agents-title">${t.wallboard.agents}</h2>
          ${stats === null ? nothing : this.#agents(stats.agents)}
        </section>
        <section aria-labelledby="appeals-title">
          <h2 id="appeals-title">${t.wallboard.appeals}</h2>
          ${this.#appeals()}
        </section>
      </div>`;
  }

  #tile(q: QueueStats) {
    const t = messages(this.lang).wallboard;
    const { now, today } = q;
    const longestMs = now.waiting > 0 ? now.longestWaitMs + (this.now() - this.#statsAt) : 0;
    const a = now.agents;
    const cb = today.callbacks;
    return html`
      <article class="tile" data-queue=${q.queueId} ?data-waiting=${now.waiting > 0} ?data-over-sl=${longestMs > q.slThresholdS * 1000}>
        <h3>${this.lang === 'en' ? q.titleEn : q.titleRu}</h3>
        <div class="big">
          <div class="waiting"><span class="value" data-field="waiting">${now.waiting}</span><span class="caption">${t.waiting}</span></div>
          <div class="longest"><span class="value" data-field="longest-wait">${clock(longestMs / 1000)}</span><span class="caption">${t.longestWait}</span></div>
          <div class="sl" title=${t.serviceLevelHint(q.slThresholdS)}><span class="value" data-field="sl">${today.serviceLevelPct === null ? t.noValue : `${today.serviceLevelPct.toLocaleString(this.lang === 'en' ? 'en-GB' : 'ru-RU')} %`}</span>
            <span class="caption">${t.serviceLevel(q.slThresholdS)}</span></div>
        </div>
        <div class="counts">
          <div><b data-field="offered">${today.offered}</b><span class="caption">${t.offered}</span></div>
          <div><b data-field="answered">${today.answered}</b><span class="caption">${t.answered}</span></div>
          <div><b data-field="abandoned">${today.abandoned + today.timedOut}</b><span class="caption">${t.abandoned}</span></div>
          <div><b data-field="avg-wait">${today.avgAnswerWaitMs === null ? t.noValue : clock(today.avgAnswerWaitMs / 1000)}</b><span class="caption">${t.avgWait}</span></div>
        </div>
        <p><span class="caption">${t.agentsNow}:</span> <b data-field="agents">${t.agentsLine(a.available, a.loggedIn)}</b><br>
          <span class="caption">${t.agentsBusy(a.onCall + a.ringing, a.wrapUp, a.paused)}</span></p>
        <p><span class="caption">${t.callbacks}:</span> <b data-field="callbacks">${t.callbacksLine(cb.requested, cb.completed, cb.failed)}</b>${now.callbacksWaiting > 0 ? html`<span class="caption">, ${t.callbacksWaiting(now.callbacksWaiting)}</span>` : nothing}</p>
      </article>`;
  }

  #agents(agents: WallboardAgent[]) {
    const t = messages(this.lang);
    if (agents.length === 0) return html`<p class="muted">${t.wallboard.noAgents}</p>`;
    const sorted = [...agents].sort((x, y) => STATE_ORDER[x.state.kind] - STATE_ORDER[y.state.kind]
      || x.displayName.localeCompare(y.displayName, 'ru'));
    return html`<table>
      <thead><tr><th>${t.wallboard.name}</th><th>${t.wallboard.state}</th><th>${t.wallboard.timeInState}</th><th>${t.wallboard.agentQueues}</th></tr></thead>
      <tbody>${sorted.map((a) => {
        const s = a.state;
        return html`<tr data-agent=${a.agentId} data-state=${s.kind}>
          <td>${a.displayName}</td>
          <td><span class="badge" data-field="state">${s.kind === 'paused' ? `${t.status.paused}: ${t.status.reasons[s.reason]}` : t.status[s.kind]}${s.kind === 'on_call' && s.held ? `, ${t.phone.held}` : ''}</span></td>
          <td class="num" data-field="time">${this.#timeInState(s)}</td>
          <td>${a.queues.map((id) => this.#queueTitle(id)).join(', ')}</td>
        </tr>`;
      })}</tbody>
    </table>`;
  }

  #queueTitle(queueId: string): string {
    const q = this.stats?.queues.find((x) => x.queueId === queueId);
    return q === undefined ? queueId : this.lang === 'en' ? q.titleEn : q.titleRu;
  }

  /** How long the agent has been in the state; in wrap-up, how long it has left. */
  #timeInState(s: AgentState): string {
    const now = this.#serverNow();
    switch (s.kind) {
      case 'offline': return '';
      case 'wrap_up': return messages(this.lang).wallboard.wrapUpLeft(clock((s.until - now) / 1000));
      default: return clock((now - s.since) / 1000);
    }
  }

  #appeals() {
    const t = messages(this.lang).wallboard;
    if (this.appeals.length === 0) return html`<p class="muted">${t.noAppeals}</p>`;
    return html`<table>
      <thead><tr><th>${t.appealNumber}</th><th>${t.kind}</th><th>${t.due}</th><th>${t.daysLeft}</th></tr></thead>
      <tbody>${this.appeals.map((a) => html`
        <tr class=${a.overdue ? 'overdue' : ''} data-appeal=${a.number} ?data-overdue=${a.overdue}>
          <td class="num">${a.number}</td>
          <td><div class="clip" title=${label(APPEAL_KINDS[a.kind], this.lang)}>${label(APPEAL_KINDS[a.kind], this.lang) || a.kind}</div></td>
          <td class="num nowrap">${day(a.dueDate, this.lang)}</td>
          <td>${a.overdue ? t.overdue(-a.daysLeft) : a.daysLeft === 0 ? t.dueToday : t.dueIn(a.daysLeft)}</td>
        </tr>`)}</tbody>
    </table>`;
  }
}
