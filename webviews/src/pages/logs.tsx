// Logs of a pod or, merged, of every pod of a workload.
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { ResourceDetails } from '../../../src/shared/routes/resources';
import { api, namespaces, route } from '../stores/app';
import { createLoader } from '../stores/loader';
import { inScope, scopeKey } from '../stores/scope';
import { LogsViewer } from '../components/logsViewer';
import { Empty, ErrorState, Loading } from '../ui/states';
import type { RouteId } from '../api/api';

const SOURCES = [
  { one: 'pod', many: 'pods', label: 'Pod' },
  { one: 'deployment', many: 'deployments', label: 'Deployment' },
  { one: 'statefulset', many: 'statefulsets', label: 'StatefulSet' },
  { one: 'daemonset', many: 'daemonsets', label: 'DaemonSet' },
  { one: 'job', many: 'jobs', label: 'Job' },
];

export function Logs(): JSX.Element {
  const [source, setSource] = createSignal(route().params.kind ?? 'pod');
  const [pick, setPick] = createSignal(
    route().params.ns && route().params.name ? `${route().params.ns}/${route().params.name}` : '',
  );
  const src = () => SOURCES.find((s) => s.one === source()) ?? SOURCES[0];
  const list = createLoader(
    () =>
      api().call(
        `${src().many}.list` as RouteId,
        { namespace: namespaces().length === 1 ? namespaces()[0] : '' } as never,
      ) as Promise<{ items: Array<{ name: string; namespace?: string; containers?: unknown }> }>,
    { key: scopeKey },
  );
  const target = createLoader(
    async () => {
      const [ns, name] = pick().split('/');
      if (!name) return undefined;
      if (source() === 'pod') {
        const d = (await api().call('pod.details', { namespace: ns, name })) as ResourceDetails;
        const spec = (d.object as { spec?: { containers?: Array<{ name: string }> } }).spec;
        return { namespace: ns, pods: [name], containers: (spec?.containers ?? []).map((c) => c.name) };
      }
      const d = (await api().call(
        `${source()}.details` as RouteId,
        { namespace: ns, name } as never,
      )) as ResourceDetails;
      const tpl = (d.object as { spec?: { template?: { spec?: { containers?: Array<{ name: string }> } } } }).spec
        ?.template?.spec;
      return {
        namespace: ns,
        pods: (d.pods ?? []).map((p) => p.name),
        containers: (tpl?.containers ?? []).map((c) => c.name),
      };
    },
    { lazy: true },
  );
  const choose = (v: string) => {
    setPick(v);
    void target.reload();
  };
  if (pick()) void target.reload();
  const items = createMemo(() =>
    (list.value()?.items ?? [])
      .filter((i) => inScope(i.namespace))
      .map((i) => `${i.namespace}/${i.name}`)
      .sort(),
  );
  return (
    <div class="kg-page" data-testid="page-logs">
      <div class="kg-page-head">
        <h1>Logs</h1>
      </div>
      <div class="kg-toolbar">
        <select
          aria-label="Source kind"
          value={source()}
          onChange={(e) => {
            setSource(e.currentTarget.value);
            setPick('');
            void list.reload();
          }}
        >
          <For each={SOURCES}>{(s) => <option value={s.one}>{s.label}</option>}</For>
        </select>
        <select
          aria-label="Object"
          value={pick()}
          onChange={(e) => choose(e.currentTarget.value)}
          data-testid="logs-object"
        >
          <option value="">Choose a {src().label.toLowerCase()}…</option>
          <For each={items()}>{(i) => <option value={i}>{i}</option>}</For>
        </select>
      </div>
      <Show when={!list.error()} fallback={<ErrorState error={list.error()} retry={list.reload} what={src().many} />}>
        <Show
          when={pick()}
          fallback={<Empty title="Pick what to read" hint="A workload's logs merge the lines of all its pods." />}
        >
          <Show when={!target.error()} fallback={<ErrorState error={target.error()} retry={target.reload} />}>
            <Show when={target.value()} fallback={<Loading />}>
              {(t) => (
                <Show
                  when={t().pods.length}
                  fallback={<Empty title="No pods" hint="This workload has no pods right now." />}
                >
                  <LogsViewer target={t()} />
                </Show>
              )}
            </Show>
          </Show>
        </Show>
      </Show>
    </div>
  );
}
