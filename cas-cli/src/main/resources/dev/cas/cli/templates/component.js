// <{{id}}-panel>: greets the signed-in user and lists their items. The admin page shows it at
// this plugin's route in a sandboxed frame and sets its `host` property to the host's bridge:
// host.json('/items') calls /api/plugins/{{id}}/items with the user's session (the frame itself
// may not connect anywhere). See docs/FORMAT.md, "Frontend".
//
// Text from the server is set with textContent, never innerHTML.

class Panel extends HTMLElement {
  async connectedCallback() {
    const root = this.attachShadow({ mode: "open" });
    const title = document.createElement("h3");
    const list = document.createElement("ul");
    root.append(title, list);
    try {
      const hello = await this.host.json("/hello");
      title.textContent = hello.message;
      const items = await this.host.json("/items");
      for (const item of items) {
        const li = document.createElement("li");
        li.textContent = item.title;
        list.append(li);
      }
    } catch (e) {
      title.textContent = `cannot reach the plugin: ${e.message}`;
    }
  }
}

if (!customElements.get("{{id}}-panel")) {
  customElements.define("{{id}}-panel", Panel);
}
