// <cas-select label="Alignment" name="a" value="left" required help="" control-id="x">
//   <option value="left">Left</option> …
// </cas-select>
// or options set as a property: select.options = [{value: 'left', label: 'Left'}, 'right'].
// A labelled native <select> (keyboard and screen readers as the browser does them).
import {adopt, define, el, sheet, theme} from './base.js';
import {fieldParts} from './input.js';

const styles = sheet('cas-select { display: grid; gap: .2rem; }');

export class CasSelect extends HTMLElement {
  static observedAttributes = ['error', 'help', 'disabled'];

  connectedCallback() {
    adopt(this, theme, styles);
    if (this.select) return;
    this.select = el('select', {name: this.getAttribute('name')});
    this.select.required = this.hasAttribute('required');
    this.select.append(...this.querySelectorAll('option'));
    if (this.pendingOptions) this.options = this.pendingOptions;
    const {label, help, error} = fieldParts(this, this.select, this.getAttribute('label') ?? '');
    Object.assign(this, {helpEl: help, errorEl: error});
    this.replaceChildren(label, this.select, help, error);
    if (this.pendingValue !== undefined) this.value = this.pendingValue;
    else if (this.hasAttribute('value')) this.select.value = this.getAttribute('value');
    this.sync();
  }

  attributeChangedCallback() {
    if (this.select) this.sync();
  }

  sync() {
    this.helpEl.textContent = this.getAttribute('help') ?? '';
    this.error = this.getAttribute('error') ?? '';
    this.select.disabled = this.hasAttribute('disabled');
  }

  /** Options as values or {value, label}; replaces the current ones. */
  set options(list) {
    if (!this.select) {
      this.pendingOptions = list;
      return;
    }
    this.select.replaceChildren(...list.map((o) => {
      const {value, label} = typeof o === 'object' && o !== null ? o : {value: o, label: o};
      return el('option', {value: String(value)}, String(label ?? value));
    }));
  }

  get control() {
    return this.select;
  }

  get value() {
    return this.select ? this.select.value : (this.pendingValue ?? this.getAttribute('value') ?? '');
  }

  set value(v) {
    if (this.select) this.select.value = v ?? '';
    else this.pendingValue = v;
  }

  set error(message) {
    if (!this.errorEl) return;
    this.errorEl.textContent = message ?? '';
    if (message) this.select.setAttribute('aria-invalid', 'true');
    else this.select.removeAttribute('aria-invalid');
  }

  get error() {
    return this.errorEl?.textContent ?? '';
  }

  focus(options) {
    this.select?.focus(options);
  }
}

define('cas-select', CasSelect);
