// <cas-schema-form id-prefix="config-" submit-label="Save configuration" submit-id="save-config">
// form.schema = manifest.configSchema;   // key → {type, required, default, description, enum,
//                                        //         minimum, maximum, pattern, secret}
// form.values = {key: storedValue};      // secrets are never among them
// form.secretsSet = ['bindPassword'];    // which secrets have a stored value
// form.addEventListener('cas-submit', (e) => save(e.detail.values));
// form.setErrors({fontSize: '[fontSize] must be at most 72 but was 200'});
//
// One labelled control per key (docs/FORMAT.md, configSchema): string → text, integer/number →
// text with a numeric keyboard, boolean → checkbox, enum → select. The description and the
// limits are the help text. Secret keys are write-only password fields: never filled with a value,
// their placeholder says whether one is stored, and they are sent only when typed in. Before
// cas-submit the form checks what the host checks, in the host's words (ConfigValidator), and
// shows each problem under its field; the host stays the judge, and its answers go through
// setErrors.
import {adopt, define, el, sheet, theme} from './base.js';
import './button.js';
import './input.js';
import './select.js';

const styles = sheet(`
cas-schema-form form { display: grid; gap: .8rem; max-width: 40rem; }
.cas-form-summary:empty { display: none; }
.cas-form-summary { color: var(--cas-bad); border: 1px solid var(--cas-bad); border-radius: 6px; padding: .5rem .8rem; }
.cas-secret-tag { color: var(--cas-warn); }
`);

const SET = 'set — type a new value to replace it';
const NOT_SET = 'not set';
const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function hint(f) {
  const parts = [];
  if (f.type) parts.push(f.type === 'enum' ? 'one of the list' : f.type);
  if (f.required) parts.push('required');
  if (f.minimum != null) parts.push(`at least ${f.minimum}`);
  if (f.maximum != null) parts.push(`at most ${f.maximum}`);
  if (f.pattern) parts.push(`matches ${f.pattern}`);
  if (f.default != null && !f.secret) parts.push(`default ${JSON.stringify(f.default)}`);
  if (f.secret) parts.push('secret, write-only');
  return [f.description, parts.join(' · ')].filter(Boolean).join(' — ');
}

/** A pattern as the host applies it (the whole value must match); null when JS cannot read it. */
function fullMatch(pattern) {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return null;
  }
}

export class CasSchemaForm extends HTMLElement {
  constructor() {
    super();
    // Maps without a prototype: a configSchema key such as constructor or __proto__ is only a key
    // (with {} it read Object's own members as the stored value).
    this._schema = Object.create(null);
    this._values = Object.create(null);
    this._secretsSet = [];
  }

  connectedCallback() {
    adopt(this, theme, styles);
    this.render();
  }

  set schema(s) {
    this._schema = Object.assign(Object.create(null), s ?? {});
    this.render();
  }

  get schema() {
    return this._schema;
  }

  /** The stored values; setting them re-renders the form (typed secrets are cleared). */
  set values(v) {
    this._values = Object.assign(Object.create(null), v ?? {});
    this.render();
  }

  set secretsSet(keys) {
    this._secretsSet = [...(keys ?? [])];
    this.render();
  }

  get prefix() {
    return this.getAttribute('id-prefix') ?? 'field-';
  }

  /** Keys in a stable order: required first, then by name (a manifest's order is not kept). */
  keys() {
    const s = this._schema;
    return Object.keys(s).sort((a, b) =>
      Number(Boolean(s[b].required)) - Number(Boolean(s[a].required)) || a.localeCompare(b));
  }

  render() {
    if (!this.isConnected) return;
    const keys = this.keys();
    this.fields = Object.create(null);
    if (!keys.length) {
      this.replaceChildren(el('p', {class: 'cas-help'}, this.getAttribute('empty') ?? 'Nothing to configure.'));
      return;
    }
    this.summary = el('div', {class: 'cas-form-summary', role: 'alert'});
    const form = el('form', {novalidate: true, id: this.getAttribute('form-id')},
      keys.map((key) => this.field(key)), this.summary,
      el('div', {}, el('cas-button', {type: 'submit', 'control-id': this.getAttribute('submit-id')},
        this.getAttribute('submit-label') ?? 'Save')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.replaceChildren(form);
  }

  field(key) {
    const f = this._schema[key];
    const value = this._values[key];
    const common = {'control-id': `${this.prefix}${key}`, name: key, label: key, help: hint(f),
      required: Boolean(f.required), dataset: {key}};
    let control;
    if (f.secret) {
      control = el('cas-input', {...common, type: 'password', autocomplete: 'new-password',
        placeholder: this._secretsSet.includes(key) ? SET : NOT_SET});
    } else if (f.type === 'boolean') {
      control = el('cas-input', {...common, type: 'checkbox', checked: Boolean(value ?? f.default)});
    } else if (f.type === 'enum') {
      control = el('cas-select', common);
      const options = (f.enum ?? []).map((v) => ({value: String(v), label: String(v)}));
      control.options = f.required ? options : [{value: '', label: '(default)'}, ...options];
      control.value = value === undefined || value === null ? '' : String(value);
    } else {
      control = el('cas-input', {...common, type: 'text',
        inputmode: f.type === 'integer' ? 'numeric' : f.type === 'number' ? 'decimal' : null,
        value: value === undefined || value === null ? '' : String(value)});
    }
    this.fields[key] = {control, field: f};
    return control;
  }

  /** The values to send: typed secrets only; empty fields as null (the host's default applies). */
  collect() {
    const out = Object.create(null);
    for (const [key, {control, field}] of Object.entries(this.fields)) {
      const raw = control.value;
      if (field.secret) {
        if (raw !== '') out[key] = raw;
      } else if (field.type === 'boolean') {
        out[key] = Boolean(raw);
      } else if (raw.trim() === '') {
        out[key] = null;
      } else if (field.type === 'integer' && INTEGER.test(raw.trim())) {
        out[key] = Number(raw.trim());
      } else if (field.type === 'number' && NUMBER.test(raw.trim())) {
        out[key] = Number(raw.trim());
      } else {
        out[key] = field.type === 'string' || field.type === 'enum' ? raw : raw.trim();
      }
    }
    return out;
  }

  /** What the host would refuse, per key, in its words. */
  check(values) {
    const problems = Object.create(null);
    for (const [key, {field}] of Object.entries(this.fields)) {
      const v = values[key];
      const stored = field.secret && this._secretsSet.includes(key);
      if (v === null || v === undefined) {
        if (field.required && field.default == null && !stored) problems[key] = `[${key}] is required`;
        continue;
      }
      const shown = field.secret ? '(secret)' : v;
      if (field.type === 'integer' && !(typeof v === 'number' && Number.isInteger(v))) {
        problems[key] = `[${key}] must be an integer but was [${shown}]`;
      } else if (field.type === 'number' && typeof v !== 'number') {
        problems[key] = `[${key}] must be a number but was [${shown}]`;
      } else if (typeof v === 'number' && field.minimum != null && v < field.minimum) {
        problems[key] = `[${key}] must be at least ${field.minimum} but was ${v}`;
      } else if (typeof v === 'number' && field.maximum != null && v > field.maximum) {
        problems[key] = `[${key}] must be at most ${field.maximum} but was ${v}`;
      } else if (typeof v === 'string' && field.pattern && !(fullMatch(field.pattern)?.test(v) ?? true)) {
        problems[key] = `[${key}] must match ${field.pattern}${field.secret ? '' : ` but was [${v}]`}`;
      }
    }
    return problems;
  }

  submit() {
    this.clearErrors();
    const values = this.collect();
    const problems = this.check(values);
    if (Object.keys(problems).length) {
      this.setErrors(problems);
      return;
    }
    this.dispatchEvent(new CustomEvent('cas-submit', {bubbles: true, detail: {values: {...values}}}));
  }

  /**
   * Shows problems under their fields: {key: message} (a key not in the schema, or '', goes to the
   * summary above the button). Focus moves to the first field with a problem.
   */
  setErrors(errors) {
    this.clearErrors();
    const general = [];
    let first = null;
    for (const key of Object.keys(errors ?? {})) {
      const message = [errors[key]].flat().join('; ');
      const target = this.fields && Object.hasOwn(this.fields, key) ? this.fields[key] : null;
      if (target) {
        target.control.error = message;
        first ??= target.control;
      } else {
        general.push(message);
      }
    }
    if (this.summary) {
      this.summary.textContent = general.length ? general.join('; ')
        : Object.keys(errors ?? {}).length ? 'See the fields marked above; nothing was saved.' : '';
    }
    for (const key of this.keys()) {
      if (this.fields[key] && this.fields[key].control.error) {
        first = this.fields[key].control;
        break;
      }
    }
    first?.focus();
  }

  clearErrors() {
    for (const {control} of Object.values(this.fields ?? {})) control.error = '';
    if (this.summary) this.summary.textContent = '';
  }
}

define('cas-schema-form', CasSchemaForm);
