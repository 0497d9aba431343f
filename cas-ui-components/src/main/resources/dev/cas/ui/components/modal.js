// <cas-modal heading="Uninstall text-block?">…content… <button data-close="ok">OK</button></cas-modal>
// modal.open() shows it as a modal dialog (native <dialog>: the rest of the page is inert, the
// dialog sits on top); focus moves into it and Tab / Shift+Tab wrap inside it; Escape, a
// [data-close] element or modal.close(value) close it, and focus returns to where it was. The
// dialog is labelled by its heading and carries aria-modal="true". Events: cas-open, and cas-close
// with {detail: {value}} ('cancel' for Escape and the close button).
import {adopt, define, el, focusable, sheet, theme, uid} from './base.js';

const styles = sheet(`
.cas-modal { border: 1px solid var(--cas-line); border-radius: 8px; padding: 0; min-width: 20rem;
  max-width: min(40rem, 92vw); color: var(--cas-fg); background: var(--cas-bg); }
.cas-modal::backdrop { background: rgb(15 23 42 / 45%); }
.cas-modal-head { display: flex; align-items: center; justify-content: space-between; gap: 1rem;
  padding: .7rem 1rem; border-bottom: 1px solid var(--cas-line); }
.cas-modal-head h2 { font-size: 1.1rem; margin: 0; }
.cas-modal-close { font: inherit; background: none; border: 0; font-size: 1.3rem; line-height: 1;
  cursor: pointer; color: var(--cas-muted); }
.cas-modal-body { padding: .8rem 1rem 1rem; }
`);

export class CasModal extends HTMLElement {
  static observedAttributes = ['heading'];

  connectedCallback() {
    adopt(this, theme, styles);
    if (this.dialog) return;
    const headingId = uid('cas-modal-heading');
    this.headingEl = el('h2', {id: headingId}, this.getAttribute('heading') ?? '');
    this.body = el('div', {class: 'cas-modal-body'});
    this.body.append(...this.childNodes);
    this.dialog = el('dialog', {class: 'cas-modal', 'aria-labelledby': headingId, 'aria-modal': 'true'},
      el('div', {class: 'cas-modal-head'}, this.headingEl,
        el('button', {type: 'button', class: 'cas-modal-close', 'aria-label': 'Close', 'data-close': 'cancel'}, '×')),
      this.body);
    this.dialog.addEventListener('keydown', (e) => this.keydown(e));
    this.dialog.addEventListener('click', (e) => {
      const closer = e.target.closest('[data-close]');
      if (closer && this.dialog.contains(closer)) this.close(closer.dataset.close || 'close');
    });
    // Escape: the browser closes the dialog itself (cancel, then close); every way of closing
    // ends in the close event, where focus is given back.
    this.dialog.addEventListener('cancel', () => { this.closeValue = 'cancel'; });
    this.dialog.addEventListener('close', () => this.closed());
    this.append(this.dialog);
  }

  attributeChangedCallback() {
    if (this.headingEl) this.headingEl.textContent = this.getAttribute('heading') ?? '';
  }

  /** Whether the dialog is showing. */
  get isOpen() {
    return Boolean(this.dialog?.open);
  }

  /** Shows the dialog and moves focus to its first control (or [autofocus] inside it). */
  open() {
    if (!this.dialog) this.connectedCallback();
    if (this.dialog.open) return;
    this.returnFocus = document.activeElement;
    this.dialog.showModal();
    const first = this.body.querySelector('[autofocus]') ?? focusable(this.body)[0] ?? focusable(this.dialog)[0];
    first?.focus();
    this.dispatchEvent(new CustomEvent('cas-open', {bubbles: true}));
  }

  /** Closes it, gives focus back to the element that had it, and dispatches cas-close. */
  close(value = 'close') {
    if (!this.dialog?.open) return;
    this.closeValue = value;
    this.dialog.close();
  }

  closed() {
    const value = this.closeValue ?? 'cancel';
    this.closeValue = null;
    const back = this.returnFocus;
    this.returnFocus = null;
    if (back && back.isConnected && typeof back.focus === 'function') back.focus();
    this.dispatchEvent(new CustomEvent('cas-close', {bubbles: true, detail: {value}}));
  }

  /** Tab and Shift+Tab wrap inside the dialog: focus never leaves it while it is open. */
  keydown(e) {
    if (e.key !== 'Tab') return;
    const items = focusable(this.dialog);
    if (!items.length) {
      e.preventDefault();
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !this.dialog.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !this.dialog.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  }
}

define('cas-modal', CasModal);
