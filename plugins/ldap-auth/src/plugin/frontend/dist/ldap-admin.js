// <cas-ldap-admin>: the directory page for operators and admins, mounted by the admin page at
// #/ext/ldap-auth/directory inside the plugin's sandboxed frame.
//
// Three tasks, each one call of the plugin's API through the host (the frame itself may not
// connect anywhere): test the connection with the configured settings, search the directory's
// users, import the selected ones into the host. The host and the plugin both refuse callers
// without role operator or admin; the page only shows what the API answers.
//
// Controls are the host's shared components (<cas-button>, <cas-input>, <cas-table>), which render
// native elements with the ids given here into this element's shadow root.
//
// Everything from the directory or the server (names, e-mail addresses, messages) becomes text
// nodes, never markup. The bind password is never asked for, held or shown here: it is a secret
// of the plugin's configuration, and the plugin's messages never contain it.

import { host } from '/ui/plugin-host.js';
import '/ui/components/index.js';

const sheet = new CSSStyleSheet();
sheet.replaceSync(`
  :host {
    display: block; font: 14px/1.45 system-ui, sans-serif; color: var(--cas-fg);
  }
  section { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.75rem 1rem; margin: 0 0 1rem; }
  h2 { font-size: 1.05rem; margin: 0 0 0.5rem; }
  p.hint { color: #57606a; margin: 0 0 0.5rem; }
  form { display: flex; gap: 0.5rem; align-items: end; flex-wrap: wrap; margin: 0.25rem 0; }
  cas-input { min-width: 16rem; }
  cas-table { margin: 0.5rem 0; }
  .outcome { margin-top: 0.5rem; padding: 0.5rem 0.75rem; border-radius: 4px; white-space: pre-wrap; }
  .outcome:empty { display: none; }
  .ok { background: #dafbe1; }
  .error { background: #ffebe9; }
  .note { background: #fff8c5; }
  .code { font-family: ui-monospace, monospace; font-weight: 600; margin-right: 0.5rem; }
`);

/** h('td', {class: 'x'}, 'text', child): an element whose string children become text nodes. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** A toast in the admin page, besides the outcome this page shows itself (which a failed toast keeps). */
function toast(message, options) {
  try {
    host.toast(message, options);
  } catch (e) {
    console.warn('the host did not show the toast:', e);
  }
}

/**
 * Calls the plugin's API through the host: answers the envelope's data, or throws the host's
 * HostError with the plugin's (or, when the host refused the call first, the host's) code and
 * message.
 */
function call(method, path, body) {
  return host.json(path, body === undefined ? {method} : {method, json: body});
}

export class CasLdapAdmin extends HTMLElement {
  #root;
  #table;
  #selected = new Set();

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.adoptedStyleSheets = [sheet];
  }

  async connectedCallback() {
    await host.ready;
    this.#render();
  }

  #render() {
    this.#table = h('cas-table', { caption: 'Directory users', empty: 'No user to show yet: search first.', 'body-id': 'user-rows' });
    this.#table.columns = [
      { key: 'pick', label: 'Import', sortable: false, render: (u) => this.#checkbox(u.username) },
      { key: 'username', label: 'Username' },
      { key: 'displayName', label: 'Display name' },
      { key: 'email', label: 'E-mail' },
    ];
    this.#table.rowAttributes = (u) => ({ 'data-username': u.username });
    this.#root.replaceChildren(
      h('section', { id: 'connection' },
        h('h2', {}, 'Connection'),
        h('p', { class: 'hint' },
          'Connects to the configured server, binds with the configured service account and reads the base DN. ' +
          'Change the settings on the plugin\'s Configuration tab; the bind password is never shown.'),
        h('cas-button', { 'control-id': 'test-connection', onclick: () => this.#test() }, 'Test connection'),
        h('div', { id: 'connection-result', class: 'outcome', role: 'status' })),
      h('section', { id: 'search' },
        h('h2', {}, 'Directory users'),
        h('form', { id: 'search-form', onsubmit: (e) => { e.preventDefault(); this.#search(); } },
          h('cas-input', { label: 'Username contains', 'control-id': 'user-query', placeholder: 'empty: everyone' }),
          h('cas-button', { 'control-id': 'search-users', type: 'submit' }, 'Search')),
        h('div', { id: 'search-result', class: 'outcome', role: 'status' }),
        h('cas-input', { label: 'Select all', type: 'checkbox', 'control-id': 'select-all', onchange: (e) => this.#selectAll(e.target.checked) }),
        this.#table,
        h('form', { id: 'import-form', onsubmit: (e) => { e.preventDefault(); this.#import(); } },
          h('cas-button', { 'control-id': 'import-users', type: 'submit', disabled: true }, 'Import selected')),
        h('div', { id: 'import-result', class: 'outcome', role: 'status' })));
  }

  #checkbox(username) {
    const box = h('input', { type: 'checkbox', class: 'pick', 'aria-label': `Select ${username}`, onchange: (e) => this.#pick(username, e.target.checked) });
    box.checked = this.#selected.has(username);
    return box;
  }

  #$(id) {
    return this.#root.getElementById(id);
  }

  /** Shows an outcome: 'ok', 'note' or 'error' (with the plugin's code before its message). */
  #show(id, kind, message, code) {
    const box = this.#$(id);
    box.className = `outcome ${kind}`;
    box.dataset.outcome = kind;
    box.replaceChildren(...(code ? [h('span', { class: 'code' }, code), ' '] : []), h('span', { class: 'message' }, message));
  }

  /** The <cas-button> around the native button of this id. */
  #button(id) {
    return this.#$(id).closest('cas-button');
  }

  async #busy(button, action) {
    button.disabled = true;
    try {
      await action();
    } finally {
      button.disabled = false;
    }
  }

  #test() {
    return this.#busy(this.#button('test-connection'), async () => {
      this.#show('connection-result', 'note', 'Connecting…');
      try {
        const check = await call('POST', '/test');
        this.#show('connection-result', 'ok',
          `Connected to ${check.serverUrl} and bound as ${check.boundAs} (TLS: ${check.tls}); base DN ${check.baseDn} exists.`);
      } catch (e) {
        this.#show('connection-result', 'error', e.message, e.code);
      }
    });
  }

  #search() {
    return this.#busy(this.#button('search-users'), async () => {
      const query = this.#$('user-query').value.trim();
      try {
        const page = await call('GET', query ? `/users?query=${encodeURIComponent(query)}` : '/users');
        this.#showUsers(page.users, page.truncated);
      } catch (e) {
        this.#showUsers([], false);
        this.#show('search-result', 'error', e.message, e.code);
      }
    });
  }

  #showUsers(users, truncated) {
    this.#selected.clear();
    this.#$('select-all').checked = false;
    this.#table.rows = users;
    this.#updateImport();
    const count = `${users.length} user${users.length === 1 ? '' : 's'} found`;
    this.#show('search-result', users.length ? 'ok' : 'note',
      truncated ? `${count}; the list stops at the configured search size limit` : count);
  }

  #pick(username, on) {
    if (on) this.#selected.add(username);
    else this.#selected.delete(username);
    this.#updateImport();
  }

  #selectAll(on) {
    for (const u of this.#table.rows) this.#pick(u.username, on);
    this.#table.rows = this.#table.rows;
  }

  #updateImport() {
    const n = this.#selected.size;
    this.#button('import-users').disabled = n === 0;
    this.#$('import-users').textContent = n ? `Import ${n} selected` : 'Import selected';
  }

  async #import() {
    const usernames = [...this.#selected];
    if (usernames.length === 0) return;
    await this.#busy(this.#button('import-users'), async () => {
      try {
        const outcome = await call('POST', '/import', { usernames });
        const lines = [];
        const imported = outcome.imported.map((u) => u.username);
        lines.push(imported.length ? `Imported ${imported.join(', ')} (role user).` : 'Nobody was imported.');
        if (outcome.notFound.length) lines.push(`Not in the directory: ${outcome.notFound.join(', ')}.`);
        if (outcome.refused.length) {
          lines.push(`Refused: ${outcome.refused.join(', ')} — a host account of that name exists that ldap-auth did not create.`);
        }
        this.#show('import-result', outcome.refused.length || outcome.notFound.length ? 'note' : 'ok', lines.join('\n'));
        if (imported.length) toast(`Imported ${imported.length} user${imported.length === 1 ? '' : 's'}`, { level: 'success' });
      } catch (e) {
        this.#show('import-result', 'error', e.message, e.code);
      }
    });
    this.#updateImport();
  }
}

customElements.define('cas-ldap-admin', CasLdapAdmin);
