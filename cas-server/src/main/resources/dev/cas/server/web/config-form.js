// <cas-config-form>: a form generated from the plugin's configSchema (string, integer, number,
// boolean, enum; required, minimum/maximum, pattern, default, description). Secret fields are
// write-only: never filled with a stored value (the API never returns one), sent only when typed
// in. The host validates; its problems ("[key] must be at most 72 but was 200") are shown under
// their field.
import {call, get} from './api.js';
import {errorBox, h, replace} from './dom.js';

function hint(f) {
  const parts = [];
  if (f.type) parts.push(f.type === 'enum' ? 'one of the list' : f.type);
  if (f.required) parts.push('required');
  if (f.minimum != null) parts.push(`at least ${f.minimum}`);
  if (f.maximum != null) parts.push(`at most ${f.maximum}`);
  if (f.pattern) parts.push(`matches ${f.pattern}`);
  if (f.default != null && !f.secret) parts.push(`default ${JSON.stringify(f.default)}`);
  return parts.join(' · ');
}

class CasConfigForm extends HTMLElement {
  async connectedCallback() {
    replace(this, h('p', {class: 'muted'}, 'Loading the configuration…'));
    try {
      this.render(await get(`/api/plugins/${encodeURIComponent(this.plugin)}/config`));
    } catch (e) {
      replace(this, errorBox(e, 'Cannot read the configuration'));
    }
  }

  render(config) {
    const schema = config.schema ?? {};
    // The manifest's key order does not survive the host (its schema is a map): required fields
    // first, then by name, so the form looks the same every time.
    const keys = Object.keys(schema).sort((a, b) =>
      Number(Boolean(schema[b].required)) - Number(Boolean(schema[a].required)) || a.localeCompare(b));
    if (!keys.length) {
      replace(this, h('p', {class: 'muted'}, 'This plugin has no configuration.'));
      return;
    }
    this.inputs = {};
    this.errors = {};
    const fields = keys.map((key) => {
      const f = schema[key];
      const id = `config-${key}`;
      const value = config.values?.[key];
      let input;
      if (f.secret) {
        const set = (config.secretsSet ?? []).includes(key);
        input = h('input', {id, type: 'password', autocomplete: 'new-password',
          placeholder: set ? 'set — type a new value to replace it' : 'not set'});
      } else if (f.type === 'boolean') {
        input = h('input', {id, type: 'checkbox'});
        input.checked = Boolean(value);
      } else if (f.type === 'enum') {
        input = h('select', {id}, (f.enum ?? []).map((v) => h('option', {value: String(v)}, String(v))));
        if (!f.required) input.prepend(h('option', {value: ''}, '(default)'));
        input.value = value === undefined || value === null ? '' : String(value);
      } else {
        input = h('input', {id, type: 'text', inputmode: f.type === 'integer' || f.type === 'number' ? 'decimal' : null});
        input.value = value === undefined || value === null ? '' : String(value);
      }
      input.name = key;
      this.inputs[key] = {input, field: f};
      this.errors[key] = h('div', {class: 'field-error', id: `${id}-error`, role: 'alert'});
      return h('div', {class: 'field', dataset: {key}},
        h('label', {for: id}, key, f.required ? h('span', {class: 'required', title: 'required'}, ' *') : null,
          f.secret ? h('span', {class: 'secret-tag'}, ' secret, write-only') : null),
        input,
        h('div', {class: 'hint'}, f.description ?? '', f.description ? ' — ' : '', hint(f)),
        this.errors[key]);
    });
    this.summary = h('div', {id: 'config-summary'});
    const form = h('form', {class: 'config-form', id: 'config-form', novalidate: true}, fields, this.summary,
      h('button', {type: 'submit', id: 'save-config'}, 'Save configuration'));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    replace(this, form);
  }

  values() {
    const out = {};
    for (const [key, {input, field}] of Object.entries(this.inputs)) {
      if (field.secret) {
        if (input.value !== '') out[key] = input.value;
      } else if (field.type === 'boolean') {
        out[key] = input.checked;
      } else if (input.value === '') {
        out[key] = null;
      } else if ((field.type === 'integer' || field.type === 'number') && /^-?\d+(\.\d+)?$/.test(input.value.trim())) {
        out[key] = Number(input.value.trim());
      } else {
        // Sent as typed: the host names what is wrong with it.
        out[key] = input.value;
      }
    }
    return out;
  }

  async save() {
    for (const el of Object.values(this.errors)) replace(el);
    replace(this.summary);
    try {
      const env = await call('PUT', `/api/plugins/${encodeURIComponent(this.plugin)}/config`, this.values());
      this.render(env.data);
      replace(this.summary, h('p', {class: 'saved', id: 'config-saved'}, 'Saved.'));
    } catch (e) {
      // "invalid configuration for plugin [x]: [a] must …; [b] is required"
      const problems = (e.message.split(': ').slice(1).join(': ') || e.message).split('; ');
      const unplaced = [];
      for (const p of problems) {
        const key = p.match(/^\[([^\]]+)\]/)?.[1];
        if (key && this.errors[key]) this.errors[key].append(h('div', {}, p));
        else unplaced.push(p);
      }
      replace(this.summary, errorBox(unplaced.length ? {code: e.code, message: unplaced.join('; ')} : {code: e.code, message: 'See the fields marked above; nothing was saved.'}, 'Not saved'));
    }
  }
}

customElements.define('cas-config-form', CasConfigForm);
