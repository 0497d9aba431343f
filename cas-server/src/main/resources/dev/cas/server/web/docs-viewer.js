// <cas-docs-viewer>: a plugin's documentation pages. Markdown is rendered by a small renderer
// that builds DOM nodes from text (headings, paragraphs, lists, code, links), so no markup in a
// doc is ever interpreted. HTML docs, sanitised by the host on the way in, are sanitised again
// here: parsed inert with DOMParser and rebuilt from an allowlist of elements and attributes.
// Threat: a plugin's docs running script in an administrator's page (the page's CSP forbids
// inline script as a second line).
import {get} from './api.js';
import {errorBox, h, replace} from './dom.js';

const ALLOWED = new Set(['a', 'b', 'blockquote', 'br', 'code', 'dd', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'hr', 'i', 'li', 'ol', 'p', 'pre', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td',
  'th', 'thead', 'tr', 'u', 'ul']);

function safeHref(href) {
  if (!href || !href.trim()) return null;
  try {
    const url = new URL(href, location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Rebuilds sanitised HTML as DOM: allowlisted elements, text, and only http(s)/mailto links. */
export function sanitizedHtml(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const tag = node.tagName.toLowerCase();
    const children = [...node.childNodes].map(copy).filter(Boolean);
    if (!ALLOWED.has(tag)) {
      // Unknown elements lose their tag but keep their text; script and style lose both.
      if (tag === 'script' || tag === 'style' || tag === 'template') return null;
      const f = document.createDocumentFragment();
      f.append(...children);
      return f;
    }
    const el = document.createElement(tag);
    if (tag === 'a') {
      const href = safeHref(node.getAttribute('href'));
      if (href) {
        el.setAttribute('href', href);
        el.setAttribute('rel', 'noopener noreferrer');
        el.setAttribute('target', '_blank');
      }
    }
    el.append(...children);
    return el;
  };
  const out = document.createDocumentFragment();
  out.append(...[...doc.body.childNodes].map(copy).filter(Boolean));
  return out;
}

function inline(text) {
  // `code`, **bold**, *em*, [text](url): everything else stays text.
  const out = [];
  const re = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*]+\*)|(\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const t = m[0];
    if (m[1]) out.push(h('code', {}, t.slice(1, -1)));
    else if (m[2]) out.push(h('strong', {}, t.slice(2, -2)));
    else if (m[3]) out.push(h('em', {}, t.slice(1, -1)));
    else {
      const [, label, href] = t.match(/^\[([^\]]+)\]\(([^)\s]+)\)$/);
      const safe = safeHref(href);
      out.push(safe ? h('a', {href: safe, rel: 'noopener noreferrer', target: '_blank'}, label) : label);
    }
    last = m.index + t.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Markdown to DOM, built from text only. */
export function markdown(source) {
  const out = document.createDocumentFragment();
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  let para = [];
  let listEl = null;
  const flush = () => {
    if (para.length) out.append(h('p', {}, inline(para.join(' '))));
    para = [];
    listEl = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('```')) {
      flush();
      const code = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) code.push(lines[i]);
      out.append(h('pre', {}, h('code', {}, code.join('\n'))));
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    const item = line.match(/^\s*(?:[-*]|\d+\.)\s+(.*)$/);
    if (heading) {
      flush();
      out.append(h(`h${Math.min(6, heading[1].length + 1)}`, {}, inline(heading[2])));
    } else if (item) {
      if (para.length) flush();
      if (!listEl) {
        listEl = h(/^\s*\d/.test(line) ? 'ol' : 'ul');
        out.append(listEl);
      }
      listEl.append(h('li', {}, inline(item[1])));
    } else if (line.startsWith('|')) {
      flush();
      out.append(h('pre', {class: 'table'}, line));
    } else if (!line.trim()) {
      flush();
    } else {
      listEl = null;
      para.push(line.trim());
    }
  }
  flush();
  return out;
}

class CasDocsViewer extends HTMLElement {
  async connectedCallback() {
    this.nav = h('ul', {class: 'doc-list', id: 'doc-list'});
    this.page = h('article', {class: 'doc', id: 'doc-content'});
    replace(this, h('div', {class: 'docs'}, this.nav, this.page));
    try {
      const docs = await get(`/api/plugins/${encodeURIComponent(this.plugin)}/docs`);
      if (!docs.length) {
        replace(this.page, h('p', {class: 'muted'}, 'This plugin has no documentation.'));
        return;
      }
      replace(this.nav, docs.map((d) => h('li', {},
        h('a', {href: '#', dataset: {docId: d.id}, onclick: (e) => { e.preventDefault(); this.show(d.id); }}, d.title))));
      this.show(docs[0].id);
    } catch (e) {
      replace(this.page, errorBox(e, 'Cannot read the docs'));
    }
  }

  async show(docId) {
    try {
      const d = await get(`/api/plugins/${encodeURIComponent(this.plugin)}/docs/${docId}`);
      const body = d.format === 'html' ? sanitizedHtml(d.content)
        : d.format === 'markdown' ? markdown(d.content)
          : h('pre', {}, d.content);
      replace(this.page, h('p', {class: 'muted'}, `${d.type} · ${d.format} · version ${d.version} · revision ${d.revision}`), body);
    } catch (e) {
      replace(this.page, errorBox(e, 'Cannot read the doc'));
    }
  }
}

customElements.define('cas-docs-viewer', CasDocsViewer);
