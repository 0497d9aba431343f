// DOM building without HTML strings: text from the host (plugin names, descriptions, messages,
// docs) only ever becomes text nodes or attribute values, never markup. Threat: a package whose
// name or description holds <img onerror=…> running script in an administrator's page.

/**
 * h('div', {class: 'x', onclick: fn, dataset: {id: 'a'}}, 'text', child, [more]) → Element.
 * Strings and numbers become text nodes; null, undefined and false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (name === 'class') {
      el.className = value;
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.append(c);
    else el.append(document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A badge: <span class="badge badge-<kind>">text</span>. */
export function badge(text, kind, title) {
  return h('span', {class: `badge badge-${kind}`, title, 'data-badge': kind}, text);
}

/** An error box that names the reason code and says the message plainly. */
export function errorBox(error, heading = 'Refused') {
  return h('div', {class: 'error-box', role: 'alert'},
    h('strong', {}, heading),
    error.code ? h('code', {class: 'reason-code'}, error.code) : null,
    h('p', {class: 'error-message'}, error.message));
}

/** Human size: 1536 → "1.5 KB". */
export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
