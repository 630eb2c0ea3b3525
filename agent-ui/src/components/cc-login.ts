import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { SessionAgent } from '../../../server/auth/schemas.js';
import { ApiError, createApi, type Api } from '../api.js';
import { apiContext, langContext } from '../context.js';
import { messages, type Lang } from '../i18n/index.js';
import { base, errorText } from '../styles.js';

/** The sign-in form. On success it fires `cc-logged-in` with the agent; the cookie is HttpOnly. */
@customElement('cc-login')
export class CcLogin extends LitElement {
  static override styles = [base, css`
    :host { display: grid; place-items: center; min-height: 100vh; }
    form { width: 340px; display: grid; gap: 12px; }
    h1 { font-size: 18px; margin: 0 0 4px; }
    input { width: 100%; }
  `];

  @consume({ context: apiContext }) @property({ attribute: false }) api: Api = createApi();
  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  @state() private busy = false;
  @state() private error = '';

  override render() {
    const t = messages(this.lang).login;
    return html`
      <form class="panel" @submit=${this.#submit}>
        <h1>${t.title}</h1>
        <div><label for="u">${t.username}</label><input id="u" name="username" autocomplete="username" required autofocus></div>
        <div><label for="p">${t.password}</label><input id="p" name="password" type="password" autocomplete="current-password" required></div>
        ${this.error ? html`<div class="alert" role="alert">${this.error}</div>` : ''}
        <button class="primary" type="submit" ?disabled=${this.busy}>${t.submit}</button>
      </form>`;
  }

  async #submit(e: SubmitEvent) {
    e.preventDefault();
    if (this.busy) return;
    const form = new FormData(e.target as HTMLFormElement);
    const t = messages(this.lang);
    this.busy = true;
    this.error = '';
    try {
      const { agent } = await this.api.post<{ agent: SessionAgent }>('/api/session', { username: String(form.get('username')), password: String(form.get('password')) });
      this.dispatchEvent(new CustomEvent('cc-logged-in', { detail: agent, bubbles: true, composed: true }));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CC_ERR_AUTH_INVALID') this.error = t.login.invalid;
      else if (err instanceof ApiError && err.code === 'CC_ERR_AUTH_THROTTLED') this.error = t.login.throttled(Number(err.details['retryAfterS'] ?? 60));
      else this.error = errorText(err, t);
    } finally {
      this.busy = false;
    }
  }
}
