import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import type { Static } from '@sinclair/typebox';
import type { TrunksReply as TrunksReplySchema } from '../../../server/trunks/schemas.js';
import { adminStyles } from '../admin.js';
import { createApi, type Api } from '../api.js';
import { apiContext, langContext } from '../context.js';
import { instant } from '../format.js';
import { messages, type Lang } from '../i18n/index.js';
import { base, errorText } from '../styles.js';

/** GET /api/trunks: the carriers' trunks and the calls refused for matching none (the server's schema). */
export type TrunksReply = Static<typeof TrunksReplySchema>;

/** How often the view asks again: registration states change by themselves (the server polls Asterisk every 5 s). */
const REFRESH_MS = 10_000;

/**
 * The carriers' trunks as the server runs them (TRUNKS_FILE; read-only here, since Asterisk's
 * PJSIP objects are written from the file at start): where each is, its numbers and where they
 * go, its registration's state (a wrong password shows as rejected), and the calls Asterisk
 * refused because their address matches no trunk.
 */
@customElement('cc-trunk-admin')
export class CcTrunkAdmin extends LitElement {
  static override styles = [base, adminStyles, css`
    .badge.rejected { background: #fde2e1; color: #a4161a; }
    .badge.registered { background: #dff3e4; color: #1b5e20; }
  `];

  @consume({ context: apiContext }) @property({ attribute: false }) api: Api = createApi();
  @consume({ context: langContext, subscribe: true }) @property() override lang: Lang = 'ru';
  #timer: ReturnType<typeof setInterval> | undefined;

  private readonly load = new Task(this, {
    task: async (_args, { signal }) => this.api.get<TrunksReply>('/api/trunks', { signal }),
    args: () => [],
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.#timer = setInterval(() => void this.load.run(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#timer);
  }

  override render() {
    const t = messages(this.lang);
    return html`<section aria-labelledby="trunks-title">
      <div class="bar"><h2 id="trunks-title">${t.trunks.title}</h2></div>
      <p class="muted">${t.trunks.fromFile}</p>
      ${this.load.render({
        pending: () => (this.load.value === undefined ? html`<p class="muted">${t.common.loading}</p>` : this.#body(this.load.value)),
        complete: (reply) => this.#body(reply),
        error: (err) => html`<div class="alert" role="alert">${errorText(err, t)} <button @click=${() => void this.load.run()}>${t.common.retry}</button></div>`,
      })}
    </section>`;
  }

  #body(reply: TrunksReply) {
    const t = messages(this.lang);
    const k = t.trunks;
    return html`<table>
      <thead><tr><th>${k.name}</th><th>${k.address}</th><th>${k.numbers}</th><th>${k.registration}</th><th>${k.outbound}</th></tr></thead>
      <tbody>${reply.trunks.map((x) => html`<tr data-trunk=${x.name}>
        <td>${x.name}</td>
        <td class="nowrap">${x.transport.toUpperCase()} ${x.host}:${x.port}${x.match.length > 0 ? html`<br><span class="muted">${k.matches} ${x.match.join(', ')}</span>` : nothing}</td>
        <td>${x.dids.map((d) => html`<div>${d.number} → ${k.entry(d.entry)}</div>`)}<div class="muted">${k.other} → ${k.entry(x.defaultEntry)}</div></td>
        <td data-field="registration">${x.registration === null ? html`<span class="muted">${k.noRegistration}</span>`
          : html`<span class="badge ${x.registration.state}" data-state=${x.registration.state}>${k.state[x.registration.state]}</span>
            ${x.registration.since === null ? nothing : html`<div class="muted">${k.since} ${instant(x.registration.since, this.lang)}</div>`}`}</td>
        <td>${x.outbound ? t.common.yes : t.common.no}</td>
      </tr>`)}</tbody>
    </table>
    <h3>${k.refusedTitle}</h3>
    ${!reply.refused.watching ? html`<p class="muted">${k.notWatching}</p>`
      : reply.refused.total === 0 ? html`<p class="muted" data-testid="refused-none">${k.noneRefused}</p>`
      : html`<table data-testid="refused">
        <thead><tr><th>${k.refusedAddress}</th><th class="num">${k.refusedCount}</th><th>${k.refusedLast}</th></tr></thead>
        <tbody>${reply.refused.byAddress.map((a) => html`<tr data-address=${a.address}><td>${a.address}</td><td class="num">${a.count}</td><td>${instant(a.lastAt, this.lang)} · ${a.lastFrom}</td></tr>`)}</tbody>
      </table>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'cc-trunk-admin': CcTrunkAdmin }
}
