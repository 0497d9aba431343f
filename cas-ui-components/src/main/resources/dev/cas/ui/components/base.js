// Shared helpers of the components. Every component renders into the light DOM (labels, forms and
// password managers work across it, and a page's tests find controls by id) and styles itself
// through constructable stylesheets adopted by its root (the document, or the shadow root it sits
// in): the host's Content-Security-Policy forbids inline style, and no file here writes a style
// attribute or a <style> element.

/** A constructable stylesheet from CSS text. */
export function sheet(cssText) {
  const s = new CSSStyleSheet();
  s.replaceSync(cssText);
  return s;
}

/** Adds the sheets to the root node the element sits in (once each). */
export function adopt(element, ...sheets) {
  const root = element.getRootNode();
  if (!root || !('adoptedStyleSheets' in root)) return;
  const missing = sheets.filter((s) => !root.adoptedStyleSheets.includes(s));
  if (missing.length) root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...missing];
}

/**
 * The theme every component shares: on :root in a page, and on :host when adopted into a shadow
 * root (a plugin page's element). A page overrides the custom properties there.
 */
export const theme = sheet(`
:root, :host {
  --cas-fg: #1d2430; --cas-muted: #5b6575; --cas-line: #c9d0da; --cas-bg: #fff;
  --cas-accent: #1f4e79; --cas-ok: #1e7b34; --cas-warn: #9a6700; --cas-bad: #b42318;
  --cas-focus: #2a7de1; --cas-radius: 4px;
}
.cas-label { font-weight: 600; }
.cas-help { color: var(--cas-muted); font-size: .88em; }
.cas-error { color: var(--cas-bad); font-size: .9em; }
.cas-error:empty { display: none; }
.cas-required { color: var(--cas-bad); }
.cas-control { font: inherit; padding: .35rem .55rem; border: 1px solid var(--cas-line);
  border-radius: var(--cas-radius); background: var(--cas-bg); color: var(--cas-fg); }
.cas-control[aria-invalid=true] { border-color: var(--cas-bad); }
.cas-control:focus-visible, .cas-btn:focus-visible { outline: 2px solid var(--cas-focus); outline-offset: 1px; }
.cas-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`);

let counter = 0;

/** A document-unique id with this prefix. */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * el('div', {class: 'x', onclick: fn, dataset: {id: 'a'}}, 'text', child, [more]) → Element.
 * Text only ever becomes text nodes or attribute values, never markup: a component never parses
 * HTML, so a value from a plugin or the host cannot run script in the page.
 */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') e.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(e.dataset, value);
    else if (name === 'class') e.className = value;
    else if (value === true) e.setAttribute(name, '');
    else e.setAttribute(name, String(value));
  }
  appendAll(e, children);
  return e;
}

/** Appends children: nodes as they are, strings and numbers as text; skips null and false. */
export function appendAll(parent, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) appendAll(parent, c);
    else if (c instanceof Node) parent.append(c);
    else parent.append(document.createTextNode(String(c)));
  }
  return parent;
}

/** Defines a custom element unless a page (or another copy of these modules) did already. */
export function define(name, cls) {
  if (!customElements.get(name)) customElements.define(name, cls);
}

/** The keyboard-focusable elements inside a container, in tab order of the document. */
export function focusable(container) {
  const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]),'
    + ' select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
  return [...container.querySelectorAll(selector)].filter((e) => !e.closest('[hidden], [inert]')
    && e.getClientRects().length > 0);
}
