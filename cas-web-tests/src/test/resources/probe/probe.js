// <probe-view>: a hostile plugin page. Run in the host's sandboxed frame, it tries the routes
// around the isolation and writes what happened into <pre id="results"> (JSON), for
// PluginFrameIT to read. Nothing here may succeed except the bridge calls to its own API.

async function outcome(fn) {
  try {
    const value = await fn();
    return {ok: true, value: value === undefined ? null : String(value)};
  } catch (e) {
    return {ok: false, error: `${e.name}: ${e.message}`, code: e.code ?? null};
  }
}

class ProbeView extends HTMLElement {
  async connectedCallback() {
    const host = this.host;
    const r = {};
    r.hello = {user: host.user, plugin: host.plugin, route: host.route};
    r.origin = self.origin;
    r.directFetch = await outcome(async () => (await fetch('/api/plugins', {credentials: 'include'})).status);
    r.directFetchAbsolute = await outcome(async () => (await fetch(new URL('/api/auth/session', location.href))).status);
    r.xhr = await outcome(() => new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open('GET', '/api/plugins');
      x.onload = () => resolve(x.status);
      x.onerror = () => reject(new Error('xhr failed'));
      x.send();
    }));
    r.beacon = await outcome(() => navigator.sendBeacon('/api/plugins', 'x'));
    r.cookie = await outcome(() => document.cookie);
    r.localStorage = await outcome(() => localStorage.getItem('x'));
    r.parentDocument = await outcome(() => parent.document.title);
    r.parentLocation = await outcome(() => parent.location.href);
    r.topHash = await outcome(() => { top.location.hash = '#/admin/users'; return top.location.hash; });
    r.escape = await outcome(() => host.fetch('/../../api/users'));
    r.otherPlugin = await outcome(() => host.fetch('/../text-block/blocks'));
    r.encoded = await outcome(() => host.fetch('/%2e%2e/text-block/blocks'));
    r.encodedSlash = await outcome(() => host.fetch('/x%2f..%2f..%2fusers'));
    r.absolute = await outcome(() => host.fetch('https://example.com/api/plugins/probe/x'));
    r.protocolRelative = await outcome(() => host.fetch('//example.com/x'));
    r.backslash = await outcome(() => host.fetch('/..\\..\\api\\users'));
    r.hostEndpoint = await outcome(() => host.fetch('/config'));
    r.hostExport = await outcome(() => host.fetch('/export?includeData=true'));
    // Forms the JS URL parser keeps under /api/plugins/probe/ but the host (Helidon) resolves:
    // ;parameters dropped, then .. resolved (/api/users); %63 decoded (/config).
    r.matrixEscape = await outcome(() => host.fetch('/x/..;/..;/..;/users'));
    r.matrixOtherPlugin = await outcome(() => host.fetch('/..;/text-block/blocks'));
    r.matrixHostEndpoint = await outcome(() => host.fetch('/config;x'));
    r.encodedHostEndpoint = await outcome(() => host.fetch('/%63onfig'));
    r.method = await outcome(() => host.fetch('/x', {method: 'TRACE'}));
    r.topic = await outcome(() => new Promise((resolve, reject) => {
      window.parent.postMessage({cas: 1, id: 9001, op: 'subscribe', topic: 'plugin:text-block:*'}, new URL(location.href).origin);
      addEventListener('message', (e) => {
        if (e.data?.id === 9001) (e.data.ok ? resolve('subscribed') : reject(Object.assign(new Error(e.data.error.message), {code: e.data.error.code})));
      });
    }));
    // Its own topic with another plugin's packed after a comma (the stream splits topics on ',').
    r.packedTopic = await outcome(() => new Promise((resolve, reject) => {
      window.parent.postMessage({cas: 1, id: 9002, op: 'subscribe', topic: 'plugin:probe:a,plugin:text-block:*'}, new URL(location.href).origin);
      addEventListener('message', (e) => {
        if (e.data?.id === 9002) (e.data.ok ? resolve('subscribed') : reject(Object.assign(new Error(e.data.error.message), {code: e.data.error.code})));
      });
    }));
    // Its own API (this plugin has no routes, so the host answers 404), a POST with credentials of
    // its own choosing that the page must replace: a forged bearer token would be a 401, a forged
    // CSRF token a 403.
    r.own = await outcome(async () => {
      const res = await host.fetch('/nothing', {method: 'POST', body: 'x',
        headers: {Authorization: 'Bearer forged', 'X-CSRF-Token': 'forged', 'content-type': 'text/plain'}});
      return res.status;
    });
    // Styles: a <style> element is refused by style-src 'self'; an adopted sheet applies.
    const shadow = this.attachShadow({mode: 'open'});
    const inline = document.createElement('p');
    inline.className = 'inline';
    inline.textContent = 'inline';
    const style = document.createElement('style');
    style.textContent = '.inline { color: rgb(255, 0, 0); }';
    const adopted = document.createElement('p');
    adopted.className = 'adopted';
    adopted.textContent = 'adopted';
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('.adopted { color: rgb(0, 128, 0); }');
    shadow.adoptedStyleSheets = [sheet];
    shadow.append(style, inline, adopted);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    r.inlineStyleColor = getComputedStyle(inline).color;
    r.adoptedStyleColor = getComputedStyle(adopted).color;
    const pre = document.createElement('pre');
    pre.id = 'results';
    pre.style.whiteSpace = 'pre-wrap';
    pre.textContent = JSON.stringify(r, null, 1);
    const leave = document.createElement('button');
    leave.id = 'leave';
    leave.textContent = 'leave';
    leave.addEventListener('click', () => { location.href = location.href; });
    this.after(pre, leave);
  }
}

customElements.define('probe-view', ProbeView);
