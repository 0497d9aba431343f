// The admin page: <cas-app> holds the session and shows one view per route (#/plugins,
// #/plugins/<id>, #/import, #/sessions, #/admin/users, #/admin/tokens, #/admin/audit, and the
// active plugins' pages at #/ext/<id><path>). Plain ES modules and custom elements, served by the
// host itself: nothing to build, nothing from a CDN.
import {currentSession, get, onSignedOut, signOut} from './api.js';
import {h, replace} from './dom.js';
import {can} from './roles.js';
import './sign-in.js';
import './plugin-list.js';
import './import-view.js';
import './plugin-page.js';
import './admin-views.js';
import './sessions-view.js';
import {pageHash, visiblePages} from './plugin-frames.js';

/** How often the navigation looks again for plugin pages (a plugin deactivated elsewhere). */
const PAGES_REFRESH_MS = 10000;

class CasApp extends HTMLElement {
  connectedCallback() {
    this.session = null;
    this.header = h('header', {class: 'top'});
    this.main = h('main', {id: 'main'});
    replace(this, this.header, this.main);
    onSignedOut((message) => this.showSignIn(message ?? 'Your session has ended; sign in again.'));
    window.addEventListener('hashchange', () => this.route());
    this.pages = [];
    this.addEventListener('plugins-changed', () => this.refreshPages());
    setInterval(() => { if (this.session) this.refreshPages(); }, PAGES_REFRESH_MS);
    this.addEventListener('signed-in', (e) => {
      this.session = e.detail;
      if (!location.hash || location.hash === '#/sign-in') location.hash = '#/plugins';
      this.refreshPages();
    });
    currentSession().then(
      (s) => {
        this.session = s;
        if (s) this.refreshPages();
        else this.showSignIn();
      },
      (e) => this.showSignIn(e.message));
  }

  showSignIn(message) {
    this.session = null;
    this.shown = false;
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
        link('#/sessions', 'Sessions', 'nav-sessions'),
        this.pages.map(({plugin, page}) =>
          link(pageHash(plugin, page), page.title, `nav-ext-${plugin.id}${page.path.replaceAll('/', '-')}`))),
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

  /**
   * Reads the active plugins' pages again, then shows the current route: a page of a plugin that
   * was deactivated disappears from the navigation, and its view with it.
   */
  async refreshPages() {
    try {
      const plugins = await get('/api/plugins');
      this.pages = visiblePages(plugins, this.session);
    } catch {
      this.pages = [];
    }
    const key = this.pages.map(({plugin, page}) => `${plugin.id}${page.path}@${plugin.version}`).join(' ');
    const changed = key !== this.pagesKey;
    this.pagesKey = key;
    // Only the navigation changes under another view (a form being filled stays as it is); a
    // plugin page is shown again, since its plugin may be gone.
    if (!this.shown || (changed && (location.hash ?? '').startsWith('#/ext/'))) this.route();
    else if (changed && this.session) this.renderHeader();
  }

  route() {
    if (!this.session) return this.showSignIn();
    this.shown = true;
    this.renderHeader();
    const hash = location.hash || '#/plugins';
    const [, section, id] = hash.split('/');
    let view;
    if (section === 'ext') {
      const found = this.pages.find(({plugin, page}) => hash === pageHash(plugin, page));
      if (found) {
        if (this.main.firstChild?.localName === 'cas-plugin-frame' && this.main.firstChild.dataset.key === hash) return;
        view = h('cas-plugin-frame', {dataset: {key: hash}});
        view.plugin = found.plugin;
        view.page = found.page;
      } else {
        view = h('p', {class: 'notice', id: 'no-plugin-page'},
          'This plugin page is not available: its plugin is not active, or your role does not show it.');
      }
    } else if (section === 'plugins' && id) {
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
