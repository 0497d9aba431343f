// Boots a plugin frame: the host's frame document names the plugin's module and component in
// data attributes of <body>; this loads the module, makes the element, hands it the bridge as its
// `host` property (the same object /ui/plugin-host.js exports) and shows it.
import {host} from './plugin-host.js';

const {module, tag} = document.body.dataset;

function problem(text) {
  const p = document.createElement('p');
  p.className = 'cas-frame-problem';
  p.textContent = text;
  document.body.replaceChildren(p);
}

try {
  await host.ready;
  await import(module);
  await customElements.whenDefined(tag);
  const element = document.createElement(tag);
  element.host = host;
  document.body.replaceChildren(element);
} catch (e) {
  problem(`This page could not start: ${e.message}`);
}
