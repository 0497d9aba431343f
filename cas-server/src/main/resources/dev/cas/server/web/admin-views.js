// Admin pages: <cas-admin-users> (list, create, see and end a user's browser sessions),
// <cas-admin-tokens> (a new API token, shown once), <cas-admin-audit> (the audit trail, filtered
// by plugin, action, actor and outcome).
import '/ui/components/index.js';
import {toast} from '/ui/components/toast.js';
import {call, get} from './api.js';
import {errorBox, h, replace} from './dom.js';

class CasAdminUsers extends HTMLElement {
  connectedCallback() {
    this.table = h('cas-table', {caption: 'Users', 'body-id': 'user-rows', empty: 'Loading the users…'});
    this.table.columns = [
      {key: 'username', label: 'Username'},
      {key: 'displayName', label: 'Name'},
      {key: 'roles', label: 'Roles', value: (u) => [...(u.roles ?? [])].sort().join(', '),
        render: (u) => [...(u.roles ?? [])].sort().join(', ')},
      {key: 'sessions', label: 'Browser sessions', sortable: false, render: (u) => h('cas-button',
        {variant: 'secondary', 'control-id': `sessions-${u.username}`, onclick: () => this.showSessions(u.username)},
        'Sessions…')},
    ];
    this.sessions = new CasUserSessions();
    this.table.rowAttributes = (u) => ({dataset: {user: u.username}});
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
    replace(this, h('h1', {}, 'Users'), form, this.message, this.table, this.sessions.dialog);
    this.load();
  }

  async load() {
    try {
      const users = await get('/api/users');
      this.table.setAttribute('empty', 'No user.');
      this.table.rows = users;
    } catch (e) {
      replace(this.message, errorBox(e, 'Cannot list users'));
    }
  }

  showSessions(username) {
    this.sessions.show(username);
  }
}

/**
 * A user's browser sessions in a dialog, with "End all sessions" (DELETE
 * /api/users/{username}/sessions): each ended browser's next request returns it to sign-in.
 */
class CasUserSessions {
  constructor() {
    this.table = h('cas-table', {caption: 'Browser sessions', 'body-id': 'session-rows', empty: 'Loading…'});
    this.table.columns = [
      {key: 'createdAt', label: 'Signed in'},
      {key: 'lastSeenAt', label: 'Last seen'},
      {key: 'remote', label: 'From'},
      {key: 'userAgent', label: 'Browser'},
    ];
    this.table.rowAttributes = (s) => ({dataset: {sessionId: s.id}});
    this.message = h('div', {id: 'sessions-message'});
    this.endAll = h('cas-button', {variant: 'danger', 'control-id': 'end-sessions'}, 'End all sessions');
    this.endAll.addEventListener('click', () => this.end());
    this.dialog = h('cas-modal', {id: 'user-sessions', heading: 'Browser sessions'},
      this.table, this.message,
      h('div', {class: 'actions'}, this.endAll,
        h('cas-button', {variant: 'secondary', 'data-close': 'close', 'control-id': 'sessions-close'}, 'Close')));
  }

  show(username) {
    this.username = username;
    this.dialog.setAttribute('heading', `Browser sessions of ${username}`);
    replace(this.message);
    this.dialog.open();
    this.load();
  }

  async load() {
    try {
      const sessions = await get(`/api/users/${encodeURIComponent(this.username)}/sessions`);
      this.table.setAttribute('empty', `${this.username} has no open browser session.`);
      this.table.rows = sessions;
      this.endAll.disabled = sessions.length === 0;
    } catch (e) {
      replace(this.message, errorBox(e, 'Cannot list the sessions'));
    }
  }

  async end() {
    try {
      const env = await call('DELETE', `/api/users/${encodeURIComponent(this.username)}/sessions`);
      replace(this.message, h('p', {class: 'saved'}, env.message));
      toast(env.message, {level: 'success'});
      await this.load();
    } catch (e) {
      replace(this.message, errorBox(e, 'Sessions not ended'));
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
    this.table = h('cas-table', {class: 'audit', caption: 'Audit trail', 'body-id': 'audit-rows',
      empty: 'Loading the audit trail…'});
    this.table.columns = [['at', 'When'], ['actor', 'Actor'], ['action', 'Action'], ['target', 'Target'],
      ['outcome', 'Outcome'], ['detail', 'Detail'], ['remote', 'From']].map(([key, label]) => ({key, label}));
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
    replace(this, h('h1', {}, 'Audit trail'), form, this.message, this.table);
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
      this.table.setAttribute('empty', 'No entry matches.');
      this.table.rows = entries;
      replace(this.message);
    } catch (e) {
      replace(this.message, errorBox(e, 'Cannot read the audit trail'));
    }
  }
}

customElements.define('cas-admin-users', CasAdminUsers);
customElements.define('cas-admin-tokens', CasAdminTokens);
customElements.define('cas-admin-audit', CasAdminAudit);
