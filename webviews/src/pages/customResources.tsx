// CRDs and their instances: the same table and drawer as built-in kinds, over the custom-resources routes.
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { ResourceEntry } from '../../../src/shared/routes/resources';
import { api, namespaces } from '../stores/app';
import { createLoader } from '../stores/loader';
import { ResourcePage } from './resourcePage';
import { Empty, ErrorState, Loading } from '../ui/states';

export function CustomResources(): JSX.Element {
  const crds = createLoader(() => api().call('crds.list', {}));
  const [crd, setCrd] = createSignal('');
  const entry = createMemo(() => {
    const c = crds.value()?.crds.find((x) => x.name === crd());
    if (!c) return undefined;
    return {
      one: c.plural,
      many: c.plural,
      kind: c.name,
      namespaced: c.scope === 'Namespaced',
      caps: [],
    } as unknown as ResourceEntry;
  });
  return (
    <div class="kg-stack kg-page-fill" data-testid="page-custom-resources">
      <div class="kg-page-head">
        <h1>Custom Resources</h1>
        <Show when={crds.value()}>
          <select
            aria-label="Custom resource definition"
            value={crd()}
            onChange={(e) => setCrd(e.currentTarget.value)}
            data-testid="crd-select"
          >
            <option value="">Choose a CRD…</option>
            <For each={crds.value()?.crds ?? []}>
              {(c) => (
                <option value={c.name}>
                  {c.kind} ({c.name})
                </option>
              )}
            </For>
          </select>
        </Show>
      </div>
      <Show when={!crds.error()} fallback={<ErrorState error={crds.error()} retry={crds.reload} what="CRDs" />}>
        <Show when={crds.value()} fallback={<Loading />}>
          <Show
            when={entry()}
            keyed
            fallback={
              <Empty
                title={crds.value()?.crds.length ? 'Choose a CRD to list its instances' : 'This cluster has no CRDs'}
              />
            }
          >
            {(e) => (
              <ResourcePage
                entry={e}
                title={e.kind}
                // Edits go through the drawer's YAML tab (crds.update); row actions of built-in kinds have no CRD routes.
                capabilities={new Set(['edit'])}
                list={() =>
                  api().call('crds.instances', {
                    crd: e.kind,
                    namespace: namespaces().length === 1 ? namespaces()[0] : '',
                  })
                }
                objectRoutes={(t) => {
                  const params = { crd: e.kind, name: t.name, ...(t.namespace ? { namespace: t.namespace } : {}) };
                  return {
                    kind: e.kind,
                    name: t.name,
                    namespace: t.namespace,
                    details: () => api().call('crds.details', params),
                    yaml: () => api().call('crds.yaml', params),
                    describe: () => api().call('crds.describe', params),
                    update: (yaml, dryRun) => api().call('crds.update', { ...params, yaml, dryRun }),
                    canEdit: true,
                  };
                }}
              />
            )}
          </Show>
        </Show>
      </Show>
    </div>
  );
}
