// A column header that sorts a plain <table>: a click sorts by its column, a second click turns the order round;
// aria-sort and the ▴/▾ mark say which way. (The virtual tables have their own, in components/virtualTable.tsx.)
import type { Accessor, JSX } from 'solid-js';
import '../styles/sortHeader.css';

/** The column a table is sorted by, and which way. */
export interface TableSort {
  by: string;
  desc: boolean;
}

export function SortHeader(p: {
  /** The column's key in the table's `TableSort`. */
  id: string;
  sort: Accessor<TableSort>;
  setSort: (s: TableSort) => void;
  /** The first click sorts largest first (amounts); otherwise A to Z, smallest first. */
  descFirst?: boolean;
  class?: string;
  children: JSX.Element;
}): JSX.Element {
  const active = () => p.sort().by === p.id;
  return (
    <th class={p.class} aria-sort={active() ? (p.sort().desc ? 'descending' : 'ascending') : 'none'}>
      <button
        class="kg-th-sort"
        onClick={() => p.setSort({ by: p.id, desc: active() ? !p.sort().desc : !!p.descFirst })}
      >
        {p.children}
        {active() ? (p.sort().desc ? ' ▾' : ' ▴') : ''}
      </button>
    </th>
  );
}

/** Orders two cells of the sorted column: numbers by value, anything else as text; reversed when descending. */
export function compareCells(x: unknown, y: unknown, desc: boolean): number {
  const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
  return desc ? -c : c;
}
