import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { provide } from '@lit/context';
import type { AgentState } from '../../../server/agents/state.js';
import type { Agent } from '../admin.js';
import type { ScreenPop } from '../../../server/live/screen-pop.js';
import { ApiError, createApi, type Api } from '../api.js';
import { agentContext, apiContext, langContext } from '../context.js';
import { asLang, messages, type Lang } from '../i18n/index.js';
import { LiveController, type LiveMessage } from '../live.js';
import { SipController, type SipCredentials } from '../phone/sip-controller.js';
import { base, errorText } from '../styles.js';
import { TabGuard } from '../tab-guard.js';
import './cc-login.js';
import './cc-status-selector.js';
import './cc-phone-bar.js';
import './cc-incoming-call.js';
import './cc-account-search.js';
import './cc-callback-list.js';
import type { CcWallboard } from './cc-wallboard.js';
import './cc-wallboard.js';
import './cc-password-change.js';
import './cc-admin.js';

/** One measured screen pop: from the queue's offer to the account card on screen. */
export interface PopMetric { callId: string; accountId: number; offerToPaintMs: number }

/**
 * The agent's workplace: sign-in, then one screen laid out for 1366x768 — the status and the
 * phone on top; the caller and the search on the left; the account card in the middle; the
 * consultation and appeal forms on the right. It owns the session, the softphone (SipController),
 * the live socket and the one-tab guard, and hands data down by properties and context.
 * Supervisors and admins see the wallboard first, with a switch to the workplace (and back);
 * admins also get the administration view. A call offered to them brings the workplace up.
 * Someone signed in with a one-time password sees only the password change: no phone, no live
 * socket, no workplace until the server has taken their new password.
 */
@customElement('cc-app')
export class CcApp extends LitElement {
  static override styles = [base, css`
    :host { display: flex; flex-direction: column; height: 100vh; overflow: hidden; }
    header { display: flex; align-items: center; gap: 12px; padding: 8px 12px; background: #1b2430; color: #fff; }
    header h1 { font-size: 16px; margin: 0 12px 0 0; white-space: nowrap; }
    header .who { margin-left: auto; white-space: nowrap; }
    header select, header button { min-height: 28px; color: #1b2430; }
    .live { font-size: 12px; }
    main { flex: 1; min-height: 0; display: grid; grid-template-columns: 330px minmax(0, 1fr) 370px; gap: 10px; padding: 10px; }
    main > section { min-height: 0; overflow: auto; display: grid; align-content: start; gap: 10px; }
    .banner { margin: 8px 12px 0; }
    .center { display: grid; place-items: center; height: 100%; padding: 24px; text-align: center; }
    .views { display: flex; gap: 4px; flex: none; }
    cc-status-selector { flex: none; }
    .views button[aria-pressed=true] { background: #1f6feb; border-color: #1f6feb; color: #fff; }
    cc-wallboard, cc-admin { flex: 1; }
    .stack { display: grid; gap: 12px; justify-items: center; }
  `];

  @provide({ context: apiContext }) api: Api = createApi();
  @provide({ context: langContext }) @state() language: Lang = 'ru';
  @provide({ context: agentContext }) @state() agent: Agent | undefined;
  @state() private phase: 'checking' | 'login' | 'password' | 'other-tab' | 'taken-over' | 'working' = 'checking';
  @state() private agentState: AgentState = { kind: 'offline' };
  @state() private pop: ScreenPop | null = null;
  @state() private accountId: number | null = null;
  @state() private customerId: number | null = null;
  @state() private error = '';
  @state() private view: 'workspace' | 'wallboard' | 'admin' = 'workspace';
  /** the admin view once opened stays mounted (hidden) when a call brings the workplace up, so a half-filled form survives */
  @state() private adminOpened = false;
  readonly phone = new SipController(this);
  readonly live = new LiveController(this, (m) => this.#onLive(m));
  /** offer → card painted, for every screen pop of this page (read by the benchmark) */
  readonly metrics: PopMetric[] = [];
  #guard: TabGuard | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#resume();
  }

  async #resume() {
    try {
      const { agent } = await this.api.get<{ agent: Agent }>('/api/session');
      await this.#enter(agent);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'CC_ERR_AUTH_REQUIRED')) this.error = errorText(err, messages(this.language));
      this.phase = 'login';
    }
  }

  async #enter(agent: Agent, steal = false) {
    this.agent = agent;
    this.view = agent.role === 'agent' ? 'workspace' : 'wallboard';
    this.#setLanguage(asLang(agent.language));
    if (agent.mustChangePassword === true) {
      // The server refuses the phone and the live socket until then: start neither.
      this.phase = 'password';
      return;
    }
    this.#guard ??= new TabGuard(`cc-softphone-${agent.id}`, () => { void this.#shutdown('taken-over'); });
    if (!(await this.#guard.acquire(steal))) {
      this.phase = 'other-tab';
      return;
    }
    this.phase = 'working';
    this.live.start();
    try {
      await this.phone.start(await this.api.get<SipCredentials>('/api/session/sip'));
    } catch (err) {
      this.error = errorText(err, messages(this.language));
    }
  }

  async #shutdown(phase: 'login' | 'taken-over') {
    this.live.stop();
    // The page says at once that this tab no longer works: stopping the phone may wait seconds
    // for an unregister or a connection attempt still under way.
    this.pop = null;
    this.accountId = null;
    this.adminOpened = false;
    this.phase = phase;
    // The lock goes at once too (after a take-over it is gone already), so a new login in this
    // tab is not told that the phone is open elsewhere while the old one still unregisters.
    this.#guard?.release();
    if (phase === 'login') this.#guard = undefined;
    await this.phone.stop();
  }

  #onLive(m: LiveMessage) {
    this.renderRoot.querySelector<CcWallboard>('cc-wallboard')?.receive(m);
    if (m.type === 'hello') {
      this.agentState = m['state'] as AgentState;
    } else if (m.type === 'agent_changed' && m['agentId'] === this.agent?.id) {
      this.agentState = m['state'] as AgentState;
    } else if (m.type === 'offer') {
      const pop = m as unknown as ScreenPop;
      this.pop = pop;
      this.view = 'workspace';
      const only = pop.identification === 'one' ? pop.accounts[0] : undefined;
      this.accountId = only?.accountId ?? null;
      this.customerId = only?.customerId ?? null;
    }
  }

  #setLanguage(lang: Lang) {
    this.language = lang;
    document.documentElement.lang = lang;
    document.title = `${messages(lang).app.title}`;
  }

  async #changeLanguage(lang: Lang) {
    this.#setLanguage(lang);
    try {
      const { agent } = await this.api.put<{ agent: Agent }>('/api/session/language', { language: lang });
      this.agent = agent;
    } catch (err) {
      this.error = errorText(err, messages(lang));
    }
  }

  async #logout() {
    await this.#shutdown('login');
    await this.api.delete('/api/session').catch(() => undefined);
    this.agent = undefined;
  }

  #cardPainted(e: CustomEvent<{ accountId: number }>) {
    const pop = this.pop;
    if (pop === null || e.detail.accountId !== this.accountId) return;
    if (this.metrics.some((m) => m.callId === pop.callId)) return;
    this.metrics.push({ callId: pop.callId, accountId: e.detail.accountId, offerToPaintMs: Date.now() - Date.parse(pop.offeredAt) });
  }

  #selectAccount(e: CustomEvent<{ accountId: number }>) {
    this.accountId = e.detail.accountId;
    this.customerId = this.pop?.accounts.find((a) => a.accountId === e.detail.accountId)?.customerId ?? null;
  }

  override render() {
    const t = messages(this.language);
    switch (this.phase) {
      case 'checking':
        return html`<div class="center muted">${t.common.loading}</div>`;
      case 'login':
        return html`${this.error ? html`<div class="alert banner">${this.error}</div>` : nothing}
          <cc-login @cc-logged-in=${(e: CustomEvent<Agent>) => { this.error = ''; this.phone.ringer.prepare(); void this.#enter(e.detail); }}></cc-login>`;
      case 'password':
        return html`<div class="center"><div class="stack">
          ${this.error ? html`<div class="alert" role="alert">${this.error}</div>` : nothing}
          <cc-password-change .agent=${this.agent} @cc-password-changed=${(e: CustomEvent<Agent>) => { this.error = ''; void this.#enter(e.detail); }}></cc-password-change>
          <button data-action="logout" @click=${() => void this.#logout()}>${t.app.logout}</button>
        </div></div>`;
      case 'other-tab':
      case 'taken-over':
        return html`<div class="center"><div class="panel" role="alert">
          <p>${t.app.otherTab}</p>
          <button class="primary" data-action="take-over" @click=${() => { this.phone.ringer.prepare(); void this.#enter(this.agent!, true); }}>${t.app.takeOver}</button>
          <button @click=${() => void this.#logout()}>${t.app.logout}</button>
        </div></div>`;
      case 'working':
        return this.#workspace();
    }
  }

  #workspace() {
    const t = messages(this.language);
    const agent = this.agent!;
    return html`
      <header>
        <h1>${t.app.title}</h1>
        <cc-status-selector .agentId=${agent.id} .state=${this.agentState} @cc-agent-state=${(e: CustomEvent<AgentState>) => { this.agentState = e.detail; }}></cc-status-selector>
        ${agent.role === 'agent' ? nothing : html`<span class="views" role="group" aria-label=${t.wallboard.views}>
          <button data-view="wallboard" aria-pressed=${this.view === 'wallboard'} @click=${() => { this.view = 'wallboard'; }}>${t.wallboard.tab}</button>
          <button data-view="workspace" aria-pressed=${this.view === 'workspace'} @click=${() => { this.view = 'workspace'; }}>${t.wallboard.workspaceTab}</button>
          ${agent.role === 'admin' ? html`<button data-view="admin" aria-pressed=${this.view === 'admin'} @click=${() => { this.view = 'admin'; this.adminOpened = true; }}>${t.admin.tab}</button>` : nothing}
        </span>`}
        <span class="who">${agent.displayName}</span>
        <span class="live" role="status">${this.live.connected ? `● ${t.app.liveOk}` : `○ ${t.app.liveLost}`}</span>
        <label class="sr-only" for="lang">${t.app.language}</label>
        <select id="lang" @change=${(e: Event) => void this.#changeLanguage(asLang((e.target as HTMLSelectElement).value))}>
          <option value="ru" ?selected=${this.language === 'ru'}>Русский</option>
          <option value="en" ?selected=${this.language === 'en'}>English</option>
        </select>
        <button data-action="logout" @click=${() => void this.#logout()}>${t.app.logout}</button>
      </header>
      ${this.view === 'workspace' ? this.#desk() : this.error ? html`<div class="alert banner" role="alert">${this.error}</div>` : nothing}
      ${this.view === 'wallboard' ? html`<cc-wallboard></cc-wallboard>` : nothing}
      ${this.adminOpened ? html`<cc-admin ?hidden=${this.view !== 'admin'}></cc-admin>` : nothing}`;
  }

  #desk() {
    const t = messages(this.language);
    const agent = this.agent!;
    const ringing = this.phone.state.call?.state === 'ringing';
    return html`
      <cc-phone-bar .agentId=${agent.id} .phoneState=${this.phone.state} .agentState=${this.agentState} .controls=${this.phone} ?ringerSilent=${!this.phone.ringer.audible}></cc-phone-bar>
      ${this.error ? html`<div class="alert banner" role="alert">${this.error}</div>` : nothing}
      <main @cc-account-selected=${this.#selectAccount}>
        <section aria-label=${t.call.caller}>
          <cc-incoming-call .pop=${this.pop} .selectedAccountId=${this.accountId} ?ringing=${ringing}></cc-incoming-call>
          <div class="panel"><cc-account-search></cc-account-search></div>
          <div class="panel"><cc-callback-list .agentId=${agent.id} @cc-callback-dialled=${(e: CustomEvent<{ number: string }>) => this.phone.expectOutbound(e.detail.number)}></cc-callback-list></div>
        </section>
        <section>
          <cc-account-card .accountId=${this.accountId} @cc-card-painted=${this.#cardPainted}></cc-account-card>
        </section>
        <section>
          <cc-contact-log .agentId=${agent.id} .callId=${this.pop?.callId ?? null} .accountId=${this.accountId} .customerId=${this.customerId}
            @cc-contact-logged=${() => (this.renderRoot.querySelector('cc-account-card') as { reload(): void } | null)?.reload()}></cc-contact-log>
        </section>
      </main>`;
  }
}
