// <cas-text-block>: the signed-in user's text blocks, styled with the plugin's display settings.
//
//   <cas-text-block token="…" [base-url="https://cas.example"] [block-id="<uuid>"]></cas-text-block>
//
// Block text is always rendered with textContent, never innerHTML: a block is user input and
// must not run as markup on the dashboard. Settings are applied as CSS only after checking them
// against the configSchema's rules, so an unexpected value cannot inject CSS either.

const API = "/api/plugins/text-block";
const ALIGNMENTS = ["left", "center", "right", "justify"];
const DEFAULTS = { fontSize: 14, alignment: "left", backgroundColor: "#ffffff" };

/** The settings, each value replaced by its default unless it follows the configSchema. */
export function safeSettings(settings) {
  const s = settings ?? {};
  return {
    fontSize: Number.isInteger(s.fontSize) && s.fontSize >= 8 && s.fontSize <= 72 ? s.fontSize : DEFAULTS.fontSize,
    alignment: ALIGNMENTS.includes(s.alignment) ? s.alignment : DEFAULTS.alignment,
    backgroundColor: /^#[0-9a-fA-F]{6}$/.test(s.backgroundColor ?? "") ? s.backgroundColor : DEFAULTS.backgroundColor,
  };
}

const STYLE = `
  :host { display: block; }
  .blocks { display: grid; gap: 0.75rem; }
  article { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.75rem 1rem; }
  h3 { margin: 0 0 0.5rem; font-size: 1.1em; }
  .content { white-space: pre-wrap; overflow-wrap: anywhere; }
  .empty, .error { color: #57606a; font-style: italic; }
  .error { color: #cf222e; }
`;

export class CasTextBlock extends HTMLElement {
  static get observedAttributes() {
    return ["token", "base-url", "block-id"];
  }

  #generation = 0;

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
  }

  connectedCallback() {
    this.refresh();
  }

  attributeChangedCallback(_name, oldValue, newValue) {
    if (this.isConnected && oldValue !== newValue) {
      this.refresh();
    }
  }

  /** Fetches settings and blocks again and re-renders; a newer call wins over an older one. */
  async refresh() {
    const generation = ++this.#generation;
    const token = this.getAttribute("token");
    if (!token) {
      this.#render(generation, () => this.#message("error", "No token: set the token attribute."));
      return;
    }
    try {
      const blockId = this.getAttribute("block-id");
      const [settings, data] = await Promise.all([
        this.#get(`${API}/settings`, token),
        this.#get(blockId ? `${API}/blocks/${encodeURIComponent(blockId)}` : `${API}/blocks`, token),
      ]);
      const blocks = Array.isArray(data) ? data : [data];
      this.#render(generation, () => this.#blocks(safeSettings(settings), blocks));
    } catch (error) {
      this.#render(generation, () => this.#message("error", error.message));
      this.dispatchEvent(new CustomEvent("cas-text-block:error", { detail: { message: error.message }, bubbles: true }));
    }
  }

  async #get(path, token) {
    const base = (this.getAttribute("base-url") ?? "").replace(/\/+$/, "");
    const response = await fetch(base + path, { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } });
    let body = null;
    try {
      body = await response.json();
    } catch {
      // Not JSON (a proxy's error page): reported below with the status.
    }
    if (!response.ok || !body?.success) {
      throw new Error(body?.message ?? `GET ${path} answered ${response.status}`);
    }
    return body.data;
  }

  #render(generation, build) {
    if (generation !== this.#generation) {
      return; // an older request finishing late
    }
    const style = document.createElement("style");
    style.textContent = STYLE;
    this.shadowRoot.replaceChildren(style, build());
  }

  #blocks(settings, blocks) {
    if (blocks.length === 0) {
      return this.#message("empty", "No text blocks yet.");
    }
    const list = document.createElement("div");
    list.className = "blocks";
    for (const block of blocks) {
      const article = document.createElement("article");
      article.dataset.blockId = block.id;
      article.style.fontSize = `${settings.fontSize}px`;
      article.style.textAlign = settings.alignment;
      article.style.backgroundColor = settings.backgroundColor;
      const title = document.createElement("h3");
      title.textContent = block.title;
      const content = document.createElement("div");
      content.className = "content";
      content.textContent = block.content;
      article.append(title, content);
      list.append(article);
    }
    return list;
  }

  #message(kind, text) {
    const p = document.createElement("p");
    p.className = kind;
    p.textContent = text;
    return p;
  }
}

if (!customElements.get("cas-text-block")) {
  customElements.define("cas-text-block", CasTextBlock);
}
