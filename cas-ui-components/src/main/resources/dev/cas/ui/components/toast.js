// toast('Saved.', {level: 'info'|'success'|'warning'|'error', timeout: ms}) shows a notice in the
// page's <cas-toast> region (made on first use, at the end of <body>). The region is a live region
// (polite; errors are role=alert), so screen readers read each notice. Notices go after their
// timeout (default 6 s; errors stay until dismissed; 0 keeps any), never while the pointer or focus
// is on them, and each has a dismiss button.
import {adopt, define, el, sheet, theme} from './base.js';

const styles = sheet(`
cas-toast { position: fixed; right: 1rem; bottom: 1rem; z-index: 1000; display: grid; gap: .5rem;
  max-width: min(28rem, 90vw); }
.cas-toast-item { display: flex; gap: .8rem; align-items: start; padding: .6rem .8rem;
  border-radius: 6px; border: 1px solid var(--cas-line); border-left: 5px solid var(--cas-accent);
  background: var(--cas-bg); color: var(--cas-fg); box-shadow: 0 2px 8px rgb(0 0 0 / 15%); }
.cas-toast-item[data-level=success] { border-left-color: var(--cas-ok); }
.cas-toast-item[data-level=warning] { border-left-color: var(--cas-warn); }
.cas-toast-item[data-level=error] { border-left-color: var(--cas-bad); }
.cas-toast-text { flex: 1; }
.cas-toast-dismiss { font: inherit; background: none; border: 0; cursor: pointer; color: var(--cas-muted); }
`);

const LEVELS = ['info', 'success', 'warning', 'error'];

export class CasToast extends HTMLElement {
  connectedCallback() {
    adopt(this, theme, styles);
    this.setAttribute('role', 'region');
    this.setAttribute('aria-label', 'Notifications');
    this.setAttribute('aria-live', 'polite');
  }

  /** Adds a notice; answers its element. */
  show(message, {level = 'info', timeout} = {}) {
    if (!LEVELS.includes(level)) {
      throw new TypeError(`toast level [${level}] is not one of ${LEVELS.join(', ')}`);
    }
    const ms = timeout ?? (level === 'error' ? 0 : 6000);
    const item = el('div', {class: 'cas-toast-item', dataset: {level}, role: level === 'error' ? 'alert' : 'status'},
      el('span', {class: 'cas-toast-text'}, String(message)),
      el('button', {type: 'button', class: 'cas-toast-dismiss', 'aria-label': 'Dismiss'}, '×'));
    item.querySelector('button').addEventListener('click', () => item.remove());
    this.append(item);
    if (ms > 0) {
      let held = false;
      const hold = () => { held = true; };
      const release = () => { held = false; };
      item.addEventListener('pointerenter', hold);
      item.addEventListener('pointerleave', release);
      item.addEventListener('focusin', hold);
      item.addEventListener('focusout', release);
      const tick = () => (held ? setTimeout(tick, 1000) : item.remove());
      setTimeout(tick, ms);
    }
    return item;
  }
}

define('cas-toast', CasToast);

/** Shows a notice in the document's toast region (created when missing). */
export function toast(message, options = {}) {
  let region = document.querySelector('cas-toast');
  if (!region) {
    region = document.createElement('cas-toast');
    document.body.append(region);
  }
  return region.show(message, options);
}
