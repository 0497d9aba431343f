// <cas-text-block>: the signed-in user's text blocks — list, create, edit, delete — shown in the
// plugin's display settings. It runs in the host's sandboxed plugin frame, which sets its `host`
// property to the bridge of /ui/plugin-host.js; every call goes through host.json(path, init) to
// this plugin's API (/api/plugins/text-block/…). The frame has no cookie and may not connect
// anywhere itself.
//
//   <cas-text-block [block-id="<uuid>"]></cas-text-block>   (element.host = host)
//
// Block text is always rendered with textContent, never innerHTML: a block is user input and must
// not run as markup. Settings are applied as CSS only after checking them against the
// configSchema's rules, so an unexpected value cannot inject CSS either. Styles are a
// constructable stylesheet (adoptedStyleSheets): the frame's CSP (style-src 'self') refuses a
// <style> element.

const ALIGNMENTS = ["left", "center", "right", "justify"];
const DEFAULTS = { fontSize: 14, alignment: "left", backgroundColor: "#ffffff" };
const CREATED = "plugin:text-block:block-created";

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
  form { display: grid; gap: 0.4rem; max-width: 40rem; margin: 0 0 1rem; }
  input, textarea, button { font: inherit; padding: 0.35rem 0.55rem; border: 1px solid #d0d7de; border-radius: 4px; }
  textarea { min-height: 4rem; }
  button { background: #1f4e79; color: #fff; border-color: #1f4e79; cursor: pointer; justify-self: start; }
  button.secondary { background: #fff; color: #1f4e79; }
  button.danger { background: #b42318; border-color: #b42318; }
  .blocks { display: grid; gap: 0.75rem; }
  article { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.75rem 1rem; }
  h3 { margin: 0 0 0.5rem; font-size: 1.1em; }
  .content { white-space: pre-wrap; overflow-wrap: anywhere; }
  .actions { display: flex; gap: 0.5rem; margin-top: 0.6rem; }
  .empty, .error { color: #57606a; font-style: italic; }
  .error { color: #cf222e; }
`;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node[k] = v;
  }
  node.append(...children);
  return node;
}

export class CasTextBlock extends HTMLElement {
  static get observedAttributes() {
    return ["block-id"];
  }

  #generation = 0;
  #settings = DEFAULTS;
  #stopEvents = null;

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    if (typeof CSSStyleSheet === "function" && "adoptedStyleSheets" in this.shadowRoot) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
      this.shadowRoot.adoptedStyleSheets = [sheet];
    }
  }

  connectedCallback() {
    // A block created elsewhere (another tab of the same user) shows up here too.
    this.#stopEvents = this.host?.on?.(CREATED, () => this.refresh()) ?? null;
    this.refresh();
  }

  disconnectedCallback() {
    this.#stopEvents?.();
    this.#stopEvents = null;
  }

  attributeChangedCallback(_name, oldValue, newValue) {
    if (this.isConnected && oldValue !== newValue) {
      this.refresh();
    }
  }

  /** Fetches settings and blocks again and re-renders; a newer call wins over an older one. */
  async refresh() {
    const generation = ++this.#generation;
    if (!this.host) {
      this.#render(generation, this.#message("error", "No host: this component runs in a CAS plugin frame."));
      return;
    }
    try {
      const blockId = this.getAttribute("block-id");
      const [settings, data] = await Promise.all([
        this.host.json("/settings"),
        this.host.json(blockId ? `/blocks/${encodeURIComponent(blockId)}` : "/blocks"),
      ]);
      this.#settings = safeSettings(settings);
      const blocks = Array.isArray(data) ? data : [data];
      this.#render(generation, this.#blocks(blocks));
    } catch (error) {
      this.#failed(error, generation);
    }
  }

  #failed(error, generation = this.#generation) {
    this.#render(generation, this.#message("error", error.message));
    this.dispatchEvent(new CustomEvent("cas-text-block:error", { detail: { message: error.message }, bubbles: true }));
  }

  #render(generation, view) {
    if (generation !== this.#generation) {
      return; // an older request finishing late
    }
    this.shadowRoot.replaceChildren(this.#newForm(), view);
  }

  #newForm() {
    const title = el("input", { id: "new-title", name: "title", placeholder: "Title", required: true, maxLength: 200 });
    const content = el("textarea", { id: "new-content", name: "content", placeholder: "Text" });
    return el(
      "form",
      { className: "new-block", id: "new-block", onsubmit: (e) => {
        e.preventDefault();
        this.#save("POST", "/blocks", { title: title.value, content: content.value }, "Block created");
      } },
      title,
      content,
      el("button", { type: "submit", id: "create-block", textContent: "Create block" }),
    );
  }

  async #save(method, path, body, done) {
    try {
      await this.host.json(path, { method, json: body });
      this.host.toast?.(done, { level: "success" });
      await this.refresh();
    } catch (error) {
      this.host.toast?.(error.message, { level: "error" });
      this.#failed(error);
    }
  }

  #blocks(blocks) {
    if (blocks.length === 0) {
      return this.#message("empty", "No text blocks yet.");
    }
    return el("div", { className: "blocks" }, ...blocks.map((b) => this.#article(b)));
  }

  #article(block) {
    const s = this.#settings;
    const article = el("article", { dataset: { blockId: block.id } });
    article.style.fontSize = `${s.fontSize}px`;
    article.style.textAlign = s.alignment;
    article.style.backgroundColor = s.backgroundColor;
    const show = () => {
      article.replaceChildren(
        el("h3", { textContent: block.title }),
        el("div", { className: "content", textContent: block.content }),
        el("div", { className: "actions" },
          el("button", { type: "button", className: "secondary edit", textContent: "Edit", onclick: edit }),
          el("button", { type: "button", className: "danger delete", textContent: "Delete", onclick: remove })),
      );
    };
    const edit = () => {
      const title = el("input", { className: "edit-title", value: block.title, required: true, maxLength: 200 });
      const content = el("textarea", { className: "edit-content", value: block.content });
      article.replaceChildren(el(
        "form",
        { className: "edit-block", onsubmit: (e) => {
          e.preventDefault();
          this.#save("PUT", `/blocks/${encodeURIComponent(block.id)}`, { title: title.value, content: content.value }, "Block saved");
        } },
        title,
        content,
        el("div", { className: "actions" },
          el("button", { type: "submit", className: "save", textContent: "Save" }),
          el("button", { type: "button", className: "secondary cancel", textContent: "Cancel", onclick: show })),
      ));
    };
    const remove = () => this.#remove(block);
    show();
    return article;
  }

  async #remove(block) {
    try {
      await this.host.fetch(`/blocks/${encodeURIComponent(block.id)}`, { method: "DELETE" }).then(async (res) => {
        if (!res.ok) {
          const body = await res.json().catch(() => null);
          throw new Error(body?.message ?? `DELETE answered ${res.status}`);
        }
      });
      this.host.toast?.("Block deleted", { level: "success" });
      await this.refresh();
    } catch (error) {
      this.#failed(error);
    }
  }

  #message(kind, text) {
    return el("p", { className: kind, textContent: text });
  }
}

if (!customElements.get("cas-text-block")) {
  customElements.define("cas-text-block", CasTextBlock);
}
