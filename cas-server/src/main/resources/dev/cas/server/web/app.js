// The admin page: <cas-app> holds the session and shows one view per route (#/plugins,
// #/plugins/<id>, #/import, #/sessions, #/admin/users, #/admin/tokens, #/admin/audit). Plain ES
// modules and custom elements, served by the host itself: nothing to build, nothing from a CDN.
import {currentSession, onSignedOut, signOut} from './api.js';
import {h, replace} from './dom.js';
import {can} from './roles.js';
import './sign-in.js';
import './plugin-list.js';
import './import-view.js';
import './plugin-page.js';
import './admin-views.js';
import './sessions-view.js';

class CasApp extends HTMLElement {
  connectedCallback() {
    this.session = null;
    this.header = h('header', {class: 'top'});
    this.main = h('main', {id: 'main'});
    replace(this, this.header, this.main);
    onSignedOut((message) => this.showSignIn(message ?? 'Your session has ended; sign in again.'));
    window.addEventListener('hashchange', () => this.route());
    this.addEventListener('signed-in', (e) => {
      this.session = e.detail;
      if (!location.hash || location.hash === '#/sign-in') location.hash = '#/plugins';
      else this.route();
    });
    currentSession().then(
      (s) => {
        this.session = s;
        if (s) this.route();
        else this.showSignIn();
      },
      (e) => this.showSignIn(e.message));
  }

  showSignIn(message) {
    this.session = null;
    replace(this.header, h('span', {class: 'brand'}, 'CAS host'));
    const form = h('cas-sign-in');
    if (message) form.setAttribute('notice', message);
    replace(this.main, form);
  }

  renderHeader() {
    const s = this.session;
    const link = (href, text, id) => h('a', {href, id, class: location.hash.startsWith(href) ? 'current' : null}, text);
    replace(this.header,
      h('span', {class: 'brand'}, 'CAS host'),
      h('nav', {},
        link('#/plugins', 'Plugins', 'nav-plugins'),
        can(s, 'admin') ? link('#/import', 'Import', 'nav-import') : null,
        can(s, 'admin') ? link('#/admin/users', 'Users', 'nav-users') : null,
        can(s, 'admin') ? link('#/admin/tokens', 'API tokens', 'nav-tokens') : null,
        can(s, 'admin') ? link('#/admin/audit', 'Audit', 'nav-audit') : null,
        link('#/sessions', 'Sessions', 'nav-sessions')),
      h('span', {class: 'who', id: 'who'}, `${s.user.username} (${[...s.user.roles].sort().join(', ')})`),
      h('button', {type: 'button', id: 'sign-out', class: 'secondary', onclick: () => this.signOut()}, 'Sign out'));
  }

  async signOut() {
    try {
      await signOut();
    } finally {
      history.replaceState(null, '', '#/sign-in');
      this.showSignIn('You are signed out.');
    }
  }

  route() {
    if (!this.session) return this.showSignIn();
    this.renderHeader();
    const hash = location.hash || '#/plugins';
    const [, section, id] = hash.split('/');
    let view;
    if (section === 'plugins' && id) {
      view = h('cas-plugin-page');
      view.plugin = decodeURIComponent(id);
    } else if (section === 'import') {
      view = h('cas-import-view');
    } else if (section === 'sessions') {
      view = h('cas-my-sessions');
    } else if (section === 'admin') {
      view = h(`cas-admin-${id ?? 'users'}`);
    } else {
      view = h('cas-plugin-list');
    }
    view.session = this.session;
    replace(this.main, view);
  }
}

customElements.define('cas-app', CasApp);
