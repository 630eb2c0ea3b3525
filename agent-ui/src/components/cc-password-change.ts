import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { Agent } from '../admin.js';
import { ApiError, createApi, type Api } from '../api.js';
import { apiContext, langContext } from '../context.js';
import { messages, type Lang } from '../i18n/index.js';
import { base, errorText } from '../styles.js';

const MIN_LENGTH = 10;

/**
 * The forced password change after a one-time password: current, new and repeated password, the
 * rules stated up front. PUT /api/session/password; on success it fires `cc-password-changed`
 * with the session's agent (mustChangePassword false). The two checks the page can make alone
 * (the repeat matches, the length) send nothing; the server judges the rest and its reasons are
 * explained in the page's language.
 */
@customElement('cc-password-change')
export class CcPasswordChange extends LitElement {
  static override styles = [base, css`
    :host { display: block; width: 420px; max-width: 100%; }
    form { display: grid; gap: 12px; text-align: left; }
    h1 { font-size: 18px; margin: 0; }
    p { margin: 0; }
    ul { margin: 4px 0 0; padding-left: 20px; }
    label { font-size: 13px; font-weight: 600; color: #39424c; }
    input { width: 100%; }
    [aria-invalid='true'] { border-color: #cf222e; box-shadow: 0 0 0 1px #cf222e; }
    .rules { font-size: 13px; background: #f6f8fa; border-radius: 6px; padding: 8px 10px; }
  `];

  @consume({ context: apiContext }) @property({ attribute: false }) api: Api = createApi();
  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  /** whose password: its username fills the hidden field password managers pair the new password with */
  @property({ attribute: false }) agent: Agent | undefined;
  @state() private busy = false;
  /** the message shown, and the field it is about */
  @state() private problem: { text: string; field: 'current' | 'next' | 'repeat' | null } | null = null;

  override render() {
    const t = messages(this.lang).password;
    const invalid = (f: string) => (this.problem?.field === f ? 'true' : 'false');
    return html`
      <form class="panel" novalidate @submit=${this.#submit} aria-labelledby="pc-title">
        <h1 id="pc-title">${t.title}</h1>
        <p>${t.intro}</p>
        <div class="rules" id="pc-rules">${t.rulesTitle}<ul>${t.rules.map((r) => html`<li>${r}</li>`)}</ul></div>
        <input type="text" name="username" autocomplete="username" .value=${this.agent?.username ?? ''} hidden readonly>
        <div><label for="pc-current">${t.current}</label>
          <input id="pc-current" name="current" type="password" autocomplete="current-password" required aria-invalid=${invalid('current')}></div>
        <div><label for="pc-next">${t.next}</label>
          <input id="pc-next" name="next" type="password" autocomplete="new-password" required aria-describedby="pc-rules" aria-invalid=${invalid('next')}></div>
        <div><label for="pc-repeat">${t.repeat}</label>
          <input id="pc-repeat" name="repeat" type="password" autocomplete="new-password" required aria-invalid=${invalid('repeat')}></div>
        ${this.problem ? html`<div class="alert" role="alert" data-testid="password-error">${this.problem.text}</div>` : nothing}
        <button class="primary" type="submit" data-action="change-password" ?disabled=${this.busy}>${this.busy ? t.submitting : t.submit}</button>
      </form>`;
  }

  async #submit(e: SubmitEvent) {
    e.preventDefault();
    if (this.busy) return;
    const form = new FormData(e.target as HTMLFormElement);
    const current = String(form.get('current') ?? '');
    const next = String(form.get('next') ?? '');
    const repeat = String(form.get('repeat') ?? '');
    const t = messages(this.lang);
    if (current === '') return this.#show({ text: t.password.currentMissing, field: 'current' });
    if (next.length < MIN_LENGTH) return this.#show({ text: t.password.weak['too_short']!, field: 'next' });
    if (next !== repeat) return this.#show({ text: t.password.mismatch, field: 'repeat' });
    this.busy = true;
    this.problem = null;
    try {
      const { agent } = await this.api.put<{ agent: Agent }>('/api/session/password', { currentPassword: current, newPassword: next });
      this.dispatchEvent(new CustomEvent<Agent>('cc-password-changed', { detail: agent, bubbles: true, composed: true }));
    } catch (err) {
      this.#show(this.#explain(err));
    } finally {
      this.busy = false;
    }
  }

  #explain(err: unknown): NonNullable<CcPasswordChange['problem']> {
    const t = messages(this.lang);
    if (err instanceof ApiError && err.code === 'CC_ERR_AUTH_INVALID') return { text: t.password.invalidCurrent, field: 'current' };
    if (err instanceof ApiError && err.code === 'CC_ERR_AUTH_PASSWORD_WEAK') {
      const reason = String(err.details['reason'] ?? '');
      return { text: t.password.weak[reason] ?? t.password.weakOther, field: 'next' };
    }
    return { text: errorText(err, t), field: null };
  }

  #show(problem: NonNullable<CcPasswordChange['problem']>): void {
    this.problem = problem;
    if (problem.field !== null) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`input[name=${problem.field}]`)?.focus());
  }
}

declare global {
  interface HTMLElementTagNameMap { 'cc-password-change': CcPasswordChange }
}
