// <{{id}}-panel>: greets the signed-in user and lists their items.
//
//   <{{id}}-panel token="…" [base-url="https://cas.example"]></{{id}}-panel>
//
// Text from the server is set with textContent, never innerHTML.

const API = "/api/plugins/{{id}}";

class Panel extends HTMLElement {
  async connectedCallback() {
    const root = this.attachShadow({ mode: "open" });
    const base = this.getAttribute("base-url") ?? "";
    const headers = { Authorization: `Bearer ${this.getAttribute("token") ?? ""}` };
    const title = document.createElement("h3");
    const list = document.createElement("ul");
    root.append(title, list);
    try {
      const hello = await (await fetch(`${base}${API}/hello`, { headers })).json();
      title.textContent = hello.message;
      const items = await (await fetch(`${base}${API}/items`, { headers })).json();
      for (const item of items) {
        const li = document.createElement("li");
        li.textContent = item.title;
        list.append(li);
      }
    } catch (e) {
      title.textContent = `cannot reach the plugin: ${e}`;
    }
  }
}

if (!customElements.get("{{id}}-panel")) {
  customElements.define("{{id}}-panel", Panel);
}
