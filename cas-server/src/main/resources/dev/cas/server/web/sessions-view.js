// <cas-my-sessions>: the signed-in user's browser sessions (where from, which browser, last use),
// with "End" for each other one and "Sign out everywhere else". An ended session's browser is sent
// to sign-in on its next request.
import '/ui/components/index.js';
import {toast} from '/ui/components/toast.js';
import {call, get} from './api.js';
import {errorBox, h, replace} from './dom.js';

class CasMySessions extends HTMLElement {
  connectedCallback() {
    this.message = h('div', {id: 'my-sessions-message'});
    this.table = h('cas-table', {caption: 'Your browser sessions', 'body-id': 'my-session-rows', empty: 'Loading…'});
    this.table.columns = [
      {key: 'createdAt', label: 'Signed in'},
      {key: 'lastSeenAt', label: 'Last used'},
      {key: 'remote', label: 'From'},
      {key: 'userAgent', label: 'Browser'},
      {key: 'current', label: '', sortable: false, render: (s) => (s.current
        ? h('span', {class: 'badge badge-ok'}, 'this browser')
        : h('cas-button', {variant: 'secondary', 'control-id': `end-session-${s.id}`,
          onclick: () => this.end(`/api/sessions/${encodeURIComponent(s.id)}`)}, 'End'))},
    ];
    this.table.rowAttributes = (s) => ({dataset: {sessionId: s.id, current: String(s.current)}});
    const others = h('cas-button', {variant: 'danger', 'control-id': 'end-other-sessions'}, 'Sign out everywhere else');
    others.addEventListener('click', () => this.end('/api/sessions'));
    replace(this, h('h1', {}, 'Your sessions'),
      h('p', {class: 'muted'}, 'Every browser signed in as you. A session unused for a while ends by itself.'),
      this.message, this.table, h('div', {class: 'actions'}, others));
    this.load();
  }

  async load() {
    try {
      const sessions = await get('/api/sessions');
      this.table.setAttribute('empty', 'No browser session.');
      this.table.rows = sessions;
    } catch (e) {
      replace(this.message, errorBox(e, 'Cannot list your sessions'));
    }
  }

  async end(path) {
    replace(this.message);
    try {
      const env = await call('DELETE', path);
      toast(env.message, {level: 'success'});
      await this.load();
    } catch (e) {
      replace(this.message, errorBox(e, 'Not ended'));
    }
  }
}

customElements.define('cas-my-sessions', CasMySessions);
