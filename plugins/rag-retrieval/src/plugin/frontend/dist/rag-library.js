// <cas-rag-library>: the signed-in user's document collections, mounted by the admin page at
// #/ext/rag-retrieval/library inside the plugin's sandboxed frame.
//
// Collections (list, create), documents (upload a text or Markdown file, list, open), search
// (ranked passages) and answer (the top passages with numbered citations). Each passage links to
// its document, which opens with the cited range marked.
//
// Controls are the host's shared components (<cas-button>, <cas-input>), which render native
// elements with the ids given here into this element's shadow root.
//
// Threat: a document is user input, and so is every passage, title and highlight of it. Nothing
// from the server becomes markup: text goes into text nodes, and query words are marked by
// splitting the passage at the server's highlight offsets into text nodes and <mark> elements.

import { host } from '/ui/plugin-host.js';
import '/ui/components/index.js';

/** What the plugin accepts (DocumentFormat): plain text and Markdown, by file name or type. */
const FORMATS = [
  { format: 'markdown', extensions: ['.md', '.markdown'], types: ['text/markdown', 'text/x-markdown'] },
  { format: 'text', extensions: ['.txt', '.text'], types: ['text/plain'] },
];
const MAX_CONTENT = 1_000_000;

const sheet = new CSSStyleSheet();
sheet.replaceSync(`
  :host {
    display: block; font: 14px/1.45 system-ui, sans-serif; color: var(--cas-fg);
  }
  .layout { display: grid; grid-template-columns: 15rem 1fr; gap: 1rem; align-items: start; }
  section { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.75rem 1rem; margin: 0 0 1rem; }
  h2 { font-size: 1.05rem; margin: 0 0 0.5rem; }
  h3 { font-size: 0.95rem; margin: 0.25rem 0; }
  ul { list-style: none; padding: 0; margin: 0 0 0.5rem; }
  #collections li button { width: 100%; text-align: left; background: none; border: 0; padding: 0.3rem 0.4rem; border-radius: 4px; cursor: pointer; }
  #collections li button[aria-current=true] { background: #ddf4ff; font-weight: 600; }
  form { display: flex; gap: 0.5rem; align-items: end; flex-wrap: wrap; margin: 0.25rem 0; }
  cas-input { min-width: 10rem; flex: 1; }
  .doc-link { background: none; border: 0; padding: 0; color: #0969da; text-decoration: underline; cursor: pointer; font: inherit; }
  .passage { border-left: 3px solid #d0d7de; padding: 0.25rem 0.75rem; margin: 0.5rem 0; }
  .passage .text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.25rem 0; }
  .meta { color: #57606a; font-size: 0.85rem; }
  .number { font-weight: 700; margin-right: 0.35rem; }
  mark { background: #fff8c5; padding: 0 1px; }
  mark.cited { background: #ddf4ff; }
  #document-content { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 28rem; overflow: auto; background: #f6f8fa; padding: 0.5rem 0.75rem; }
  .outcome { margin: 0.5rem 0; padding: 0.5rem 0.75rem; border-radius: 4px; }
  .outcome:empty { display: none; }
  .error { background: #ffebe9; }
  .ok { background: #dafbe1; }
  .note { background: #fff8c5; }
  .code { font-family: ui-monospace, monospace; font-weight: 600; margin-right: 0.5rem; }
  [hidden] { display: none !important; }
`);

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/**
 * The text with the ranges marked: text nodes between <mark> elements, never parsed as HTML.
 * Ranges outside the text, empty or overlapping an earlier one are skipped.
 */
export function marked(text, ranges, className) {
  const nodes = [];
  let at = 0;
  for (const { start, end } of [...ranges].sort((a, b) => a.start - b.start)) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < at || end <= start || end > text.length) continue;
    if (start > at) nodes.push(document.createTextNode(text.slice(at, start)));
    nodes.push(h('mark', className ? { class: className } : {}, text.slice(start, end)));
    at = end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}

/** The format of a file the plugin accepts, by extension or type; null when it accepts none. */
export function formatOf(file) {
  const name = file.name.toLowerCase();
  const entry = FORMATS.find((f) => f.extensions.some((x) => name.endsWith(x)))
    ?? FORMATS.find((f) => f.types.includes(file.type));
  return entry ? entry.format : null;
}

/** A toast in the admin page, besides the outcome this page shows itself (which a failed toast keeps). */
function toast(message, options) {
  try {
    host.toast(message, options);
  } catch (e) {
    console.warn('the host did not show the toast:', e);
  }
}

/**
 * Calls the plugin's API through the host: answers the envelope's data, or throws the host's
 * HostError with the plugin's (or, when the host refused the call first, the host's) code and
 * message.
 */
function call(method, path, body) {
  return host.json(path, body === undefined ? {method} : {method, json: body});
}

export class CasRagLibrary extends HTMLElement {
  #root;
  #collection = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.adoptedStyleSheets = [sheet];
  }

  async connectedCallback() {
    await host.ready;
    this.#render();
    await this.#loadCollections();
  }

  #$(id) {
    return this.#root.getElementById(id);
  }

  #render() {
    const accept = FORMATS.flatMap((f) => [...f.extensions, ...f.types]).join(',');
    this.#root.replaceChildren(
      h('div', { class: 'layout' },
        h('section', { id: 'collections-panel' },
          h('h2', {}, 'Collections'),
          h('ul', { id: 'collections' }),
          h('form', { id: 'new-collection', onsubmit: (e) => { e.preventDefault(); this.#createCollection(); } },
            h('cas-input', { label: 'New collection', 'control-id': 'new-collection-name', placeholder: 'Name', required: true }),
            h('cas-button', { 'control-id': 'create-collection', type: 'submit' }, 'Create')),
          h('div', { id: 'collections-result', class: 'outcome', role: 'status' })),
        h('div', { id: 'workspace' },
          h('p', { id: 'no-collection', class: 'meta' }, 'Create or choose a collection.'),
          h('div', { id: 'collection-view', hidden: true },
            h('section', { id: 'documents-panel' },
              h('h2', { id: 'collection-title' }),
              h('ul', { id: 'documents' }),
              h('form', { id: 'upload', onsubmit: (e) => { e.preventDefault(); this.#upload(); } },
                h('input', { id: 'document-file', type: 'file', accept, 'aria-label': 'Text or Markdown file' }),
                h('cas-button', { 'control-id': 'upload-document', type: 'submit' }, 'Upload')),
              h('p', { class: 'meta' }, 'Plain text (.txt) or Markdown (.md), up to 1,000,000 characters.'),
              h('div', { id: 'upload-result', class: 'outcome', role: 'status' })),
            h('section', { id: 'ask-panel' },
              h('h2', {}, 'Search and answer'),
              h('form', { id: 'ask', onsubmit: (e) => { e.preventDefault(); this.#search(); } },
                h('cas-input', { label: 'Words or a question', 'control-id': 'query' }),
                h('cas-button', { 'control-id': 'search', type: 'submit' }, 'Search'),
                h('cas-button', { 'control-id': 'answer', variant: 'secondary', onclick: () => this.#answer() }, 'Answer')),
              h('div', { id: 'ask-result', class: 'outcome', role: 'status' }),
              h('div', { id: 'answer-view', hidden: true },
                h('h3', {}, 'Answer'),
                h('p', { id: 'answer-method', class: 'meta' }),
                h('div', { id: 'citations' })),
              h('div', { id: 'results' })),
            h('section', { id: 'document-view', hidden: true },
              h('h2', { id: 'document-title' }),
              h('p', { id: 'document-meta', class: 'meta' }),
              h('div', { id: 'document-content' }))))));
  }

  #show(id, kind, message, code) {
    const box = this.#$(id);
    box.className = `outcome ${kind}`;
    box.dataset.outcome = kind;
    box.replaceChildren(...(code ? [h('span', { class: 'code' }, code), ' '] : []), h('span', { class: 'message' }, message));
  }

  #clear(id) {
    const box = this.#$(id);
    box.className = 'outcome';
    delete box.dataset.outcome;
    box.replaceChildren();
  }

  async #loadCollections() {
    try {
      const collections = await call('GET', '/collections');
      this.#$('collections').replaceChildren(...collections.map((c) =>
        h('li', {},
          h('button', {
            type: 'button', 'data-collection-id': c.id, 'aria-current': String(c.id === this.#collection?.id),
            onclick: () => this.#open(c),
          }, c.name, h('span', { class: 'meta' }, ` (${c.documents})`)))));
      if (this.#collection) {
        const current = collections.find((c) => c.id === this.#collection.id);
        if (current) this.#collection = current;
      }
    } catch (e) {
      this.#show('collections-result', 'error', e.message, e.code);
    }
  }

  async #createCollection() {
    const input = this.#$('new-collection-name');
    const name = input.value.trim();
    if (!name) {
      this.#show('collections-result', 'error', 'Give the collection a name.');
      return;
    }
    try {
      const created = await call('POST', '/collections', { name });
      input.value = '';
      this.#clear('collections-result');
      toast(`Collection ${created.name} created`, { level: 'success' });
      await this.#open(created);
    } catch (e) {
      this.#show('collections-result', 'error', e.message, e.code);
    }
  }

  async #open(collection) {
    this.#collection = collection;
    this.#$('no-collection').hidden = true;
    this.#$('collection-view').hidden = false;
    this.#$('collection-title').textContent = collection.name;
    this.#$('collection-view').dataset.collectionId = collection.id;
    for (const id of ['upload-result', 'ask-result']) this.#clear(id);
    this.#$('results').replaceChildren();
    this.#$('answer-view').hidden = true;
    this.#$('document-view').hidden = true;
    await Promise.all([this.#loadCollections(), this.#loadDocuments()]);
  }

  async #loadDocuments() {
    const id = this.#collection.id;
    try {
      const documents = await call('GET', `/collections/${id}/documents`);
      if (this.#collection?.id !== id) return;
      this.#$('documents').replaceChildren(...(documents.length
        ? documents.map((d) => h('li', { 'data-document-id': d.id },
          this.#documentLink(d.id, d.title),
          h('span', { class: 'meta' }, ` — ${d.format}, ${d.length} characters, ${d.chunks} chunk${d.chunks === 1 ? '' : 's'}`)))
        : [h('li', { class: 'meta' }, 'No documents yet.')]));
    } catch (e) {
      this.#show('upload-result', 'error', e.message, e.code);
    }
  }

  #documentLink(documentId, title, cited) {
    return h('button', {
      type: 'button', class: 'doc-link', 'data-document-id': documentId,
      onclick: () => this.#openDocument(documentId, cited),
    }, title);
  }

  async #upload() {
    const file = this.#$('document-file').files[0];
    if (!file) {
      this.#show('upload-result', 'error', 'Choose a text or Markdown file first.');
      return;
    }
    const format = formatOf(file);
    if (!format) {
      this.#show('upload-result', 'error',
        `${file.name} is neither plain text (.txt) nor Markdown (.md); the collection takes only those.`);
      return;
    }
    const content = await file.text();
    if (content.length > MAX_CONTENT) {
      this.#show('upload-result', 'error',
        `${file.name} has ${content.length} characters; a document may have at most ${MAX_CONTENT}.`);
      return;
    }
    const title = file.name.replace(/\.(md|markdown|txt|text)$/i, '') || file.name;
    try {
      const doc = await call('POST', `/collections/${this.#collection.id}/documents`, { title, content, format });
      this.#$('document-file').value = '';
      this.#show('upload-result', 'ok', `Added ${doc.title} (${doc.format}, ${doc.chunks} chunk${doc.chunks === 1 ? '' : 's'}).`);
      await Promise.all([this.#loadDocuments(), this.#loadCollections()]);
    } catch (e) {
      this.#show('upload-result', 'error', e.message, e.code);
    }
  }

  #question() {
    const text = this.#$('query').value.trim();
    if (!text) this.#show('ask-result', 'error', 'Type some words or a question.');
    return text;
  }

  async #search() {
    const query = this.#question();
    if (!query) return;
    this.#$('answer-view').hidden = true;
    try {
      const found = await call('POST', `/collections/${this.#collection.id}/search`, { query });
      this.#$('results').replaceChildren(...found.results.map((r) =>
        this.#passage(r.text, r.highlights, r.citation, h('span', { class: 'number' }, `#${r.rank}`), `score ${r.score}`)));
      this.#show('ask-result', found.results.length ? 'ok' : 'note',
        found.results.length ? `${found.results.length} passage${found.results.length === 1 ? '' : 's'}` : 'No passage matches.');
    } catch (e) {
      this.#$('results').replaceChildren();
      this.#show('ask-result', 'error', e.message, e.code);
    }
  }

  async #answer() {
    const question = this.#question();
    if (!question) return;
    this.#$('results').replaceChildren();
    try {
      const answer = await call('POST', `/collections/${this.#collection.id}/answer`, { question });
      this.#$('answer-method').textContent = answer.method;
      this.#$('citations').replaceChildren(...(answer.citations.length
        ? answer.citations.map((c) =>
          this.#passage(c.text, c.highlights, c, h('span', { class: 'number' }, `[${c.number}]`), `score ${c.score}`))
        : [h('p', { id: 'no-answer' }, answer.answer)]));
      this.#$('answer-view').hidden = false;
      this.#clear('ask-result');
    } catch (e) {
      this.#$('answer-view').hidden = true;
      this.#show('ask-result', 'error', e.message, e.code);
    }
  }

  /** One passage: its label, its text with the query's words marked, and a link to its source. */
  #passage(text, highlights, citation, label, score) {
    return h('div', { class: 'passage', 'data-document-id': citation.documentId },
      h('div', { class: 'text' }, label, ' ', ...marked(text, highlights ?? [])),
      h('div', { class: 'meta' },
        'from ', this.#documentLink(citation.documentId, citation.title, citation),
        `, chunk ${citation.chunkOrdinal}, characters ${citation.startOffset}–${citation.endOffset}, ${score}`));
  }

  /** Shows a document; with a citation, its cited range is marked and scrolled into view. */
  async #openDocument(documentId, cited) {
    try {
      const doc = await call('GET', `/collections/${this.#collection.id}/documents/${documentId}`);
      const view = this.#$('document-view');
      view.dataset.documentId = doc.id;
      this.#$('document-title').textContent = doc.title;
      this.#$('document-meta').textContent = `${doc.format}, ${doc.length} characters`
        + (cited ? `; the cited passage is marked (characters ${cited.startOffset}–${cited.endOffset})` : '');
      const ranges = cited ? [{ start: cited.startOffset, end: cited.endOffset }] : [];
      this.#$('document-content').replaceChildren(...marked(doc.content, ranges, 'cited'));
      view.hidden = false;
      (this.#$('document-content').querySelector('mark.cited') ?? view).scrollIntoView({ block: 'nearest' });
    } catch (e) {
      this.#show('ask-result', 'error', e.message, e.code);
    }
  }
}

customElements.define('cas-rag-library', CasRagLibrary);
