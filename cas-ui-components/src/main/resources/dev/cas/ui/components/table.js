// <cas-table caption="Users" empty="No user yet." body-id="user-rows"></cas-table>
// table.columns = [{key: 'name', label: 'Name', sortable: true, render: (row) => node|text,
//                   value: (row) => what sorting compares (default row[key])}];
// table.rowAttributes = (row) => ({dataset: {user: row.name}, class: 'x'});   (optional)
// table.rows = [...];
// A native <table>: a caption (visually hidden unless show-caption) names it; a sortable column's
// header is a button (Enter/Space sort; again reverses) and its <th> carries aria-sort. No rows
// shows the empty text in one row (class cas-table-empty).
import {adopt, define, el, sheet, theme} from './base.js';

const styles = sheet(`
cas-table { display: block; overflow-x: auto; }
.cas-table { border-collapse: collapse; width: 100%; background: var(--cas-bg); }
.cas-table th, .cas-table td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--cas-line); vertical-align: top; }
.cas-table th { font-size: .85rem; color: var(--cas-muted); font-weight: 600; }
.cas-table caption { text-align: left; font-weight: 600; padding: .3rem 0; }
.cas-sort { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
.cas-sort::after { content: " \\2195"; opacity: .45; }
th[aria-sort=ascending] .cas-sort::after { content: " \\2191"; opacity: 1; }
th[aria-sort=descending] .cas-sort::after { content: " \\2193"; opacity: 1; }
.cas-table-empty td { color: var(--cas-muted); font-style: italic; }
`);

export class CasTable extends HTMLElement {
  constructor() {
    super();
    this._columns = [];
    this._rows = [];
    this.sort = null;
  }

  connectedCallback() {
    adopt(this, theme, styles);
    this.render();
  }

  set columns(list) {
    this._columns = list.map((c) => (typeof c === 'string' ? {key: c, label: c} : c));
    this.render();
  }

  get columns() {
    return this._columns;
  }

  set rows(list) {
    this._rows = [...(list ?? [])];
    this.render();
  }

  get rows() {
    return this._rows;
  }

  set rowAttributes(fn) {
    this._rowAttributes = fn;
    this.render();
  }

  /** Sorts by a column ('ascending' or 'descending'), as a click on its header does. */
  sortBy(key, direction = 'ascending') {
    this.sort = {key, direction};
    this.render();
  }

  sorted() {
    if (!this.sort) return this._rows;
    const col = this._columns.find((c) => c.key === this.sort.key);
    if (!col) return this._rows;
    const value = col.value ?? ((row) => row[col.key]);
    const sign = this.sort.direction === 'descending' ? -1 : 1;
    return [...this._rows].sort((a, b) => sign * compare(value(a), value(b)));
  }

  render() {
    if (!this.isConnected) return;
    const caption = this.getAttribute('caption');
    const focused = document.activeElement?.closest?.('th')?.dataset.key;
    const head = el('tr', {}, this._columns.map((c) => {
      const sortable = c.sortable !== false;
      const state = this.sort?.key === c.key ? this.sort.direction : (sortable ? 'none' : null);
      return el('th', {scope: 'col', 'aria-sort': state, dataset: {key: c.key}},
        sortable
          ? el('button', {type: 'button', class: 'cas-sort', onclick: () => this.toggle(c.key)}, c.label ?? c.key)
          : c.label ?? c.key);
    }));
    const rows = this.sorted();
    const body = el('tbody', {id: this.getAttribute('body-id')},
      rows.length === 0
        ? el('tr', {class: 'cas-table-empty'},
          el('td', {colspan: Math.max(1, this._columns.length)}, this.getAttribute('empty') ?? 'Nothing to show.'))
        : rows.map((row) => el('tr', this._rowAttributes?.(row) ?? {},
          this._columns.map((c) => el('td', {dataset: {key: c.key}}, c.render ? c.render(row) : (row[c.key] ?? ''))))));
    const table = el('table', {class: 'cas-table'},
      caption ? el('caption', {class: this.hasAttribute('show-caption') ? null : 'cas-visually-hidden'}, caption) : null,
      el('thead', {}, head), body);
    this.replaceChildren(table);
    // Re-rendering replaces the header: keep keyboard focus on the sorted column.
    if (focused) table.querySelector(`th[data-key="${CSS.escape(focused)}"] button`)?.focus();
  }

  toggle(key) {
    const direction = this.sort?.key === key && this.sort.direction === 'ascending' ? 'descending' : 'ascending';
    this.sortBy(key, direction);
    this.dispatchEvent(new CustomEvent('cas-sort', {bubbles: true, detail: {key, direction}}));
  }
}

function compare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined || a === '') return 1;
  if (b === null || b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, {numeric: true});
}

define('cas-table', CasTable);
