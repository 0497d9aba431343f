// Runs frontend/dist/text-block.js under Node against a real host, with just enough DOM for the
// component. In the admin page the host's plugin frame hands the component its bridge as
// `element.host`; here a stand-in with the same json(path, init) calls the plugin's API directly
// with a bearer token. Prints what the component rendered as JSON. (The component in a real
// browser frame is tested by cas-web-tests' PluginFrameIT.)
//
//   node component-harness.mjs <text-block.js> <base-url> <token> [block-id]
import { pathToFileURL } from "node:url";

class FakeNode {
  constructor(tagName) {
    this.tagName = tagName;
    this.children = [];
    this.textContent = "";
    this.className = "";
    this.style = {};
    this.dataset = {};
  }
  append(...nodes) {
    this.children.push(...nodes);
  }
  replaceChildren(...nodes) {
    this.children = nodes;
  }
  addEventListener() {}
}

const registry = new Map();
globalThis.document = { createElement: (tag) => new FakeNode(tag) };
globalThis.customElements = { get: (name) => registry.get(name), define: (name, type) => registry.set(name, type) };
globalThis.CustomEvent = class {
  constructor(type, init) {
    this.type = type;
    this.detail = init?.detail;
  }
};
globalThis.HTMLElement = class {
  #attributes = new Map();
  events = [];
  isConnected = false;
  attachShadow() {
    this.shadowRoot = new FakeNode("#shadow-root");
    return this.shadowRoot;
  }
  getAttribute(name) {
    return this.#attributes.has(name) ? this.#attributes.get(name) : null;
  }
  setAttribute(name, value) {
    const old = this.getAttribute(name);
    this.#attributes.set(name, String(value));
    this.attributeChangedCallback?.(name, old, String(value));
  }
  dispatchEvent(event) {
    this.events.push({ type: event.type, detail: event.detail });
    return true;
  }
};

const [, , modulePath, baseUrl, token, blockId] = process.argv;
await import(pathToFileURL(modulePath).href);
const element = new (customElements.get("cas-text-block"))();
element.host = {
  async json(path, init = {}) {
    const response = await fetch(`${baseUrl}/api/plugins/text-block${path}`, {
      method: init.method ?? "GET",
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
    });
    const body = await response.json().catch(() => null);
    if (!response.ok || body?.success === false) {
      throw new Error(body?.message ?? `${path} answered ${response.status}`);
    }
    return body.data;
  },
};
if (blockId) {
  element.setAttribute("block-id", blockId);
}
element.isConnected = true;
await element.refresh();

const plain = (node) => ({
  tag: node.tagName,
  className: node.className,
  text: node.children.length === 0 ? node.textContent : null,
  style: node.style,
  blockId: node.dataset.blockId ?? null,
  children: node.children.map(plain),
});
console.log(JSON.stringify({ root: plain(element.shadowRoot), events: element.events }));
