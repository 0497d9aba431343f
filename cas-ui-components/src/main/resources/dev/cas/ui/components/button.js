// <cas-button variant="primary|secondary|danger" type="button|submit|reset" disabled>Text</cas-button>
// A native <button> inside (keyboard, focus and form submission as the browser does them); the
// element's children become the button's content. The attributes are kept in step with it.
import {adopt, define, el, sheet, theme} from './base.js';

const styles = sheet(`
cas-button { display: inline-block; }
.cas-btn { font: inherit; padding: .35rem .8rem; border-radius: var(--cas-radius); cursor: pointer;
  border: 1px solid var(--cas-accent); background: var(--cas-accent); color: #fff; }
.cas-btn[data-variant=secondary] { background: var(--cas-bg); color: var(--cas-accent); }
.cas-btn[data-variant=danger] { background: var(--cas-bad); border-color: var(--cas-bad); }
.cas-btn:disabled { opacity: .5; cursor: not-allowed; }
`);

export class CasButton extends HTMLElement {
  static observedAttributes = ['variant', 'type', 'disabled', 'control-id'];

  connectedCallback() {
    adopt(this, theme, styles);
    if (!this.button) {
      this.button = el('button', {class: 'cas-btn'});
      this.button.append(...this.childNodes);
      this.append(this.button);
    }
    this.sync();
  }

  attributeChangedCallback() {
    if (this.button) this.sync();
  }

  sync() {
    const b = this.button;
    b.type = this.getAttribute('type') ?? 'button';
    b.disabled = this.hasAttribute('disabled');
    b.dataset.variant = this.getAttribute('variant') ?? 'primary';
    if (this.hasAttribute('control-id')) b.id = this.getAttribute('control-id');
  }

  /** The native button (its id is the control-id attribute, for labels and tests). */
  get control() {
    return this.button;
  }

  get disabled() {
    return this.hasAttribute('disabled');
  }

  set disabled(value) {
    this.toggleAttribute('disabled', Boolean(value));
  }

  focus(options) {
    this.button?.focus(options);
  }
}

define('cas-button', CasButton);
