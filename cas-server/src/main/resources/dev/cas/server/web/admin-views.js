// Admin pages: <cas-admin-users> (list, create), <cas-admin-tokens> (a new API token, shown
// once), <cas-admin-audit> (the audit trail, filtered by plugin, action, actor and outcome).
import {call, get} from './api.js';
import {errorBox, h, replace} from './dom.js';

class CasAdminUsers extends HTMLElement {
  connectedCallback() {
    this.rows = h('tbody', {id: 'user-rows'});
    this.message = h('div', {id: 'user-message'});
    const username = h('input', {id: 'new-username', autocomplete: 'off', required: true});
    const password = h('input', {id: 'new-password', type: 'password', autocomplete: 'new-password', required: true});
    const role = h('select', {id: 'new-role'}, ['user', 'operator', 'admin'].map((r) => h('option', {value: r}, r)));
    const form = h('form', {class: 'inline-form', id: 'new-user-form'},
      h('label', {for: 'new-username'}, 'Username'), username,
      h('label', {for: 'new-password'}, 'Password'), password,
      h('label', {for: 'new-role'}, 'Role'), role,
      h('button', {type: 'submit', id: 'create-user'}, 'Create user'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      replace(this.message);
      try {
        const env = await call('POST', '/api/users', {username: username.value, password: password.value, roles: [role.value]});
        password.value = '';
        username.value = '';
        replace(this.message, h('p', {class: 'saved'}, env.message));
        this.load();
      } catch (err) {
        replace(this.message, errorBox(err, 'User not created'));
      }
    });
    replace(this, h('h1', {}, 'Users'), form, this.message,
      h('table', {}, h('thead', {}, h('tr', {}, ['Username', 'Name', 'Roles'].map((t) => h('th', {}, t)))), this.rows));
    this.load();
  }

  async load() {
    try {
      const users = await get('/api/users');
      replace(this.rows, users.map((u) => h('tr', {dataset: {user: u.username}},
        h('td', {}, u.username), h('td', {}, u.displayName ?? ''), h('td', {}, [...(u.roles ?? [])].sort().join(', ')))));
    } catch (e) {
      replace(this.message, errorBox(e, 'Cannot list users'));
    }
  }
}

class CasAdminTokens extends HTMLElement {
  connectedCallback() {
    const name = h('input', {id: 'token-name', placeholder: 'e.g. ci', autocomplete: 'off'});
    this.out = h('div', {id: 'token-out'});
    const form = h('form', {class: 'inline-form', id: 'token-form'},
      h('label', {for: 'token-name'}, 'Token name'), name, h('button', {type: 'submit', id: 'create-token'}, 'Create API token'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        const env = await call('POST', '/api/auth/tokens', {name: name.value || 'api'});
        const value = h('input', {id: 'token-value', readonly: true, size: 60});
        value.value = env.data.token;
        replace(this.out, h('div', {class: 'card'},
          h('p', {}, `Token ${env.data.name}: copy it now — it is shown once and the host keeps only its hash.`),
          value));
      } catch (err) {
        replace(this.out, errorBox(err, 'No token'));
      }
    });
    replace(this, h('h1', {}, 'API tokens'),
      h('p', {}, 'A token signs the CLI and scripts in with Authorization: Bearer <token>; it is yours, with your roles.'),
      form, this.out);
  }
}

class CasAdminAudit extends HTMLElement {
  connectedCallback() {
    this.rows = h('tbody', {id: 'audit-rows'});
    this.message = h('div');
    const plugin = h('input', {id: 'audit-plugin', placeholder: 'plugin id'});
    const action = h('input', {id: 'audit-action', placeholder: 'action, e.g. import'});
    const actor = h('input', {id: 'audit-actor', placeholder: 'actor'});
    const outcome = h('select', {id: 'audit-outcome'}, ['', 'ok', 'refused', 'denied'].map((o) => h('option', {value: o}, o || 'any outcome')));
    const limit = h('select', {id: 'audit-limit'}, ['100', '500', '1000'].map((n) => h('option', {value: n}, `last ${n}`)));
    const form = h('form', {class: 'inline-form', id: 'audit-form'}, plugin, action, actor, outcome, limit,
      h('button', {type: 'submit', id: 'audit-filter'}, 'Filter'));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.load(); });
    this.filters = {plugin, action, actor, outcome, limit};
    replace(this, h('h1', {}, 'Audit trail'), form, this.message,
      h('table', {class: 'audit'}, h('thead', {}, h('tr', {},
        ['When', 'Actor', 'Action', 'Target', 'Outcome', 'Detail', 'From'].map((t) => h('th', {}, t)))), this.rows));
    this.load();
  }

  async load() {
    const f = this.filters;
    const q = new URLSearchParams({limit: f.limit.value});
    if (f.plugin.value.trim()) q.set('plugin', f.plugin.value.trim());
    try {
      const entries = (await get(`/api/audit?${q}`)).filter((e) =>
        (!f.action.value.trim() || (e.action ?? '').includes(f.action.value.trim())) &&
        (!f.actor.value.trim() || (e.actor ?? '') === f.actor.value.trim()) &&
        (!f.outcome.value || e.outcome === f.outcome.value));
      replace(this.rows, entries.map((e) => h('tr', {},
        h('td', {}, e.at), h('td', {}, e.actor ?? ''), h('td', {}, e.action), h('td', {}, e.target ?? ''),
        h('td', {}, e.outcome), h('td', {}, e.detail ?? ''), h('td', {}, e.remote ?? ''))));
      replace(this.message);
    } catch (e) {
      replace(this.message, errorBox(e, 'Cannot read the audit trail'));
    }
  }
}

customElements.define('cas-admin-users', CasAdminUsers);
customElements.define('cas-admin-tokens', CasAdminTokens);
customElements.define('cas-admin-audit', CasAdminAudit);
