// The state behind every resource table: rows keyed by namespace/name, a sorted and filtered view, selection, CSV.
// Pure and DOM-free so it is unit-tested directly; the Solid store wraps it and bumps a signal on every change.
import { compileFilter, type CompiledFilter, type Filterable, type FilterInput } from './filters';

export type Cell = string | number;

export interface Row extends Filterable {
  key: string;
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  status?: string;
  cells: Record<string, Cell>;
  /** Creation time (ms since epoch): the "Age" column sorts by this, not by its text. */
  createdAt?: number;
  /** The object as sent, for the detail drawer. */
  raw?: unknown;
}

export interface ColumnDef {
  id: string;
  label: string;
  wide?: boolean;
}

export interface SortSpec {
  column: string;
  dir: 'asc' | 'desc';
}

export const rowKey = (namespace: string | undefined, name: string): string => (namespace ? `${namespace}/${name}` : name);

/** Builds the lower-cased haystack text search runs against. */
export function searchText(name: string, namespace: string | undefined, cells: Record<string, Cell>, labels: Record<string, string>): string {
  const parts = [name, namespace ?? ''];
  for (const v of Object.values(cells)) parts.push(String(v));
  for (const [k, v] of Object.entries(labels)) parts.push(`${k}=${v}`);
  return parts.join('\u0000').toLowerCase();
}

const NUM_RE = /^-?\d+(\.\d+)?$/;

const isDigit = (c: number) => c >= 48 && c <= 57;
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/**
 * Case-insensitive natural order ("pod-2" < "pod-10"). Hand-written because Intl.Collator costs ~1 s on a 100k-row
 * sort; non-ASCII text falls back to localeCompare only where the ASCII walk cannot decide.
 */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ei = i;
      let ej = j;
      while (ei < a.length && a.charCodeAt(ei) === 48) ei++;
      while (ej < b.length && b.charCodeAt(ej) === 48) ej++;
      let ni = ei;
      let nj = ej;
      while (ni < a.length && isDigit(a.charCodeAt(ni))) ni++;
      while (nj < b.length && isDigit(b.charCodeAt(nj))) nj++;
      const la = ni - ei;
      const lb = nj - ej;
      if (la !== lb) return la - lb;
      for (let k = 0; k < la; k++) {
        const d = a.charCodeAt(ei + k) - b.charCodeAt(ej + k);
        if (d) return d;
      }
      i = ni;
      j = nj;
      continue;
    }
    if (ca !== cb) {
      if (ca > 127 || cb > 127) return a.slice(i).localeCompare(b.slice(j));
      const d = lower(ca) - lower(cb);
      if (d) return d;
    }
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}

interface SortKey {
  empty: boolean;
  /** NaN unless the cell is a number or a numeric string. */
  n: number;
  s: string;
}

function keyOf(v: Cell | undefined): SortKey {
  if (v === undefined || v === '') return { empty: true, n: NaN, s: '' };
  if (typeof v === 'number') return { empty: false, n: v, s: String(v) };
  return { empty: false, n: NUM_RE.test(v) ? Number(v) : NaN, s: v };
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a.empty || b.empty) return a.empty === b.empty ? 0 : a.empty ? 1 : -1;
  if (!Number.isNaN(a.n) && !Number.isNaN(b.n)) return a.n - b.n;
  return a.s === b.s ? 0 : naturalCompare(a.s, b.s);
}

/** Numbers sort as numbers, "3/4" ready counts by their first number, the rest naturally ("pod-2" < "pod-10"). */
export function compareCells(a: Cell | undefined, b: Cell | undefined): number {
  return compareKeys(keyOf(a), keyOf(b));
}

function sortValue(r: Row, column: string): Cell | undefined {
  // Age shown as "5d" sorts by creation time: older first in ascending order, like a duration.
  if (column === 'age' && r.createdAt !== undefined) return -r.createdAt;
  if (column === 'name') return r.name;
  if (column === 'namespace') return r.namespace ?? '';
  return r.cells[column];
}

export class TableModel {
  private rows = new Map<string, Row>();
  private selected = new Set<string>();
  /** Bumped on every change; the view is memoized on it. */
  version = 0;
  private cache?: { version: number; sortKey: string; filterKey: string; rows: Row[] };

  get size(): number {
    return this.rows.size;
  }

  get(key: string): Row | undefined {
    return this.rows.get(key);
  }

  all(): IterableIterator<Row> {
    return this.rows.values();
  }

  /** Replaces everything (a snapshot or a resync); selection survives for rows that still exist. */
  reset(rows: Iterable<Row>): void {
    this.rows.clear();
    for (const r of rows) this.rows.set(r.key, r);
    for (const k of [...this.selected]) if (!this.rows.has(k)) this.selected.delete(k);
    this.version++;
  }

  upsert(rows: Iterable<Row>): void {
    for (const r of rows) this.rows.set(r.key, r);
    this.version++;
  }

  remove(keys: Iterable<string>): void {
    for (const k of keys) {
      this.rows.delete(k);
      this.selected.delete(k);
    }
    this.version++;
  }

  /** Filtered then sorted rows; recomputed only when rows, sort or filter changed. */
  view(sort: SortSpec | undefined, filter: FilterInput): { rows: Row[]; filter: CompiledFilter } {
    const compiled = compileFilter(filter);
    const sortKey = sort ? `${sort.column}:${sort.dir}` : '';
    const filterKey = `${filter.text}\u0001${filter.labelSelector}\u0001${filter.statuses.join(',')}`;
    const c = this.cache;
    if (c && c.version === this.version && c.sortKey === sortKey && c.filterKey === filterKey) return { rows: c.rows, filter: compiled };
    let rows = [...this.rows.values()];
    if (compiled.active) rows = rows.filter(compiled.test);
    if (sort) {
      const sign = sort.dir === 'asc' ? 1 : -1;
      const col = sort.column;
      // Decorate-sort-undecorate: each cell is read and classified once, so a 100k-row sort stays ~100 ms.
      const dec = rows.map((r) => ({ r, k: keyOf(sortValue(r, col)) }));
      dec.sort((a, b) => sign * compareKeys(a.k, b.k) || (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : 0));
      rows = dec.map((d) => d.r);
    }
    this.cache = { version: this.version, sortKey, filterKey, rows };
    return { rows, filter: compiled };
  }

  /** Distinct statuses with counts, for the status filter chips. */
  statusCounts(): Array<{ status: string; count: number }> {
    const m = new Map<string, number>();
    for (const r of this.rows.values()) if (r.status) m.set(r.status, (m.get(r.status) ?? 0) + 1);
    return [...m.entries()].map(([status, count]) => ({ status, count })).sort((a, b) => b.count - a.count || a.status.localeCompare(b.status));
  }

  // ---------- selection ----------

  isSelected(key: string): boolean {
    return this.selected.has(key);
  }

  toggle(key: string, on = !this.selected.has(key)): void {
    if (on && this.rows.has(key)) this.selected.add(key);
    else this.selected.delete(key);
    this.version++;
  }

  /** Selects every row of the given (filtered) view, or clears them when all are already selected. */
  toggleAll(view: readonly Row[]): void {
    const all = view.length > 0 && view.every((r) => this.selected.has(r.key));
    for (const r of view) {
      if (all) this.selected.delete(r.key);
      else this.selected.add(r.key);
    }
    this.version++;
  }

  /** Shift-click: selects the rows between two keys of the view. */
  selectRange(view: readonly Row[], fromKey: string, toKey: string): void {
    const a = view.findIndex((r) => r.key === fromKey);
    const b = view.findIndex((r) => r.key === toKey);
    if (a < 0 || b < 0) return;
    for (let i = Math.min(a, b); i <= Math.max(a, b); i++) this.selected.add(view[i].key);
    this.version++;
  }

  clearSelection(): void {
    this.selected.clear();
    this.version++;
  }

  selection(): Row[] {
    return [...this.selected].map((k) => this.rows.get(k)).filter((r): r is Row => !!r);
  }

  get selectedCount(): number {
    return this.selected.size;
  }
}

// ---------- CSV ----------

/** RFC 4180 quoting, and a leading apostrophe on text a spreadsheet would run as a formula. */
export function csvCell(v: Cell | undefined): string {
  if (v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !NUM_RE.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: readonly ColumnDef[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => csvCell(c.label)).join(',')];
  for (const r of rows) {
    lines.push(
      columns
        .map((c) => csvCell(c.id === 'name' ? r.name : c.id === 'namespace' ? (r.namespace ?? '') : r.cells[c.id]))
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
