// Small DOM helpers for the operations console: tables, badges, buttons, times.
import { element } from './sign-in.js';

export { element };

/** A table of `rows`; each column has a label and a cell (text or a node) for a row. `empty` when there are none. */
export function table(columns, rows, empty) {
  if (rows.length === 0) return element('p', { class: 'empty' }, [empty]);
  return element('table', {}, [
    element('thead', {}, [element('tr', {}, columns.map(({ label }) => element('th', {}, [label])))]),
    element('tbody', {}, rows.map((row) => element('tr', {}, columns.map(({ cell }) => element('td', {}, [cell(row) ?? '']))))),
  ]);
}

/** A word in a colour that says good, bad or neither. */
export const badge = (text, tone) => element('span', { class: `badge ${tone}` }, [text]);
export const good = (ok, yes, no) => badge(ok ? yes : no, ok ? 'good' : 'bad');

export function button(label, onClick) {
  const node = element('button', { type: 'button' }, [label]);
  node.addEventListener('click', onClick);
  return node;
}

export const time = (iso) => (iso ? new Date(iso).toLocaleString() : '');

/** "4 min ago", for how long something has waited. */
export function since(iso) {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  const text = seconds < 120 ? `${seconds} s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 3600)} h`;
  return `${time(iso)} (${text} ago)`;
}

/** A titled panel of the console. */
export const panel = (id, title, children) => element('section', { id, 'aria-labelledby': `${id}-title` }, [element('h2', { id: `${id}-title` }, [title]), ...children]);
