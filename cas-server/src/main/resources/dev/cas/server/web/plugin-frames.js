// Plugin pages: <cas-plugin-frame> mounts one route of a plugin's frontend in a sandboxed iframe
// and runs the page's side of the bridge (the frame's side is /ui/plugin-host.js).
//
// Threat: plugin code acting with the administrator's session. The frame is
// <iframe sandbox="allow-scripts allow-forms">: no allow-same-origin, so its document has an
// opaque origin (no cookie, no access to this page) and its CSP says connect-src 'none'. All it can
// do is post messages here, and this bridge answers only:
//   - messages whose source is this very iframe's window, until the frame navigates away;
//   - fetch of paths that stay, after normalisation, under /api/plugins/<its id>/ and are not the
//     host's own endpoints there (config, export, logs, …), with a method of GET, POST, PUT, PATCH
//     or DELETE; the page adds the session's CSRF token itself and drops any Authorization,
//     Cookie or X-CSRF-Token the frame sent;
//   - hello with the user's name and roles, never a token.
import {sessionHeaders} from './api.js';
import {h, replace} from './dom.js';
import {can} from './roles.js';

/** The host's own first path segments under /api/plugins/<id>/ (docs/FORMAT.md, "Routes"). */
const HOST_SEGMENTS = new Set(['activate', 'config', 'deactivate', 'docs', 'export', 'health', 'logs',
  'metrics', 'operations', 'status', 'upgrade']);
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const DROPPED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-csrf-token']);
const MAX_TOPICS = 20;
/** An event name or a prefix pattern, as the event stream takes them (EventStreamEndpoints). */
const TOPIC = /^(host|plugin)(:[a-z0-9][a-z0-9.-]*){0,2}(:\*|\*)?$/;
const TEXT_TYPE = /^(text\/|application\/([a-z0-9.+-]*\+)?(json|xml|javascript))/i;

/** A refusal the bridge answers to the frame: {code, message}. */
class BridgeError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** The pages of the active plugins this session may see: [{plugin, page}]. */
export function visiblePages(plugins, session) {
  const out = [];
  for (const plugin of plugins ?? []) {
    if (plugin.state !== 'active') continue;
    for (const page of plugin.pages ?? []) {
      const roles = page.roles ?? [];
      if (roles.length === 0 || roles.some((r) => can(session, r))) {
        out.push({plugin, page});
      }
    }
  }
  return out;
}

/** The page's address of a plugin page: #/ext/<id><path>. */
export function pageHash(plugin, page) {
  return `#/ext/${plugin.id}${page.path}`;
}

/**
 * The URL a frame's fetch may call, or a BridgeError: path is relative to the plugin's API and
 * must stay inside it. Threat: '/../../api/users', '/%2e%2e/other-plugin/x', '//evil.example/',
 * 'https://…', '/config' (the host's endpoint for the plugin's configuration), and their forms
 * only the host resolves: '/x/..;/..;/..;/users', '/%63onfig', '/config;x'.
 */
export function pluginApiUrl(id, path) {
  const refuse = (why) => new BridgeError('BRIDGE_PATH_REFUSED',
    `the bridge calls only the plugin's own API under /api/plugins/${id}/: [${String(path).slice(0, 200)}] ${why}`);
  if (typeof path !== 'string' || path.length === 0 || path.length > 2048) throw refuse('is not a path');
  if (!path.startsWith('/') || path.startsWith('//')) throw refuse('does not start with a single /');
  if (/[\\\u0000-\u0020\u007f#]/.test(path)) throw refuse('holds a backslash, a space, a control character or #');
  if (/%(2e|2f|5c|00)/i.test(path)) throw refuse('holds an encoded dot, slash, backslash or NUL');
  const q = path.indexOf('?');
  const pathname = q < 0 ? path : path.slice(0, q);
  // The host routes the path Helidon makes of it: percent-decoded, each segment's ;parameters
  // dropped, and then . and .. resolved. So '/x/..;/..;/..;/users' is /api/users there, and
  // '/%63onfig' and '/config;x' are /config: the checks below look at the segments as the host
  // will read them, and a path never holds a ; at all.
  if (pathname.includes(';')) throw refuse('holds a ; (a path parameter, which the host drops)');
  const segments = pathname.slice(1).split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw refuse('holds a malformed percent-encoding');
    }
  });
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw refuse('holds an empty, . or .. segment');
  if (segments.some((s) => /[/\\;\u0000]/.test(s))) throw refuse('holds an encoded /, \\, ; or NUL');
  if (HOST_SEGMENTS.has(segments[0].toLowerCase())) throw refuse(`is the host's own endpoint [${segments[0]}]`);
  const base = `/api/plugins/${id}/`;
  const url = new URL(base + path.slice(1), location.origin);
  if (url.origin !== location.origin || !url.pathname.startsWith(base)) throw refuse('leaves the plugin\'s API');
  return url;
}

function headersFor(method, sent) {
  const out = {};
  if (sent && typeof sent === 'object') {
    for (const [k, v] of Object.entries(sent)) {
      if (typeof v !== 'string' || DROPPED_HEADERS.has(k.toLowerCase())) continue;
      out[k] = v;
    }
  }
  // The session's CSRF token, added here: the frame never sees it.
  return sessionHeaders(method, out);
}

/** Shows a toast at the bottom of the page for a few seconds. */
export function toast(message, level = 'info') {
  let box = document.getElementById('toasts');
  if (!box) {
    box = h('div', {id: 'toasts', class: 'toasts', role: 'status', 'aria-live': 'polite'});
    document.body.append(box);
  }
  const t = h('div', {class: `toast toast-${['info', 'success', 'error'].includes(level) ? level : 'info'}`}, String(message).slice(0, 500));
  box.append(t);
  setTimeout(() => t.remove(), 6000);
}

class CasPluginFrame extends HTMLElement {
  connectedCallback() {
    const {plugin, page} = this;
    this.subscriptions = new Map();
    this.loads = 0;
    this.iframe = h('iframe', {
      sandbox: 'allow-scripts allow-forms',
      src: `/plugins/${plugin.id}/frame${page.path}`,
      title: `${page.title} (${plugin.name})`,
      class: 'plugin-frame',
      id: 'plugin-frame',
      dataset: {plugin: plugin.id, route: page.path},
    });
    // A second load means the frame navigated away from the host's frame document: whatever is in
    // it now is not the plugin page, and the bridge stops answering it.
    this.iframe.addEventListener('load', () => {
      this.loads++;
      if (this.loads > 1) this.close('the plugin page navigated away; open it again from the navigation');
    });
    this.onMessage = (e) => this.receive(e);
    window.addEventListener('message', this.onMessage);
    replace(this,
      h('h1', {id: 'plugin-page-title'}, page.title),
      this.iframe);
  }

  disconnectedCallback() {
    window.removeEventListener('message', this.onMessage);
    this.subscriptions.clear();
    this.stream?.close();
    this.stream = null;
  }

  close(message) {
    this.disconnectedCallback();
    this.closed = true;
    replace(this, h('p', {class: 'notice', id: 'plugin-frame-closed'}, message));
  }

  receive(e) {
    // Threat: another window or frame (another plugin's) speaking for this one.
    if (this.closed || e.source !== this.iframe.contentWindow) return;
    const m = e.data;
    if (!m || typeof m !== 'object' || m.cas !== 1 || !Number.isSafeInteger(m.id)) return;
    Promise.resolve()
      .then(() => this.handle(m))
      .then(
        (result) => this.post({cas: 1, id: m.id, ok: true, result}),
        (err) => this.post({cas: 1, id: m.id, ok: false,
          error: {code: err.code ?? 'BRIDGE_ERROR', message: err.message ?? String(err)}}));
  }

  post(message) {
    // The frame's origin is opaque, so '*' is the only target origin that reaches it; the
    // recipient is this iframe's window, which the frame cannot change.
    if (!this.closed) this.iframe.contentWindow?.postMessage(message, '*');
  }

  handle(m) {
    switch (m.op) {
      case 'hello':
        return {
          user: {username: this.session.user.username, roles: [...(this.session.user.roles ?? [])]},
          plugin: {id: this.plugin.id, name: this.plugin.name, version: this.plugin.version},
          route: this.page.path,
        };
      case 'fetch':
        return this.fetch(m);
      case 'resize': {
        const height = Number(m.height);
        if (!Number.isFinite(height) || height < 0) throw new BridgeError('BRIDGE_BAD_REQUEST', 'height must be a number of pixels');
        this.iframe.style.height = `${Math.min(Math.ceil(height), 20000)}px`;
        return null;
      }
      case 'toast':
        toast(m.message, m.level);
        return null;
      case 'navigate': {
        const path = String(m.path ?? '');
        const target = (this.plugin.pages ?? []).find((p) => p.path === path);
        if (!target) throw new BridgeError('BRIDGE_NO_ROUTE', `the plugin has no page [${path.slice(0, 200)}]`);
        location.hash = pageHash(this.plugin, target);
        return null;
      }
      case 'subscribe':
        return this.subscribe(String(m.topic ?? ''));
      case 'unsubscribe': {
        this.subscriptions.get(String(m.topic ?? ''))?.();
        return null;
      }
      default:
        throw new BridgeError('BRIDGE_UNKNOWN_OP', `unknown operation [${String(m.op).slice(0, 50)}]`);
    }
  }

  async fetch(m) {
    const method = String(m.method ?? 'GET').toUpperCase();
    if (!METHODS.has(method)) throw new BridgeError('BRIDGE_METHOD_REFUSED', `method [${method.slice(0, 20)}] is not one of GET, POST, PUT, PATCH, DELETE`);
    const url = pluginApiUrl(this.plugin.id, m.path);
    const body = m.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof ArrayBuffer)) {
      throw new BridgeError('BRIDGE_BAD_BODY', 'a body must be a string or an ArrayBuffer');
    }
    const res = await fetch(url, {
      method,
      credentials: 'same-origin',
      redirect: 'error',
      headers: headersFor(method, m.headers),
      body: method === 'GET' || body === null ? undefined : body,
    });
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      headers: {'content-type': type},
      body: TEXT_TYPE.test(type) ? await res.text() : await res.arrayBuffer(),
    };
  }

  subscribe(topic) {
    const own = `plugin:${this.plugin.id}:`;
    // One event name or prefix pattern: a ',' would make it several on the event stream.
    if (!TOPIC.test(topic) || (!topic.startsWith(own) && !topic.startsWith('host:plugin:'))) {
      throw new BridgeError('BRIDGE_TOPIC_REFUSED',
        `a plugin page may subscribe to its own events (${own}…) and the host's events about it (host:plugin:…) only, not [${topic.slice(0, 200)}]`);
    }
    if (this.subscriptions.has(topic)) return null;
    if (this.subscriptions.size >= MAX_TOPICS) {
      throw new BridgeError('BRIDGE_TOO_MANY_TOPICS', `a plugin page may subscribe to ${MAX_TOPICS} topics at most; use a pattern such as ${own}*`);
    }
    this.subscriptions.set(topic, () => {
      this.subscriptions.delete(topic);
      this.openStream();
    });
    this.openStream();
    return null;
  }

  /**
   * One event stream per frame for all its topics, opened again when they change: a browser keeps
   * few connections per host, and the page's own calls need them too.
   */
  openStream() {
    this.stream?.close();
    this.stream = null;
    if (this.closed || !this.isConnected || this.subscriptions.size === 0) return;
    const topics = [...this.subscriptions.keys()].join(',');
    // plugin=<id>: the host sends only this plugin's events, whatever the topics say.
    this.stream = new EventSource(`/api/events/stream?topics=${encodeURIComponent(topics)}&plugin=${encodeURIComponent(this.plugin.id)}`);
    this.stream.addEventListener('message', (e) => {
      let event;
      try {
        event = JSON.parse(e.data);
      } catch {
        return;
      }
      this.post({cas: 1, event: {topic: event.topic, payload: event.payload}});
    });
  }
}

customElements.define('cas-plugin-frame', CasPluginFrame);
