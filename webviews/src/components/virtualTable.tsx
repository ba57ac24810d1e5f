// The table every list uses: only visible rows are in the DOM (100k rows scroll like 100), sortable headers,
// multi-select (click, Shift-click range, Space), keyboard row navigation, and a per-row action slot.
import { createVirtualizer } from '@tanstack/solid-virtual';
import {
  createComputed,
  createEffect,
  createMemo,
  createSignal,
  For,
  Index,
  onCleanup,
  Show,
  untrack,
  type JSX,
} from 'solid-js';
import type { ColumnDef, Row, SortSpec, TableModel } from '../model/tableModel';
import { liveAge } from '../stores/clock';

const ROW_HEIGHT = 28;

export interface VirtualTableProps {
  model: TableModel;
  rows: () => Row[];
  columns: () => ColumnDef[];
  sort: () => SortSpec | undefined;
  onSort: (s: SortSpec | undefined) => void;
  onOpen: (r: Row) => void;
  actions?: (r: Row) => JSX.Element;
  selectable?: boolean;
  label: string;
  /** Cell renderer override (status colouring). */
  cell?: (r: Row, column: ColumnDef) => JSX.Element | undefined;
  testId?: string;
  /** Fixed width of the actions column: header and rows must size it the same for the columns to line up. */
  actionsWidth?: number;
}

export function VirtualTable(p: VirtualTableProps): JSX.Element {
  let scroller!: HTMLDivElement;
  const [active, setActive] = createSignal(0);
  let anchor: string | undefined;
  const virt = createVirtualizer({
    get count() {
      return p.rows().length;
    },
    getScrollElement: () => scroller,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const template = createMemo(
    () =>
      `${p.selectable ? '32px ' : ''}${p
        .columns()
        .map((c) =>
          c.id === 'name' ? 'minmax(180px,2fr)' : c.id === 'message' ? 'minmax(240px,4fr)' : 'minmax(70px,1fr)',
        )
        .join(' ')}${p.actions ? ` ${p.actionsWidth ?? 200}px` : ''}`,
  );
  // Checkboxes follow the model's selection directly: a click re-renders them without re-reading the row view.
  const [selectionTick, setSelectionTick] = createSignal(0);
  createComputed(() => {
    const model = p.model;
    onCleanup(model.onSelectionChange(() => setSelectionTick((t) => t + 1)));
  });
  const sel = (key: string) => {
    selectionTick();
    return p.model.isSelected(key);
  };
  const allSelected = () => {
    selectionTick();
    const rows = p.rows();
    return rows.length > 0 && p.model.selectedCount >= rows.length && rows.every((r) => p.model.isSelected(r.key));
  };
  createEffect(() => {
    if (active() >= p.rows().length) setActive(Math.max(0, p.rows().length - 1));
  });
  const headerClick = (c: ColumnDef) => {
    const s = p.sort();
    if (!s || s.column !== c.id) p.onSort({ column: c.id, dir: 'asc' });
    else if (s.dir === 'asc') p.onSort({ column: c.id, dir: 'desc' });
    else p.onSort(undefined);
  };
  const onRowClick = (e: MouseEvent, r: Row, i: number) => {
    setActive(i);
    if (p.selectable && e.shiftKey && anchor) {
      p.model.selectRange(p.rows(), anchor, r.key);
      return;
    }
    anchor = r.key;
    p.onOpen(r);
  };
  const onKey = (e: KeyboardEvent) => {
    // Keys for a control inside a row (an action button, a checkbox) are that control's: Enter on "Scale" scales.
    if (e.target !== e.currentTarget) return;
    const n = p.rows().length;
    if (!n) return;
    let i = active();
    const page = Math.max(1, Math.floor(scroller.clientHeight / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        i = Math.min(n - 1, i + 1);
        break;
      case 'ArrowUp':
        i = Math.max(0, i - 1);
        break;
      case 'PageDown':
        i = Math.min(n - 1, i + page);
        break;
      case 'PageUp':
        i = Math.max(0, i - page);
        break;
      case 'Home':
        i = 0;
        break;
      case 'End':
        i = n - 1;
        break;
      case 'Enter':
        p.onOpen(p.rows()[i]);
        e.preventDefault();
        return;
      case ' ':
        if (p.selectable) {
          p.model.toggle(p.rows()[i].key);
          anchor = p.rows()[i].key;
        }
        e.preventDefault();
        return;
      case 'a':
        if ((e.ctrlKey || e.metaKey) && p.selectable) {
          p.model.toggleAll(p.rows());
          e.preventDefault();
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    setActive(i);
    virt.scrollToIndex(i, { align: 'auto' });
  };
  const ariaSort = (c: ColumnDef) => {
    const s = p.sort();
    return s?.column === c.id ? (s.dir === 'asc' ? 'ascending' : 'descending') : 'none';
  };
  return (
    <div
      class="kg-table"
      role="grid"
      aria-label={p.label}
      aria-rowcount={p.rows().length + 1}
      data-testid={p.testId ?? 'table'}
    >
      <div class="kg-tr kg-thead" role="row" style={{ 'grid-template-columns': template() }}>
        <Show when={p.selectable}>
          <div class="kg-td" role="columnheader">
            <input
              type="checkbox"
              aria-label="Select all rows"
              checked={allSelected()}
              onChange={() => p.model.toggleAll(p.rows())}
              data-testid="select-all"
            />
          </div>
        </Show>
        <For each={p.columns()}>
          {(c) => (
            <div class="kg-td" role="columnheader" aria-sort={ariaSort(c)}>
              <button class="kg-sort" onClick={() => headerClick(c)} data-testid={`sort-${c.id}`}>
                {c.label}
                <span class="kg-sort-ind" aria-hidden="true">
                  {p.sort()?.column === c.id ? (p.sort()?.dir === 'asc' ? '▲' : '▼') : ''}
                </span>
              </button>
            </div>
          )}
        </For>
        <Show when={p.actions}>
          <div class="kg-td kg-actions-head" role="columnheader">
            Actions
          </div>
        </Show>
      </div>
      <div
        ref={scroller}
        class="kg-tbody"
        role="rowgroup"
        tabIndex={0}
        onKeyDown={onKey}
        aria-label={`${p.label} rows`}
        data-testid="table-body"
      >
        <div style={{ height: `${virt.getTotalSize()}px`, position: 'relative', width: '100%' }}>
          {/* By place, not by item: when the row count changes the virtualizer hands out new items, and keyed rows
              would be made anew under a keyboard user's focus. */}
          <Index each={virt.getVirtualItems()}>
            {(v) => {
              const r = () => p.rows()[v().index];
              // The row shown at this place, read at use: its actions are made once and act on what is shown, so a
              // live update of the row does not re-create the button that has the focus.
              const live = new Proxy({} as Row, {
                get: (_t, k) => (r() as unknown as Record<PropertyKey, unknown> | undefined)?.[k],
              });
              return (
                <Show when={r()}>
                  <div
                    class="kg-tr kg-row"
                    classList={{ 'kg-active': active() === v().index, 'kg-selected': sel(r().key) }}
                    role="row"
                    aria-rowindex={v().index + 2}
                    aria-selected={sel(r().key)}
                    data-key={r().key}
                    data-testid="row"
                    style={{
                      transform: `translateY(${v().start}px)`,
                      height: `${ROW_HEIGHT}px`,
                      'grid-template-columns': template(),
                    }}
                    onClick={(e) => onRowClick(e, r(), v().index)}
                  >
                    <Show when={p.selectable}>
                      <div class="kg-td" role="gridcell" onClick={(e) => e.stopPropagation()}>
                        <input
                          type="checkbox"
                          tabIndex={-1}
                          aria-label={`Select ${r().name}`}
                          checked={sel(r().key)}
                          onClick={(e) => {
                            if (e.shiftKey && anchor) p.model.selectRange(p.rows(), anchor, r().key);
                            else p.model.toggle(r().key);
                            anchor = r().key;
                          }}
                        />
                      </div>
                    </Show>
                    <For each={p.columns()}>
                      {(c) => (
                        <div
                          class="kg-td"
                          role="gridcell"
                          title={
                            c.id === 'age' && r().createdAt !== undefined
                              ? new Date(r().createdAt!).toLocaleString()
                              : String(c.id === 'name' ? r().name : (r().cells[c.id] ?? ''))
                          }
                        >
                          {p.cell?.(r(), c) ??
                            (c.id === 'age' && r().createdAt !== undefined
                              ? liveAge(r().createdAt)
                              : String(
                                  c.id === 'name'
                                    ? r().name
                                    : c.id === 'namespace'
                                      ? (r().namespace ?? '')
                                      : (r().cells[c.id] ?? ''),
                                ))}
                        </div>
                      )}
                    </For>
                    <Show when={p.actions}>
                      <div class="kg-td kg-actions" role="gridcell" onClick={(e) => e.stopPropagation()}>
                        {untrack(() => p.actions?.(live))}
                      </div>
                    </Show>
                  </div>
                </Show>
              );
            }}
          </Index>
        </div>
      </div>
    </div>
  );
}
