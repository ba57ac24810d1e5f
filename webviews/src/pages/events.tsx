// The event stream: newest first, refreshed every few seconds, in the same virtualized table as every list.
import { createEffect, createMemo, createSignal, Show, type JSX } from 'solid-js';
import type { EventRow } from '../../../src/shared/routes/resources';
import { api, namespaces } from '../stores/app';
import { createLoader } from '../stores/loader';
import { inScope, oneNamespace, scopeKey } from '../stores/scope';
import { timeAgo } from '../stores/clock';
import { TableModel, searchText, type ColumnDef, type Row, type SortSpec } from '../model/tableModel';
import { VirtualTable } from '../components/virtualTable';
import { Empty, ErrorState, Loading } from '../ui/states';

const COLUMNS: ColumnDef[] = [
  { id: 'lastSeen', label: 'Last seen' },
  { id: 'type', label: 'Type' },
  { id: 'reason', label: 'Reason' },
  { id: 'object', label: 'Object' },
  { id: 'namespace', label: 'Namespace' },
  { id: 'count', label: 'Count' },
  { id: 'message', label: 'Message' },
];

function toRow(e: EventRow, i: number): Row {
  // ISO times sort in time order; the cell shows them relative to the shared clock.
  const cells = {
    lastSeen: e.lastSeen ?? '',
    type: e.type,
    reason: e.reason,
    object: `${e.object.kind}/${e.object.name}`,
    count: e.count,
    message: e.message,
    namespace: e.namespace ?? '',
  };
  return {
    key: `${e.namespace ?? ''}/${e.name}/${i}`,
    name: e.name,
    namespace: e.namespace,
    labels: {},
    status: e.type,
    cells,
    createdAt: e.lastSeen ? Date.parse(e.lastSeen) : undefined,
    search: searchText(e.name, e.namespace, cells, {}),
    raw: e,
  };
}

export function Events(): JSX.Element {
  const [type, setType] = createSignal<'' | 'Warning' | 'Normal'>('');
  const [q, setQ] = createSignal('');
  const [sort, setSort] = createSignal<SortSpec | undefined>();
  // The namespace picker and the type are inputs: changing either asks again at once.
  const list = createLoader(
    () => api().call('events.list', { namespace: oneNamespace(), type: type() || undefined, limit: 5000 }),
    { refreshMs: 5000, key: () => `${scopeKey()}|${type()}` },
  );
  const model = new TableModel();
  const [version, setVersion] = createSignal(0);
  createEffect(() => {
    const evs = list.value()?.events ?? [];
    const sel = namespaces();
    model.reset(evs.filter((e) => inScope(e.namespace, sel)).map(toRow));
    setVersion(model.version);
  });
  const view = createMemo(() => {
    version();
    const v = model.view(sort(), { text: q(), labelSelector: '', statuses: [] }).rows;
    // Default order: newest first, as the server sends them.
    return sort() ? v : [...v].sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
  });
  return (
    <div class="kg-page kg-page-fill" data-testid="page-events">
      <div class="kg-page-head">
        <h1>Events</h1>
        <span class="kg-muted">{view().length} events</span>
      </div>
      <div class="kg-toolbar">
        <input
          class="kg-input kg-grow"
          type="search"
          placeholder="Filter events"
          aria-label="Filter events"
          value={q()}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
        <select aria-label="Event type" value={type()} onChange={(e) => setType(e.currentTarget.value as '')}>
          <option value="">All types</option>
          <option value="Warning">Warning</option>
          <option value="Normal">Normal</option>
        </select>
      </div>
      <Show
        when={!list.error() || list.value()}
        fallback={<ErrorState error={list.error()} retry={list.reload} what="events" />}
      >
        <Show when={list.value()} fallback={<Loading label="Loading events…" />}>
          <Show when={view().length} fallback={<Empty title="No events" />}>
            <VirtualTable
              label="Events"
              model={model}
              rows={view}
              columns={() => COLUMNS}
              sort={sort}
              onSort={setSort}
              onOpen={() => undefined}
              cell={(r, c) =>
                c.id === 'type' ? (
                  <span class={`kg-status kg-tone-${r.status === 'Warning' ? 'warn' : 'muted'}`}>{r.status}</span>
                ) : c.id === 'lastSeen' ? (
                  <time datetime={String(r.cells.lastSeen)} data-testid="event-last-seen">
                    {timeAgo(r.createdAt)}
                  </time>
                ) : undefined
              }
            />
          </Show>
        </Show>
      </Show>
    </div>
  );
}
