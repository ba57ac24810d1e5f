// Seed pages whose engines are simple reads (security, cost, drift, Helm, ML, ...): each documented GET route the page
// lists is called and its answer rendered generically: arrays of objects as tables, the rest as fields. A 501 shows
// "not available yet" with the server's message; a real error shows the error and a retry.
import { For, Show, type JSX } from 'solid-js';
import { api } from '../stores/app';
import { createLoader } from '../stores/loader';
import { inScope } from '../stores/scope';
import { ErrorState, Loading, Empty } from '../ui/states';

export function RoutesPage(p: { title: string; paths: string[] }): JSX.Element {
  return (
    <div class="kg-page" data-testid="page-routes">
      <div class="kg-page-head"><h1>{p.title}</h1></div>
      <For each={p.paths}>{(path) => <RouteBlock path={path} />}</For>
    </div>
  );
}

// Rows that name a namespace follow the header's namespace picker, like every other page.
function RouteBlock(p: { path: string }): JSX.Element {
  const data = createLoader<unknown>(() => api().get(p.path));
  return (
    <section class="kg-panel" data-testid="route-block">
      <h2 class="kg-muted kg-small">GET {p.path}</h2>
      <Show when={!data.error()} fallback={<ErrorState error={data.error()} retry={data.reload} what={p.path} />}>
        <Show when={!data.loading() || data.value() !== undefined} fallback={<Loading />}>
          <Value v={data.value()} depth={0} />
        </Show>
      </Show>
    </section>
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const scalar = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function Value(p: { v: unknown; depth: number }): JSX.Element {
  const v = p.v;
  if (Array.isArray(v)) {
    if (!v.length) return <Empty title="Nothing here" />;
    if (v.every(isRecord)) {
      const cols = [...new Set(v.slice(0, 50).flatMap((r) => Object.keys(r)))].filter((k) => v.some((r) => typeof r[k] !== 'object' || r[k] === null)).slice(0, 10);
      return (
        <table class="kg-simple-table">
          <thead><tr><For each={cols}>{(c) => <th>{c}</th>}</For></tr></thead>
          <tbody><For each={v.filter((r) => typeof r.namespace !== 'string' || inScope(r.namespace)).slice(0, 500)}>{(r) => <tr><For each={cols}>{(c) => <td>{scalar(r[c])}</td>}</For></tr>}</For></tbody>
        </table>
      );
    }
    return <ul class="kg-list"><For each={v.slice(0, 500)}>{(x) => <li>{scalar(x)}</li>}</For></ul>;
  }
  if (isRecord(v)) {
    const entries = Object.entries(v);
    const flat = entries.filter(([, x]) => !isRecord(x) && !Array.isArray(x));
    const nested = entries.filter(([, x]) => isRecord(x) || Array.isArray(x));
    return (
      <div>
        <Show when={flat.length}>
          <dl class="kg-dl"><For each={flat}>{([k, x]) => <><dt>{k}</dt><dd>{scalar(x)}</dd></>}</For></dl>
        </Show>
        <For each={nested}>
          {([k, x]) => (
            <Show when={p.depth < 3} fallback={<pre class="kg-code">{JSON.stringify(x, null, 2)}</pre>}>
              <h3>{k}</h3>
              <Value v={x} depth={p.depth + 1} />
            </Show>
          )}
        </For>
      </div>
    );
  }
  return <p>{scalar(v)}</p>;
}
