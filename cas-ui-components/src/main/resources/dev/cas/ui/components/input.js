// <cas-input label="Name" name="n" type="text|number|password|email|checkbox" value="" required
//   placeholder="" help="Shown under the field" error="" min max pattern control-id="x">
// A labelled native input with its help text and error message, both tied to it through
// aria-describedby; an error sets aria-invalid. The error element's id is "<control-id>-error".
import {adopt, define, el, sheet, theme, uid} from './base.js';

const styles = sheet(`
cas-input, cas-select { display: grid; gap: .2rem; }
cas-input[data-type=checkbox] .cas-check { display: flex; gap: .4rem; align-items: center; }
`);

const PASSED = ['name', 'placeholder', 'min', 'max', 'step', 'pattern', 'autocomplete', 'inputmode'];

/** Builds the label, help and error of a field around a control; shared with <cas-select>. */
export function fieldParts(host, control, labelText) {
  const id = host.getAttribute('control-id') ?? uid('cas-field');
  control.id = id;
  control.classList.add('cas-control');
  const label = el('label', {class: 'cas-label', for: id}, labelText,
    host.hasAttribute('required') ? el('span', {class: 'cas-required', 'aria-hidden': 'true'}, ' *') : null);
  const help = el('div', {class: 'cas-help', id: `${id}-help`});
  const error = el('div', {class: 'cas-error', id: `${id}-error`, role: 'alert'});
  control.setAttribute('aria-describedby', `${id}-help ${id}-error`);
  return {id, label, help, error};
}

export class CasInput extends HTMLElement {
  static observedAttributes = ['error', 'help', 'label', 'disabled'];

  connectedCallback() {
    adopt(this, theme, styles);
    if (this.input) return;
    const type = this.getAttribute('type') ?? 'text';
    this.dataset.type = type;
    this.input = el('input', {type});
    for (const a of PASSED) if (this.hasAttribute(a)) this.input.setAttribute(a, this.getAttribute(a));
    this.input.required = this.hasAttribute('required');
    if (type === 'checkbox') this.input.checked = this.hasAttribute('checked');
    else if (this.hasAttribute('value')) this.input.value = this.getAttribute('value');
    const {label, help, error} = fieldParts(this, this.input, this.getAttribute('label') ?? '');
    Object.assign(this, {labelEl: label, helpEl: help, errorEl: error});
    if (type === 'checkbox') this.replaceChildren(el('div', {class: 'cas-check'}, this.input, label), help, error);
    else this.replaceChildren(label, this.input, help, error);
    this.sync();
  }

  attributeChangedCallback() {
    if (this.input) this.sync();
  }

  sync() {
    this.helpEl.textContent = this.getAttribute('help') ?? '';
    this.error = this.getAttribute('error') ?? '';
    this.input.disabled = this.hasAttribute('disabled');
    const label = this.getAttribute('label') ?? '';
    if (this.labelEl.firstChild?.nodeType === Node.TEXT_NODE) this.labelEl.firstChild.textContent = label;
  }

  /** The native input. */
  get control() {
    return this.input;
  }

  get value() {
    return this.input?.type === 'checkbox' ? this.input.checked : (this.input?.value ?? this.getAttribute('value') ?? '');
  }

  set value(v) {
    if (this.input?.type === 'checkbox') this.input.checked = Boolean(v);
    else if (this.input) this.input.value = v ?? '';
    else this.setAttribute('value', v ?? '');
  }

  /** Shows a message under the field (empty clears it); the field is marked invalid meanwhile. */
  set error(message) {
    if (!this.errorEl) {
      this.setAttribute('error', message ?? '');
      return;
    }
    this.errorEl.textContent = message ?? '';
    if (message) this.input.setAttribute('aria-invalid', 'true');
    else this.input.removeAttribute('aria-invalid');
  }

  get error() {
    return this.errorEl?.textContent ?? '';
  }

  focus(options) {
    this.input?.focus(options);
  }
}

define('cas-input', CasInput);
