// The gallery at /ui/gallery: every component of /ui/components in its states, as plugin authors
// and the admin page use them (docs/ui-components.md). It needs no sign-in and calls no API.
import {toast} from '/ui/components/index.js';
import {h, replace} from './dom.js';

function section(title, id, ...content) {
  return h('section', {class: 'card', id}, h('h2', {}, title), ...content);
}

function buttons() {
  return section('Button', 'gallery-button',
    h('div', {class: 'actions'},
      h('cas-button', {id: 'button-primary'}, 'Primary'),
      h('cas-button', {variant: 'secondary', id: 'button-secondary'}, 'Secondary'),
      h('cas-button', {variant: 'danger', id: 'button-danger'}, 'Danger'),
      h('cas-button', {disabled: true, id: 'button-disabled'}, 'Disabled')));
}

function inputs() {
  return section('Input and select', 'gallery-input',
    h('cas-input', {label: 'Name', 'control-id': 'input-name', help: 'Shown under the field.', placeholder: 'e.g. Ada'}),
    h('cas-input', {label: 'Required', 'control-id': 'input-required', required: true}),
    h('cas-input', {label: 'With an error', 'control-id': 'input-error', value: 'x', error: 'this value is refused'}),
    h('cas-input', {label: 'Password', 'control-id': 'input-password', type: 'password', autocomplete: 'off'}),
    h('cas-input', {label: 'A checkbox', 'control-id': 'input-check', type: 'checkbox', checked: true}),
    h('cas-input', {label: 'Disabled', 'control-id': 'input-disabled', disabled: true, value: 'fixed'}),
    h('cas-select', {label: 'Alignment', 'control-id': 'select-alignment', help: 'A native select.', value: 'center'},
      h('option', {value: 'left'}, 'Left'), h('option', {value: 'center'}, 'Center'), h('option', {value: 'right'}, 'Right')));
}

function modal() {
  const dialog = h('cas-modal', {heading: 'Delete the notes?', id: 'gallery-modal'},
    h('p', {}, 'A modal dialog: Tab stays inside, Escape closes it, focus goes back.'),
    h('cas-input', {label: 'Type delete to confirm', 'control-id': 'modal-confirm'}),
    h('div', {class: 'actions'},
      h('cas-button', {variant: 'danger', 'data-close': 'ok', 'control-id': 'modal-ok'}, 'Delete'),
      h('cas-button', {variant: 'secondary', 'data-close': 'cancel', 'control-id': 'modal-cancel'}, 'Cancel')));
  const result = h('p', {id: 'modal-result', class: 'muted'}, 'Not opened yet.');
  dialog.addEventListener('cas-close', (e) => { result.textContent = `Closed with ${e.detail.value}.`; });
  const opener = h('cas-button', {'control-id': 'open-modal'}, 'Open the dialog');
  opener.addEventListener('click', () => dialog.open());
  return section('Modal', 'gallery-modal-section', opener, result, dialog);
}

function toasts() {
  const levels = ['info', 'success', 'warning', 'error'];
  return section('Toast', 'gallery-toast',
    h('p', {class: 'muted'}, 'toast(message, {level}) from /ui/components/toast.js.'),
    h('div', {class: 'actions'}, levels.map((level) => {
      const b = h('cas-button', {variant: 'secondary', 'control-id': `toast-${level}`}, `Show ${level}`);
      b.addEventListener('click', () => toast(`A notice of level ${level}.`, {level, timeout: 0}));
      return b;
    })));
}

function tables() {
  const columns = [
    {key: 'id', label: 'Plugin'},
    {key: 'version', label: 'Version'},
    {key: 'calls', label: 'Calls'},
    {key: 'state', label: 'State', sortable: false},
  ];
  const full = h('cas-table', {caption: 'Plugins', 'body-id': 'table-rows', id: 'gallery-table'});
  full.columns = columns;
  full.rowAttributes = (row) => ({dataset: {id: row.id}});
  full.rows = [
    {id: 'text-block', version: '1.0.0', calls: 120, state: 'active'},
    {id: 'ldap-auth', version: '2.1.0', calls: 7, state: 'inactive'},
    {id: 'rag-retrieval', version: '0.9.3', calls: 42, state: 'active'},
  ];
  const empty = h('cas-table', {caption: 'No rows', empty: 'No plugin is installed yet.', id: 'gallery-table-empty'});
  empty.columns = columns;
  empty.rows = [];
  return section('Table', 'gallery-table-section', full, h('h3', {}, 'Empty'), empty);
}

function schemaForm() {
  const form = h('cas-schema-form', {'id-prefix': 'demo-', 'submit-id': 'demo-save', 'submit-label': 'Save settings', id: 'gallery-form'});
  form.schema = {
    title: {type: 'string', required: true, description: 'Shown above each block.'},
    fontSize: {type: 'integer', minimum: 8, maximum: 72, default: 14, description: 'In pixels.'},
    ratio: {type: 'number', minimum: 0, maximum: 1},
    code: {type: 'string', pattern: '[A-Z]{3}', description: 'Three capitals.'},
    enabled: {type: 'boolean', default: true},
    alignment: {type: 'enum', enum: ['left', 'center', 'right']},
    apiKey: {type: 'string', secret: true, description: 'Sent only when typed.'},
  };
  form.secretsSet = ['apiKey'];
  form.values = {title: 'Notes', fontSize: 14, enabled: true, alignment: 'left'};
  const output = h('pre', {id: 'form-output'}, 'Nothing submitted yet.');
  form.addEventListener('cas-submit', (e) => {
    output.textContent = JSON.stringify(e.detail.values);
    toast('Settings submitted.', {level: 'success', timeout: 0});
  });
  const serverErrors = h('cas-button', {variant: 'secondary', 'control-id': 'demo-server-errors'}, 'Show errors from the host');
  serverErrors.addEventListener('click', () => form.setErrors({
    title: '[title] is taken by another block',
    '': 'invalid configuration: the host refused it',
  }));
  return section('Form from a configSchema', 'gallery-form-section', form, serverErrors, output);
}

replace(document.getElementById('gallery'),
  h('h1', {}, 'UI components'),
  h('p', {}, 'The web components the host serves at /ui/components/ for its page and for plugin frontends.'),
  buttons(), inputs(), modal(), toasts(), tables(), schemaForm());
