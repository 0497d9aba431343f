// Runs frontend/dist/text-block.js under Node against a real host, with just enough DOM for the
// component (no browser on the build machines). Prints what the component rendered as JSON.
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
element.setAttribute("base-url", baseUrl);
element.setAttribute("token", token);
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
