// Seed pages whose engines are simple reads (security, cost, drift, Helm, ML, ...): each documented GET route the page
// lists is called and its answer shown for reading (model/present.ts): sections titled from the route's doc, records as
// fields, lists of records as tables, keys as titles, values with units, relative times and links to the objects they
// name. Nothing of the API itself (paths, raw keys, JSON) reaches the screen. A 501 shows "not available yet" with the
// server's message; a real error shows the error and a retry.
import { For, Show, type JSX } from 'solid-js';
import type { Route } from '../../../src/shared/route';
import { ROUTES } from '../../../src/shared/routeTable';
import { humanizeKey, present, sectionTitle, type Shown } from '../model/present';
import { api } from '../stores/app';
import { createLoader } from '../stores/loader';
import { inScope } from '../stores/scope';
import { ErrorState, Loading, Empty } from '../ui/states';

const docOf = (path: string): string | undefined =>
  (Object.values(ROUTES) as Route[]).find((r) => r.method === 'GET' && r.path === path)?.doc;

export function RoutesPage(p: { title: string; paths: string[] }): JSX.Element {
  return (
    <div class="kg-page" data-testid="page-routes">
      <div class="kg-page-head">
        <h1>{p.title}</h1>
      </div>
      <For each={p.paths}>{(path) => <RouteBlock path={path} />}</For>
    </div>
  );
}

// Rows that name a namespace follow the header's namespace picker, like every other page.
function RouteBlock(p: { path: string }): JSX.Element {
  const data = createLoader<unknown>(() => api().get(p.path));
  const head = sectionTitle(docOf(p.path), p.path);
  return (
    <section class="kg-panel kg-readable" data-testid="route-block" aria-label={head.title}>
      <h2>{head.title}</h2>
      <Show when={head.note}>
        <p class="kg-muted kg-small">{head.note}</p>
      </Show>
      <Show
        when={!data.error()}
        fallback={<ErrorState error={data.error()} retry={data.reload} what={head.title.toLowerCase()} />}
      >
        <Show when={!data.loading() || data.value() !== undefined} fallback={<Loading />}>
          <Value v={unwrap(data.value())} depth={0} />
        </Show>
      </Show>
    </section>
  );
}

/** `{context, items: [...]}`: the one list is the content; the context it came from is in the header already. */
function unwrap(v: unknown): unknown {
  if (!isRecord(v)) return v;
  const rest = Object.entries(v).filter(([k]) => k !== 'context');
  return rest.length === 1 && Array.isArray(rest[0][1]) ? rest[0][1] : Object.fromEntries(rest);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): boolean =>
  v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object'));
/** Prose fields read as a paragraph, not as a field of a list. */
const PROSE = /^(text|message|summary|description|basis|note|recommendation)$/;

/** Keys that read the same (`memoryLimit` "512Mi" and `memoryLimitBytes` 536870912) show once: the first one. */
function distinctTitles(keys: string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const t = humanizeKey(k);
    if (seen.has(t)) return false;
    seen.add(t);
    return true;
  });
}

function Cell(p: { k: string; v: unknown; row: Record<string, unknown> }): JSX.Element {
  // A list of steps or commands reads one per line.
  if (
    Array.isArray(p.v) &&
    p.v.length &&
    p.v.every((x) => typeof x === 'string') &&
    (p.v.length > 1 || present(p.k, p.v[0]).command)
  )
    return (
      <ul class="kg-cell-list">
        <For each={p.v as string[]}>
          {(x) => (
            <li>
              <Cell k={p.k} v={x} row={p.row} />
            </li>
          )}
        </For>
      </ul>
    );
  const s: Shown = present(p.k, p.v, p.row);
  return (
    <Show
      when={s.href}
      fallback={
        s.command ? (
          <code class="kg-command">{s.text}</code>
        ) : (
          <span class={s.tone ? `kg-status kg-tone-${s.tone}` : undefined} title={s.title}>
            {s.text}
          </span>
        )
      }
    >
      <a href={s.href} title={s.title}>
        {s.text}
      </a>
    </Show>
  );
}

function Table(p: { rows: Array<Record<string, unknown>>; label: string }): JSX.Element {
  const cols = distinctTitles(
    [...new Set(p.rows.slice(0, 50).flatMap((r) => Object.keys(r)))].filter((k) =>
      p.rows.some((r) => isScalar(r[k]) && r[k] !== undefined && r[k] !== null && r[k] !== ''),
    ),
  ).slice(0, 10);
  return (
    // A wide table scrolls sideways: a tab stop lets the keyboard scroll it too.
    <div class="kg-table-scroll" role="region" tabIndex={0} aria-label={p.label}>
      <table class="kg-simple-table" aria-label={p.label}>
        <thead>
          <tr>
            <For each={cols}>{(c) => <th scope="col">{humanizeKey(c)}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={p.rows.slice(0, 500)}>
            {(r) => (
              <tr>
                <For each={cols}>
                  {(c) => (
                    <td>
                      <Cell k={c} v={r[c]} row={r} />
                    </td>
                  )}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={p.rows.length > 500}>
        <p class="kg-muted kg-small">The first 500 of {p.rows.length} are shown.</p>
      </Show>
    </div>
  );
}

export function Value(p: { v: unknown; depth: number; label?: string }): JSX.Element {
  const v = p.v;
  if (Array.isArray(v)) {
    if (!v.length) return <Empty title="Nothing here" />;
    // Rows that name a namespace follow the header's namespace picker.
    if (v.every(isRecord))
      return (
        <Table
          rows={v.filter((r) => typeof r.namespace !== 'string' || inScope(r.namespace))}
          label={p.label ?? 'Items'}
        />
      );
    return (
      <ul class="kg-list">
        <For each={v.slice(0, 500)}>
          {(x) => (
            <li>{isRecord(x) ? <Value v={x} depth={p.depth + 1} /> : <Cell k={p.label ?? ''} v={x} row={{}} />}</li>
          )}
        </For>
      </ul>
    );
  }
  if (isRecord(v)) {
    const entries = Object.entries(v);
    const prose = entries.filter(([k, x]) => PROSE.test(k) && typeof x === 'string' && x);
    const scalarKeys = distinctTitles(
      entries.filter(([k, x]) => isScalar(x) && !prose.some(([pk]) => pk === k)).map(([k]) => k),
    );
    const flat = entries.filter(([k]) => scalarKeys.includes(k));
    const nested = entries.filter(([, x]) => !isScalar(x));
    const H = p.depth === 0 ? 'h3' : 'h4';
    return (
      <div class="kg-record">
        <For each={prose}>{([, x]) => <p>{x as string}</p>}</For>
        <Show when={flat.length}>
          <dl class="kg-dl">
            <For each={flat}>
              {([k, x]) => (
                <>
                  <dt>{humanizeKey(k)}</dt>
                  <dd>
                    <Cell k={k} v={x} row={v} />
                  </dd>
                </>
              )}
            </For>
          </dl>
        </Show>
        <For each={nested}>
          {([k, x]) => (
            <>
              <Dynamic tag={H}>{humanizeKey(k)}</Dynamic>
              <Value v={x} depth={p.depth + 1} label={humanizeKey(k)} />
            </>
          )}
        </For>
      </div>
    );
  }
  return (
    <p>
      <Cell k={p.label ?? ''} v={v} row={{}} />
    </p>
  );
}

function Dynamic(p: { tag: 'h3' | 'h4'; children: JSX.Element }): JSX.Element {
  return p.tag === 'h3' ? <h3>{p.children}</h3> : <h4>{p.children}</h4>;
}
