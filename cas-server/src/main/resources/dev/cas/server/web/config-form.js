// <cas-config-form>: a plugin's configuration as the host's <cas-schema-form> (/ui/components):
// one labelled field per configSchema key; secret fields are write-only (never filled with a
// stored value, which the API never returns, and sent only when typed in). The form checks what
// the host checks before sending; the host's own refusal ("invalid configuration for plugin [x]:
// [a] must …; [b] is required") is split into its problems and shown under their fields.
import '/ui/components/index.js';
import {toast} from '/ui/components/toast.js';
import {call, get} from './api.js';
import {errorBox, h, replace} from './dom.js';

/** The host's refusal as {key: message}; problems naming no field go under ''. */
export function problemsByKey(message, known) {
  const problems = (message.split(': ').slice(1).join(': ') || message).split('; ');
  const out = Object.create(null);
  for (const p of problems) {
    const key = p.match(/^\[([^\]]+)\]/)?.[1];
    const slot = key && known.includes(key) ? key : '';
    out[slot] = out[slot] ? `${out[slot]}; ${p}` : p;
  }
  return out;
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
    if (!Object.keys(schema).length) {
      replace(this, h('p', {class: 'muted'}, 'This plugin has no configuration.'));
      return;
    }
    this.summary = h('div', {id: 'config-summary'});
    this.form = h('cas-schema-form', {'id-prefix': 'config-', 'form-id': 'config-form',
      'submit-id': 'save-config', 'submit-label': 'Save configuration'});
    this.form.schema = schema;
    this.form.secretsSet = config.secretsSet ?? [];
    this.form.values = config.values ?? {};
    this.form.addEventListener('cas-submit', (e) => this.save(e.detail.values));
    replace(this, this.form, this.summary);
  }

  async save(values) {
    replace(this.summary);
    try {
      const env = await call('PUT', `/api/plugins/${encodeURIComponent(this.plugin)}/config`, values);
      this.render(env.data);
      replace(this.summary, h('p', {class: 'saved', id: 'config-saved'}, 'Saved.'));
      toast(`Configuration of ${this.plugin} saved.`, {level: 'success'});
    } catch (e) {
      const errors = problemsByKey(e.message, Object.keys(this.form.schema));
      if (errors[''] && e.code) errors[''] = `${e.code}: ${errors['']}`;
      this.form.setErrors(errors);
    }
  }
}

customElements.define('cas-config-form', CasConfigForm);
