// <cas-plugin-list>: every installed plugin with its version, state, failure reason, signer and
// sandbox denials; filter by kind (system/application) and search by id, name or description; a
// <cas-table> sorts by any column.
import '/ui/components/index.js';
import {get} from './api.js';
import {badge, errorBox, h, replace} from './dom.js';
import {can} from './roles.js';

const STATE_KIND = {active: 'ok', inactive: 'muted', failed: 'bad', loaded: 'muted', resolved: 'muted'};
const SIGNER_KIND = {trusted: 'ok', untrusted: 'warn', unsigned: 'muted'};

export function stateBadge(state) {
  return badge(state, STATE_KIND[state] ?? 'muted', `state: ${state}`);
}

export function signerBadge(signer) {
  const status = signer?.status ?? 'unsigned';
  return badge(status, SIGNER_KIND[status] ?? 'muted', signer?.keyId ? `signed by key ${signer.keyId}` : 'no signature');
}

class CasPluginList extends HTMLElement {
  connectedCallback() {
    this.kind = 'all';
    this.query = '';
    this.count = h('span', {class: 'count', id: 'plugin-count'});
    this.problem = h('div');
    const search = h('input', {type: 'search', id: 'plugin-search', placeholder: 'Search id, name, description', 'aria-label': 'Search plugins'});
    search.addEventListener('input', () => { this.query = search.value.trim().toLowerCase(); this.render(); });
    const kind = h('select', {id: 'plugin-kind', 'aria-label': 'Kind'},
      h('option', {value: 'all'}, 'All plugins'),
      h('option', {value: 'system'}, 'System'),
      h('option', {value: 'application'}, 'Application'));
    kind.addEventListener('change', () => { this.kind = kind.value; this.render(); });
    this.table = h('cas-table', {class: 'plugins', caption: 'Installed plugins', 'body-id': 'plugin-rows',
      empty: 'Loading the plugins…'});
    this.table.columns = [
      {key: 'name', label: 'Plugin', render: (p) => [
        h('a', {href: `#/plugins/${encodeURIComponent(p.id)}`, class: 'plugin-name'}, p.name),
        h('div', {class: 'sub'}, h('code', {}, p.id), ' — ', p.description ?? ''),
        p.failure ? h('div', {class: 'failure'}, `Failure: ${p.failure}`) : null]},
      {key: 'version', label: 'Version', render: (p) => h('span', {class: 'version'}, p.version)},
      {key: 'state', label: 'State', render: (p) => h('span', {class: 'state'}, stateBadge(p.state))},
      {key: 'signer', label: 'Signer', value: (p) => p.signer?.status ?? 'unsigned',
        render: (p) => h('span', {class: 'signer'}, signerBadge(p.signer))},
      {key: 'isSystem', label: 'Kind', value: (p) => (p.isSystem ? 'system' : 'application'),
        render: (p) => (p.isSystem ? badge('system', 'info') : 'application')},
      {key: 'sandboxDenials', label: 'Sandbox denials', value: (p) => p.sandboxDenials ?? 0,
        render: (p) => h('span', {class: 'denials'}, String(p.sandboxDenials ?? 0))},
    ];
    this.table.rowAttributes = (p) => ({dataset: {pluginId: p.id}});
    replace(this,
      h('div', {class: 'toolbar'},
        h('h1', {}, 'Plugins'), this.count, search, kind,
        can(this.session, 'admin') ? h('a', {href: '#/import', class: 'button', id: 'import-button'}, 'Import or upgrade…') : null),
      this.problem,
      this.table);
    this.load();
  }

  async load() {
    try {
      this.plugins = await get('/api/plugins');
      this.render();
    } catch (e) {
      replace(this.problem, errorBox(e, 'Cannot list plugins'));
    }
  }

  render() {
    if (!this.plugins) return;
    const shown = this.plugins.filter((p) =>
      (this.kind === 'all' || (this.kind === 'system') === Boolean(p.isSystem)) &&
      (!this.query || [p.id, p.name, p.description].some((t) => (t ?? '').toLowerCase().includes(this.query))));
    this.count.textContent = `${shown.length} of ${this.plugins.length}`;
    this.table.setAttribute('empty', this.plugins.length ? 'No plugin matches.' : 'No plugin is installed yet.');
    this.table.rows = shown;
  }
}

customElements.define('cas-plugin-list', CasPluginList);
