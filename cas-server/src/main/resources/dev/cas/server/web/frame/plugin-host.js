// The plugin's side of the bridge, imported in a plugin frame:
//
//   import {host} from '/ui/plugin-host.js';
//   await host.ready;
//   const blocks = await host.json('/blocks');
//
// A plugin frame is a sandboxed document with an opaque origin: it has no cookie, cannot read the
// admin page and may not connect anywhere (CSP connect-src 'none'). Everything it needs goes
// through window.postMessage to the admin page, which calls only this plugin's own API
// (/api/plugins/<id>/…) with the signed-in user's session and answers here. Messages:
//   frame → page  {cas: 1, id, op: 'hello'|'fetch'|'subscribe'|'unsubscribe'|'toast'|'resize'|'navigate', …}
//   page → frame  {cas: 1, id, ok: true, result} | {cas: 1, id, ok: false, error: {code, message}}
//                 {cas: 1, event: {topic, payload}}

// The admin page's origin: the frame's own URL is the host's, even though its origin is opaque.
const PAGE_ORIGIN = new URL(location.href).origin;

let nextId = 1;
const pending = new Map();
const listeners = new Map();

/** An error the page or the plugin's API answered: .code is its reason code. */
export class HostError extends Error {
  constructor(code, message, status) {
    super(message);
    this.name = 'HostError';
    this.code = code;
    this.status = status;
  }
}

window.addEventListener('message', (e) => {
  // Only the page that framed us speaks the protocol.
  if (e.source !== window.parent || e.origin !== PAGE_ORIGIN) return;
  const m = e.data;
  if (!m || m.cas !== 1) return;
  if (m.event) {
    const matching = [...listeners.entries()]
      .filter(([pattern]) => pattern.endsWith('*') ? m.event.topic.startsWith(pattern.slice(0, -1)) : pattern === m.event.topic)
      .flatMap(([, set]) => [...set]);
    for (const handler of matching) {
      try {
        handler(m.event.payload, m.event.topic);
      } catch (err) {
        console.error(err);
      }
    }
    return;
  }
  const waiting = pending.get(m.id);
  if (!waiting) return;
  pending.delete(m.id);
  if (m.ok) waiting.resolve(m.result);
  else waiting.reject(new HostError(m.error?.code ?? 'BRIDGE_ERROR', m.error?.message ?? 'refused'));
});

function send(op, args = {}) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, {resolve, reject});
    window.parent.postMessage({cas: 1, id, op, ...args}, PAGE_ORIGIN);
  });
}

async function bodyOf(body) {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof ArrayBuffer) return body;
  if (ArrayBuffer.isView(body)) return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
  if (body instanceof Blob) return body.arrayBuffer();
  throw new HostError('BRIDGE_BAD_BODY', 'a body must be a string, an ArrayBuffer, a typed array or a Blob');
}

function plainHeaders(headers) {
  const out = {};
  new Headers(headers ?? {}).forEach((v, k) => { out[k] = v; });
  return out;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

export const host = {
  /** Resolves once the page has answered hello; user, plugin and route are set then. */
  ready: null,
  /** {username, roles} of the signed-in user. */
  user: null,
  /** {id, name, version} of this plugin. */
  plugin: null,
  /** The route path this frame shows, e.g. '/text-blocks'. */
  route: null,

  /**
   * Calls the plugin's own API: path is relative to it ('/blocks' → /api/plugins/<id>/blocks).
   * init: {method, headers, body} (body a string, ArrayBuffer, typed array or Blob). Answers a
   * Response; a refusal by the page (a path outside the plugin's API) rejects with a HostError.
   */
  async fetch(path, init = {}) {
    const r = await send('fetch', {
      path,
      method: (init.method ?? 'GET').toUpperCase(),
      headers: plainHeaders(init.headers),
      body: await bodyOf(init.body),
    });
    return new Response(NULL_BODY.has(r.status) ? null : r.body, {status: r.status, headers: r.headers});
  },

  /**
   * fetch, then the JSON answer: the envelope's data when the API answers {success, data}, else
   * the whole body. init.json, when given, is sent as a JSON body. Throws a HostError with the
   * envelope's error code and message when the status is not 2xx or success is false.
   */
  async json(path, init = {}) {
    const rest = {...init};
    if ('json' in rest) {
      rest.body = JSON.stringify(rest.json);
      rest.headers = {...plainHeaders(rest.headers), 'content-type': 'application/json'};
      delete rest.json;
    }
    const res = await host.fetch(path, {...rest, headers: {accept: 'application/json', ...plainHeaders(rest.headers)}});
    let body = null;
    try {
      body = await res.json();
    } catch {
      // not JSON: reported below
    }
    if (!res.ok || body?.success === false) {
      throw new HostError(body?.error?.code ?? `HTTP_${res.status}`,
        body?.message ?? body?.error?.message ?? `${path} answered ${res.status}`, res.status);
    }
    return body && typeof body === 'object' && 'success' in body ? body.data : body;
  },

  /**
   * Calls handler(payload, topic) for each event of the topic: this plugin's own
   * ('plugin:<id>:block-created', or a prefix pattern 'plugin:<id>:*') and the host's about it
   * ('host:plugin:*'). Answers a function that stops it.
   */
  on(topic, handler) {
    let set = listeners.get(topic);
    if (!set) {
      set = new Set();
      listeners.set(topic, set);
      send('subscribe', {topic}).catch((e) => console.error(`cannot subscribe to ${topic}: ${e.message}`));
    }
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && listeners.get(topic) === set) {
        listeners.delete(topic);
        send('unsubscribe', {topic}).catch(() => {});
      }
    };
  },

  /** Shows a toast in the admin page: level 'info', 'success' or 'error'. */
  toast(message, {level = 'info'} = {}) {
    return send('toast', {message: String(message), level});
  },

  /** Shows another of this plugin's routes ('/text-blocks/archive'). */
  navigate(path) {
    return send('navigate', {path});
  },
};

host.ready = send('hello').then((hello) => {
  host.user = hello.user;
  host.plugin = hello.plugin;
  host.route = hello.route;
  return host;
});

// The frame's height follows its content, so the page shows it without a scroll bar of its own.
let lastHeight = 0;
new ResizeObserver(() => {
  const height = Math.ceil(document.documentElement.scrollHeight);
  if (height !== lastHeight) {
    lastHeight = height;
    send('resize', {height}).catch(() => {});
  }
}).observe(document.documentElement);
