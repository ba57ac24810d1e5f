// The table page of any kind in the shared RESOURCE_KINDS list: live rows, sort, filters (text, label selector,
// status), multi-select with bulk actions, CSV export, row actions by capability, and the detail drawer.
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { ResourceEntry, ResourceList } from '../../../src/shared/routes/resources';
import type { Capability } from '../../../src/shared/kube';
import { api, navigate, namespaces, route, toast } from '../stores/app';
import { createLiveTable } from '../stores/resourceTable';
import { capabilitiesOf, kindDto } from '../stores/kinds';
import { toCsv, type ColumnDef, type Row, type SortSpec } from '../model/tableModel';
import { VirtualTable } from '../components/virtualTable';
import { DetailDrawer, type ObjectOps } from '../components/detailDrawer';
import { objectOps } from '../components/objectDrawer';
import { actionsFor, confirmAction, RowActions, type ActionTarget } from '../components/objectActions';
import { Button, Badge } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import { toApiError } from '../host/apiError';
import { statusTone } from '../components/statusTone';

export { statusTone };
import type { RouteId } from '../api/api';
import { clusterAllows, mayCall } from '../stores/permissions';

export interface ResourcePageProps {
  entry: ResourceEntry;
  title: string;
  /** For CRD instances: a different list route and object routes. */
  list?: () => Promise<ResourceList>;
  objectRoutes?: (t: ActionTarget) => Omit<ObjectOps, 'actions'>;
  /** Extra toolbar content (node metrics...). */
  extra?: JSX.Element;
  /** Overrides the descriptor's capabilities (CRD instances act through their own routes). */
  capabilities?: Set<Capability>;
}

export function ResourcePage(p: ResourcePageProps): JSX.Element {
  const table = createLiveTable(p.entry.many, namespaces, p.list, () => kindDto(p.entry)?.columns);
  const [text, setText] = createSignal(route().params.q ?? '');
  const [selector, setSelector] = createSignal('');
  const [statuses, setStatuses] = createSignal<string[]>([]);
  const [sort, setSort] = createSignal<SortSpec | undefined>({ column: 'name', dir: 'asc' });
  const [wide, setWide] = createSignal(false);
  const open = () => {
    const r = route().params;
    return r.name ? { name: r.name, namespace: r.ns || undefined, tab: r.tab } : undefined;
  };
  const setOpen = (t?: { name: string; namespace?: string }, tab?: string) => {
    const params: Record<string, string> = { ...route().params };
    delete params.name;
    delete params.ns;
    delete params.tab;
    if (t)
      Object.assign(params, { name: t.name, ...(t.namespace ? { ns: t.namespace } : {}), ...(tab ? { tab } : {}) });
    navigate(route().page, params);
  };
  const columns = createMemo<ColumnDef[]>(() => {
    const cols = table.columns().filter((c) => wide() || !c.wide);
    // With one namespace chosen the namespace column says nothing.
    return namespaces().length === 1 ? cols.filter((c) => c.id !== 'namespace') : cols;
  });
  const view = createMemo(() => {
    table.version();
    return table.model.view(sort(), { text: text(), labelSelector: selector(), statuses: statuses() });
  });
  const statusCounts = createMemo(() => {
    table.version();
    return table.model.statusCounts().slice(0, 8);
  });
  const total = createMemo(() => {
    table.version();
    return table.model.size;
  });
  const selectedCount = createMemo(() => {
    table.selection();
    return table.model.selectedCount;
  });
  const caps = () => p.capabilities ?? capabilitiesOf(p.entry);
  // Read at use, so an action made once for a table row acts on the row as it is now.
  const target = (r: Row): ActionTarget => ({
    get name() {
      return r.name;
    },
    get namespace() {
      return r.namespace;
    },
    get cells() {
      return r.cells;
    },
    get containers() {
      return containersOf(r);
    },
  });
  const actions = createMemo(() =>
    actionsFor(
      p.entry,
      caps(),
      (t) => setOpen(t, 'yaml'),
      () => table.reload(),
    ),
  );
  const exportCsv = () => {
    const rows = view().rows;
    api().saveFile(`${p.entry.many}.csv`, toCsv(columns(), rows), 'text/csv');
    toast(`Exported ${rows.length} ${p.entry.many}`, 'ok');
  };
  const bulkDelete = () => {
    const items = table.model
      .selection()
      .map((r) => ({ name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) }));
    confirmAction(
      `Delete ${items.length} ${p.entry.many}?`,
      `${items
        .slice(0, 5)
        .map((i) => i.name)
        .join(', ')}${items.length > 5 ? ` and ${items.length - 5} more` : ''} will be deleted. This cannot be undone.`,
      'Delete',
      async () => {
        const res = (await api().call(`${p.entry.many}.bulkDelete` as RouteId, { items } as never)) as {
          deleted: unknown[];
          failed: Array<{ error: { message: string } }>;
        };
        table.model.clearSelection();
        if (res.failed.length)
          throw toApiError({
            code: 'partial',
            message: `${res.deleted.length} deleted, ${res.failed.length} failed: ${res.failed[0].error.message}`,
          });
        return { message: `Deleted ${res.deleted.length} ${p.entry.many}` };
      },
    );
  };
  const bulkRestart = () => {
    const items = table.model.selection().map((r) => ({ name: r.name, namespace: r.namespace ?? 'default' }));
    confirmAction(
      `Restart ${items.length} ${p.entry.many}?`,
      'Each one is restarted (pods are recreated by their controllers).',
      'Restart',
      async () => {
        const res = (await api().call(`${p.entry.many}.bulkRestart` as RouteId, { items } as never)) as {
          restarted?: unknown[];
          failed: unknown[];
        };
        table.model.clearSelection();
        return { message: `Restarted ${res.restarted?.length ?? items.length - res.failed.length} ${p.entry.many}` };
      },
    );
  };
  const toggleStatus = (s: string) => setStatuses((xs) => (xs.includes(s) ? xs.filter((x) => x !== s) : [...xs, s]));
  const ops = (t: { name: string; namespace?: string }): ObjectOps => {
    const base = p.objectRoutes?.(t) ?? {
      ...objectOps(p.entry.one, { ...t, kind: p.entry.one }),
      canEdit:
        caps().has('edit') && mayCall(`${p.entry.one}.update`) && clusterAllows(p.entry.kind.split('.')[0], 'update'),
    };
    const row = table.model.get(t.namespace ? `${t.namespace}/${t.name}` : t.name);
    return {
      ...base,
      actions: (
        <RowActions actions={actions().filter((a) => a.id !== 'edit')} target={row ? target(row) : { ...t }} max={8} />
      ),
    };
  };
  return (
    <div class="kg-page kg-page-fill" data-testid={`page-${p.entry.many}`}>
      <div class="kg-page-head">
        <h1>{p.title}</h1>
        <span class="kg-muted" data-testid="row-count" aria-live="polite">
          {view().rows.length === total() ? `${total()}` : `${view().rows.length} of ${total()}`} {p.entry.many}
        </span>
        <Show when={table.stale()}>
          <Badge tone="warn" title="The data may be behind the cluster while the watch reconnects">
            stale
          </Badge>
        </Show>
        <Show when={table.live() && !table.stale()}>
          <Badge tone="ok" title="Rows update as the cluster changes">
            live
          </Badge>
        </Show>
        {p.extra}
      </div>
      <div class="kg-toolbar kg-filters">
        <input
          class="kg-input kg-grow"
          type="search"
          placeholder="Filter by name, node, image… (ns:x status:y label:app=z)"
          aria-label={`Filter ${p.entry.many}`}
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
          data-testid="filter-text"
        />
        <input
          class="kg-input"
          type="search"
          placeholder="Label selector: app=web,tier!=db"
          aria-label="Label selector"
          value={selector()}
          onInput={(e) => setSelector(e.currentTarget.value)}
          data-testid="filter-labels"
        />
        <label class="kg-check">
          <input type="checkbox" checked={wide()} onChange={(e) => setWide(e.currentTarget.checked)} /> Wide
        </label>
        <Button onClick={exportCsv} disabled={!view().rows.length} testId="export-csv">
          Export CSV
        </Button>
        <Button onClick={() => table.reload()} title="Reload">
          Reload
        </Button>
      </div>
      <Show when={statusCounts().length > 1}>
        <div class="kg-chips" role="group" aria-label="Filter by status">
          <For each={statusCounts()}>
            {(s) => (
              <button
                class="kg-chip kg-chip-btn"
                aria-pressed={statuses().includes(s.status)}
                onClick={() => toggleStatus(s.status)}
                data-testid={`status-${s.status}`}
              >
                <span class={`kg-dot kg-tone-${statusTone(s.status)}`} /> {s.status}{' '}
                <span class="kg-muted">{s.count}</span>
              </button>
            )}
          </For>
        </div>
      </Show>
      <Show when={view().filter.error}>
        <p class="kg-error-text" role="alert">
          {view().filter.error}
        </p>
      </Show>
      <Show when={selectedCount() > 0}>
        <div class="kg-bulk" role="region" aria-label="Bulk actions" data-testid="bulk-bar">
          <strong>{selectedCount()} selected</strong>
          <Show when={caps().has('restart')}>
            <Button onClick={bulkRestart} testId="bulk-restart">
              Restart
            </Button>
          </Show>
          <Show when={caps().has('delete')}>
            <Button variant="danger" onClick={bulkDelete} testId="bulk-delete">
              Delete
            </Button>
          </Show>
          <Button onClick={() => table.model.clearSelection()}>Clear selection</Button>
        </div>
      </Show>
      <Show
        when={!table.error() || total() > 0}
        fallback={<ErrorState error={table.error()} retry={table.reload} what={p.entry.many} />}
      >
        <Show when={!table.loading() || total() > 0} fallback={<Loading label={`Loading ${p.entry.many}…`} />}>
          <Show
            when={total() > 0}
            fallback={
              <Empty
                title={`No ${p.entry.many}`}
                hint={namespaces().length ? `in ${namespaces().join(', ')}` : 'in any namespace'}
              />
            }
          >
            <VirtualTable
              label={p.title}
              model={table.model}
              rows={() => view().rows}
              columns={columns}
              sort={sort}
              onSort={setSort}
              selectable
              onOpen={(r) => setOpen({ name: r.name, namespace: r.namespace })}
              actions={actions().length ? (r) => <RowActions actions={actions()} target={target(r)} /> : undefined}
              actionsWidth={Math.min(4, actions().length) * 66 + 4}
              cell={(r, c) =>
                c.id === 'status' && r.status ? (
                  <span class={`kg-status kg-tone-${statusTone(r.status)}`}>{r.status}</span>
                ) : undefined
              }
            />
          </Show>
        </Show>
      </Show>
      <Show when={open()} keyed>
        {(t) => <DetailDrawer ops={ops(t)} initialTab={t.tab} onClose={() => setOpen(undefined)} />}
      </Show>
    </div>
  );
}

function containersOf(r: Row): string[] | undefined {
  const c = (r.raw as { containers?: unknown } | undefined)?.containers;
  if (Array.isArray(c))
    return c.map((x) => (typeof x === 'string' ? x : String((x as { name?: string }).name ?? ''))).filter(Boolean);
  return undefined;
}
