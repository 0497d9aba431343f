// <cas-plugin-page>: one plugin — overview and actions, docs, configuration, status. Actions
// follow the role: operators activate, deactivate and configure; admins also export and
// uninstall (confirmed in a <cas-modal> by typing the plugin id). A system plugin offers no
// uninstall (the API refuses it too). Results are toasts; refusals stay on the page.
import '/ui/components/index.js';
import {toast} from '/ui/components/toast.js';
import {call, get} from './api.js';
import {badge, errorBox, h, replace} from './dom.js';
import {can} from './roles.js';
import {signerBadge, stateBadge} from './plugin-list.js';
import './docs-viewer.js';
import './config-form.js';

class CasPluginPage extends HTMLElement {
  connectedCallback() {
    this.tab = 'overview';
    this.load();
  }

  async load() {
    try {
      this.detail = await get(`/api/plugins/${encodeURIComponent(this.plugin)}`);
      this.render();
    } catch (e) {
      replace(this, errorBox(e, `Cannot show plugin ${this.plugin}`), h('a', {href: '#/plugins'}, 'All plugins'));
    }
  }

  render() {
    const d = this.detail;
    const tabs = [['overview', 'Overview'], ['docs', 'Docs'], can(this.session, 'operator') ? ['config', 'Configuration'] : null, ['status', 'Status']]
      .filter(Boolean);
    this.view = h('div', {class: 'tab-body', id: `tab-${this.tab}-body`});
    this.message = h('div', {id: 'action-message'});
    replace(this,
      h('p', {}, h('a', {href: '#/plugins', id: 'back'}, '← All plugins')),
      h('div', {class: 'toolbar'},
        h('h1', {id: 'plugin-title'}, d.name), h('span', {class: 'version'}, d.version),
        stateBadge(d.state), signerBadge(d.signer), d.isSystem ? badge('system', 'info') : null),
      d.failure ? h('p', {class: 'failure', id: 'plugin-failure'}, `Failure: ${d.failure}`) : null,
      this.actions(),
      this.message,
      h('nav', {class: 'tabs'}, tabs.map(([id, label]) =>
        h('button', {type: 'button', id: `tab-${id}`, class: id === this.tab ? 'current' : 'secondary',
          onclick: () => { this.tab = id; this.render(); }}, label))),
      this.view);
    this.showTab();
  }

  actions() {
    const d = this.detail;
    const out = h('div', {class: 'actions', id: 'plugin-actions'});
    if (can(this.session, 'operator')) {
      out.append(d.state === 'active'
        ? h('button', {type: 'button', id: 'deactivate', class: 'secondary', onclick: () => this.act('POST', 'deactivate')}, 'Deactivate')
        : h('button', {type: 'button', id: 'activate', onclick: () => this.act('POST', 'activate')}, 'Activate'));
    }
    if (can(this.session, 'admin')) {
      const withData = h('input', {type: 'checkbox', id: 'export-with-data'});
      const link = h('a', {class: 'button secondary', id: 'export', href: `/api/plugins/${encodeURIComponent(d.id)}/export`, download: ''}, 'Export');
      withData.addEventListener('change', () => {
        link.href = `/api/plugins/${encodeURIComponent(d.id)}/export${withData.checked ? '?includeData=true' : ''}`;
      });
      out.append(' ', link, h('label', {class: 'inline'}, withData, ' with data'));
      if (!d.isSystem) out.append(' ', ...this.uninstallBox());
    }
    return out.childNodes.length ? out : null;
  }

  uninstallBox() {
    const id = this.detail.id;
    const purge = h('input', {type: 'checkbox', id: 'purge-data'});
    const typed = h('cas-input', {'control-id': 'confirm-id', label: `To confirm, type the plugin id ${id}`,
      autocomplete: 'off'});
    const go = h('cas-button', {type: 'submit', variant: 'danger', 'control-id': 'uninstall', disabled: true}, 'Uninstall');
    const problem = h('div', {id: 'uninstall-problem'});
    const sync = () => { go.disabled = typed.value !== id; };
    typed.addEventListener('input', sync);
    const form = h('form', {class: 'uninstall-form', id: 'uninstall-form'},
      h('label', {class: 'inline'}, purge, ' also purge its data (tables, configuration, docs)'),
      typed, problem,
      h('div', {class: 'actions'}, go,
        h('cas-button', {variant: 'secondary', 'data-close': 'cancel', 'control-id': 'uninstall-cancel'}, 'Cancel')));
    const dialog = h('cas-modal', {id: 'uninstall-box', heading: `Uninstall ${this.detail.name}?`}, form);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (typed.value !== id) return;
      go.disabled = true;
      replace(problem);
      try {
        const env = await call('DELETE', `/api/plugins/${encodeURIComponent(id)}${purge.checked ? '?purgeData=true' : ''}`);
        dialog.close('uninstalled');
        replace(this, h('div', {id: 'uninstalled'},
          h('p', {}, env.message, purge.checked ? ' — its data was purged.' : ' — its data was kept.'),
          h('a', {href: '#/plugins', class: 'button'}, 'All plugins')));
        toast(env.message, {level: 'success'});
        this.dispatchEvent(new CustomEvent('plugins-changed', {bubbles: true}));
      } catch (err) {
        replace(problem, errorBox(err, 'Not uninstalled'));
        sync();
      }
    });
    const open = h('cas-button', {variant: 'danger', 'control-id': 'uninstall-open'}, 'Uninstall…');
    open.addEventListener('click', () => dialog.open());
    return [open, dialog];
  }

  async act(method, action) {
    replace(this.message);
    try {
      const env = await call(method, `/api/plugins/${encodeURIComponent(this.plugin)}/${action}`);
      await this.load();
      toast(env.message, {level: 'success'});
      this.dispatchEvent(new CustomEvent('plugins-changed', {bubbles: true}));
    } catch (e) {
      replace(this.message, errorBox(e, `Cannot ${action}`));
    }
  }

  showTab() {
    const d = this.detail;
    const m = d.manifest ?? {};
    if (this.tab === 'docs') {
      const v = h('cas-docs-viewer');
      v.plugin = d.id;
      replace(this.view, v);
    } else if (this.tab === 'config') {
      const v = h('cas-config-form');
      v.plugin = d.id;
      replace(this.view, v);
    } else if (this.tab === 'status') {
      this.showStatus();
    } else {
      replace(this.view, h('dl', {class: 'overview'},
        h('dt', {}, 'Id'), h('dd', {}, h('code', {}, d.id)),
        h('dt', {}, 'Description'), h('dd', {}, d.description ?? ''),
        h('dt', {}, 'Author'), h('dd', {}, m.author ?? '—'),
        h('dt', {}, 'License'), h('dd', {}, m.license ?? '—'),
        h('dt', {}, 'Signer'), h('dd', {}, d.signer?.keyId ?? 'no trusted signature'),
        h('dt', {}, 'Installed'), h('dd', {}, d.installedAt),
        h('dt', {}, 'Permissions'), h('dd', {class: 'permissions'}, (m.permissions ?? []).join(', ') || 'none'),
        h('dt', {}, 'Sandbox'), h('dd', {}, m.sandbox
          ? `network ${m.sandbox.networkPolicy ?? 'none'}; hosts ${(m.sandbox.allowedHosts ?? []).join(', ') || 'none'}; files ${m.sandbox.filesystemAccess ?? 'none'}`
          : 'none declared'),
        h('dt', {}, 'Dependents'), h('dd', {}, (d.dependents ?? []).join(', ') || 'none'),
        h('dt', {}, 'Last operations'), h('dd', {}, h('ul', {}, (d.operations ?? []).map((o) =>
          h('li', {}, `${o.operation ?? o.kind ?? ''} ${o.state ?? o.status ?? ''} ${o.startedAt ?? o.started_at ?? ''}`.trim()))))));
    }
  }

  async showStatus() {
    replace(this.view, h('p', {class: 'muted'}, 'Loading…'));
    try {
      const s = await get(`/api/plugins/${encodeURIComponent(this.plugin)}/status`);
      const byOp = Object.entries(s.sandbox?.byOperation ?? {});
      replace(this.view, h('dl', {class: 'status', id: 'plugin-status'},
        h('dt', {}, 'State'), h('dd', {}, stateBadge(s.state)),
        h('dt', {}, 'Health'), h('dd', {id: 'health'}, badge(s.healthy ? 'healthy' : 'unhealthy', s.healthy ? 'ok' : 'bad'), ' ', s.health ?? ''),
        h('dt', {}, 'Sandbox'), h('dd', {}, s.sandbox?.enforced ? 'enforced' : 'not enforced in this host'),
        h('dt', {}, 'Sandbox denials'), h('dd', {id: 'sandbox-denials'}, String(s.sandbox?.denials ?? 0),
          byOp.length ? h('ul', {}, byOp.map(([op, n]) => h('li', {}, `${op}: ${n}`))) : null),
        s.usage ? [h('dt', {}, 'Calls'), h('dd', {}, `${s.usage.calls} calls, ${s.usage.errors} errors, ${s.usage.timeouts} timeouts, ${s.usage.rejected} rejected`)] : null));
    } catch (e) {
      replace(this.view, errorBox(e, 'Cannot read the status'));
    }
  }
}

customElements.define('cas-plugin-page', CasPluginPage);
