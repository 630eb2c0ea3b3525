import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { base } from '../styles.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/**
 * The DTMF keypad: a click or the key itself (while the pad has focus) fires `cc-dtmf` with the
 * key, for the phone to send into the call.
 */
@customElement('cc-dialpad')
export class CcDialpad extends LitElement {
  static override styles = [base, css`
    :host { display: grid; grid-template-columns: repeat(3, 44px); gap: 6px; }
    button { min-height: 40px; font-size: 16px; font-variant-numeric: tabular-nums; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.#onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.#onKey);
  }

  override render() {
    return KEYS.map((k) => html`<button type="button" data-key=${k} @click=${() => this.#press(k)}>${k}</button>`);
  }

  readonly #onKey = (e: KeyboardEvent) => {
    if ((KEYS as readonly string[]).includes(e.key)) {
      e.preventDefault();
      this.#press(e.key);
    }
  };

  #press(key: string) {
    this.dispatchEvent(new CustomEvent('cc-dtmf', { detail: key, bubbles: true, composed: true }));
  }
}
