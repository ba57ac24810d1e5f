// Feast, the feature store: its feature views, entities and feature services as the registry server holds them (read
// from its REST API through the Kubernetes API server), with the servers that run. When Feast is absent, or runs
// without a registry KubeGraf can read, the page says what is missing and how to add it.
import { createMemo, createSignal, For, Match, onCleanup, Show, Switch, type JSX } from 'solid-js';
import type { FeastFeatureView, FeastRegistry, FeastStatus } from '../../../src/shared/routes/integrations';
import { api } from '../stores/app';
import { createLoader } from '../stores/loader';
import { subscribeKind } from '../stores/live';
import { Badge, Button } from '../ui/button';
import { Tabs } from '../ui/tabs';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { openApplyDialog } from '../components/applyDialog';
import '../styles/dataPages.css';

const ROLE_TITLE: Record<FeastStatus['services'][number]['role'], string> = {
  'registry-rest': 'Registry (REST)',
  'registry-grpc': 'Registry (gRPC)',
  online: 'Online feature server',
  offline: 'Offline feature server',
  ui: 'Web UI',
};

const TYPE_TITLE: Record<FeastFeatureView['type'], string> = {
  batch: 'Batch',
  onDemand: 'On demand',
  stream: 'Stream',
};

/** "86400s" → "1 day"; Feast stores time to live as a protobuf Duration. */
export function ttlText(ttl: string | undefined): string {
  const s = ttl ? Number(ttl.replace(/s$/, '')) : 0;
  if (!s || !Number.isFinite(s)) return 'never expires';
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  for (const [n, u] of units)
    if (s % n === 0 || n === 1) {
      const v = Math.round((s / n) * 10) / 10;
      return `${v} ${u}${v === 1 ? '' : 's'}`;
    }
  return `${s} seconds`;
}

const FEATURE_STORE_TEMPLATE = `# A Feast feature store run by the Feast operator (install the operator first).
# The registry's REST API is what KubeGraf reads feature views and entities from.
apiVersion: feast.dev/v1alpha1
kind: FeatureStore
metadata:
  name: my-feature-store
  namespace: feast
spec:
  feastProject: my_project
  services:
    registry:
      local:
        server:
          restAPI: true
`;

export function FeastPage(): JSX.Element {
  const status = createLoader(() => api().call('feast.status', {}));
  // Services appearing or going away change what Feast offers: re-check when they do.
  let t: ReturnType<typeof setTimeout> | undefined;
  const off = subscribeKind('services', undefined, (m) => {
    if (m.type === 'error') return;
    clearTimeout(t);
    t = setTimeout(() => void status.reload(), 500);
  });
  onCleanup(() => {
    off();
    clearTimeout(t);
  });
  return (
    <div class="kg-page" data-testid="page-feast">
      <div class="kg-page-head">
        <h1>Feast</h1>
        <span class="kg-muted">Feature store</span>
      </div>
      <Show when={!status.error()} fallback={<ErrorState error={status.error()} retry={status.reload} what="Feast" />}>
        <Show when={status.value()} fallback={<Loading label="Looking for Feast…" />}>
          {(st) => (
            <Switch>
              <Match when={!st().installed}>
                <NotInstalled />
              </Match>
              <Match when={!st().registryReadable}>
                <Servers st={st()} />
                <section class="kg-panel" data-testid="feast-missing">
                  <Empty title="Feature views and entities cannot be read here" hint={st().missing}>
                    <Button onClick={() => openApplyDialog(FEATURE_STORE_TEMPLATE)} testId="feast-create">
                      Create a FeatureStore with the REST API…
                    </Button>
                  </Empty>
                </section>
              </Match>
              <Match when={st().registryReadable}>
                <Servers st={st()} />
                <Registry />
              </Match>
            </Switch>
          )}
        </Show>
      </Show>
    </div>
  );
}

function NotInstalled(): JSX.Element {
  return (
    <section class="kg-panel" data-testid="feast-missing">
      <Empty
        title="Feast is not installed in this cluster"
        hint="No Service of a Feast registry or feature server was found. KubeGraf shows a feature store's projects, entities, feature views and feature services once its registry server runs with the REST API."
      >
        <ol class="kg-steps" data-testid="feast-steps">
          <li>
            Install the Feast operator (from the feast-dev/feast repository:{' '}
            <code>infra/feast-operator/dist/install.yaml</code>).
          </li>
          <li>Create a FeatureStore whose registry serves the REST API (the button below starts you from one).</li>
          <li>Apply your feature repository to it (feast apply); this page then lists what it defines.</li>
        </ol>
        <Button onClick={() => openApplyDialog(FEATURE_STORE_TEMPLATE)} testId="feast-create">
          Create a FeatureStore…
        </Button>
      </Empty>
    </section>
  );
}

function Servers(p: { st: FeastStatus }): JSX.Element {
  return (
    <div class="kg-chips" aria-label="Feast servers" data-testid="feast-servers">
      <For each={p.st.services}>
        {(s) => (
          <span class="kg-chip" title={`Service ${s.namespace}/${s.name}, port ${s.port}`}>
            {ROLE_TITLE[s.role]} · {s.namespace}/{s.name}
          </span>
        )}
      </For>
    </div>
  );
}

function Registry(): JSX.Element {
  // Definitions change when someone runs `feast apply`, which no watch sees: re-read every 30 s.
  const reg = createLoader(() => api().call('feast.registry', {}), { refreshMs: 30_000 });
  const [project, setProject] = createSignal<string | undefined>();
  const [tab, setTab] = createSignal('views');
  const [q, setQ] = createSignal('');
  const [open, setOpen] = createSignal<string | undefined>();
  const proj = () => project() ?? reg.value()?.projects[0]?.name;
  const match = (...xs: Array<string | undefined>) =>
    !q() || xs.filter(Boolean).join(' ').toLowerCase().includes(q().toLowerCase());
  const inProj = <T extends { project: string }>(xs: T[]) => xs.filter((x) => x.project === proj());
  const views = createMemo(() =>
    inProj(reg.value()?.featureViews ?? []).filter((v) =>
      match(v.name, v.description, ...v.entities, ...v.features.map((f) => f.name)),
    ),
  );
  const entities = () =>
    inProj(reg.value()?.entities ?? []).filter((e) => match(e.name, e.joinKey, e.description, e.owner));
  const services = () =>
    inProj(reg.value()?.featureServices ?? []).filter((s) =>
      match(s.name, s.description, ...s.featureViews.map((v) => v.name)),
    );
  const usedBy = (entity: string) =>
    inProj(reg.value()?.featureViews ?? [])
      .filter((v) => v.entities.includes(entity))
      .map((v) => v.name);
  const showEntity = (name: string) => {
    setQ(name);
    setTab('entities');
  };
  return (
    <Show
      when={!reg.error()}
      fallback={<ErrorState error={reg.error()} retry={reg.reload} what="the Feast registry" />}
    >
      <Show when={reg.value()} fallback={<Loading label="Reading the Feast registry…" />}>
        {(r) => (
          <Show
            when={r().projects.length}
            fallback={
              <Empty
                title="The registry has no projects yet"
                hint="Run feast apply in your feature repository against this registry; its entities and feature views appear here."
              />
            }
          >
            <Show when={r().projects.length > 1}>
              <div class="kg-panel-head">
                <div class="kg-seg" role="group" aria-label="Project">
                  <For each={r().projects}>
                    {(x) => (
                      <button class="kg-seg-btn" aria-pressed={proj() === x.name} onClick={() => setProject(x.name)}>
                        {x.name}
                      </button>
                    )}
                  </For>
                </div>
              </div>
            </Show>
            <ProjectCards r={r()} project={proj()!} />
            <div class="kg-toolbar">
              <input
                class="kg-input kg-input-wide"
                type="search"
                placeholder="Filter by name, entity or feature"
                aria-label="Filter the registry"
                value={q()}
                onInput={(e) => setQ(e.currentTarget.value)}
                data-testid="feast-filter"
              />
            </div>
            <Tabs
              label="Registry"
              active={tab()}
              onChange={setTab}
              tabs={[
                { id: 'views', label: `Feature views (${inProj(r().featureViews).length})` },
                { id: 'entities', label: `Entities (${inProj(r().entities).length})` },
                { id: 'services', label: `Feature services (${inProj(r().featureServices).length})` },
              ]}
            />
            <section class="kg-panel">
              <Switch>
                <Match when={tab() === 'views'}>
                  <Show when={views().length} fallback={<Empty title="No feature view matches" />}>
                    <table class="kg-simple-table" data-testid="feast-views">
                      <thead>
                        <tr>
                          <th>Feature view</th>
                          <th>Type</th>
                          <th>Entities</th>
                          <th>Features</th>
                          <th>Time to live</th>
                          <th>Online</th>
                          <th>Source</th>
                          <th>Materialized until</th>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={views()}>
                          {(v) => (
                            <>
                              <tr
                                data-testid="feast-view-row"
                                tabIndex={0}
                                classList={{ 'kg-active': open() === v.name }}
                                onClick={() => setOpen(open() === v.name ? undefined : v.name)}
                                onKeyDown={(e) => e.key === 'Enter' && setOpen(open() === v.name ? undefined : v.name)}
                              >
                                <td>
                                  <strong>{v.name}</strong>
                                  <Show when={v.description}>
                                    <div class="kg-muted kg-small">{v.description}</div>
                                  </Show>
                                </td>
                                <td>
                                  <Badge tone={v.type === 'batch' ? 'muted' : 'info'}>{TYPE_TITLE[v.type]}</Badge>
                                </td>
                                <td>
                                  <div class="kg-chips">
                                    <For each={v.entities} fallback={<span class="kg-muted">—</span>}>
                                      {(e) => (
                                        <button
                                          class="kg-link"
                                          onClick={(ev) => {
                                            ev.stopPropagation();
                                            showEntity(e);
                                          }}
                                        >
                                          {e}
                                        </button>
                                      )}
                                    </For>
                                  </div>
                                </td>
                                <td>
                                  {v.features.length}{' '}
                                  <span class="kg-muted kg-small">
                                    {v.features
                                      .slice(0, 3)
                                      .map((f) => f.name)
                                      .join(', ')}
                                    {v.features.length > 3 ? ', …' : ''}
                                  </span>
                                </td>
                                <td>{v.type === 'onDemand' ? '—' : ttlText(v.ttl)}</td>
                                <td>
                                  <Show
                                    when={v.online !== undefined}
                                    fallback={<span class="kg-muted">at request</span>}
                                  >
                                    <Badge tone={v.online ? 'ok' : 'muted'}>
                                      {v.online ? 'Online' : 'Offline only'}
                                    </Badge>
                                  </Show>
                                </td>
                                <td class="kg-mono">{v.sources.join(', ') || '—'}</td>
                                <td class="kg-muted">
                                  <Show when={v.materializedUntil} fallback={v.type === 'onDemand' ? '—' : 'never'}>
                                    <When at={v.materializedUntil} />
                                  </Show>
                                </td>
                              </tr>
                              <Show when={open() === v.name}>
                                <tr>
                                  <td colSpan={8}>
                                    <ViewDetails v={v} />
                                  </td>
                                </tr>
                              </Show>
                            </>
                          )}
                        </For>
                      </tbody>
                    </table>
                  </Show>
                </Match>
                <Match when={tab() === 'entities'}>
                  <Show when={entities().length} fallback={<Empty title="No entity matches" />}>
                    <table class="kg-simple-table" data-testid="feast-entities">
                      <thead>
                        <tr>
                          <th>Entity</th>
                          <th>Join key</th>
                          <th>Value type</th>
                          <th>Used by</th>
                          <th>Owner</th>
                          <th>Updated</th>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={entities()}>
                          {(e) => (
                            <tr data-testid="feast-entity-row">
                              <td>
                                <strong>{e.name}</strong>
                                <Show when={e.description}>
                                  <div class="kg-muted kg-small">{e.description}</div>
                                </Show>
                              </td>
                              <td class="kg-mono">{e.joinKey}</td>
                              <td class="kg-mono">{e.valueType ?? '—'}</td>
                              <td>{usedBy(e.name).join(', ') || <span class="kg-muted">no feature view</span>}</td>
                              <td>{e.owner ?? '—'}</td>
                              <td class="kg-muted">
                                <When at={e.updated} />
                              </td>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                  </Show>
                </Match>
                <Match when={tab() === 'services'}>
                  <Show when={services().length} fallback={<Empty title="No feature service matches" />}>
                    <table class="kg-simple-table" data-testid="feast-services">
                      <thead>
                        <tr>
                          <th>Feature service</th>
                          <th>Features</th>
                          <th>Owner</th>
                          <th>Created</th>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={services()}>
                          {(s) => (
                            <tr data-testid="feast-service-row">
                              <td>
                                <strong>{s.name}</strong>
                                <Show when={s.description}>
                                  <div class="kg-muted kg-small">{s.description}</div>
                                </Show>
                              </td>
                              <td>
                                <For each={s.featureViews}>
                                  {(v) => (
                                    <div>
                                      <span class="kg-mono">{v.name}</span>
                                      <span class="kg-muted">: {v.features.join(', ') || 'all features'}</span>
                                    </div>
                                  )}
                                </For>
                              </td>
                              <td>{s.owner ?? '—'}</td>
                              <td class="kg-muted">
                                <When at={s.created} />
                              </td>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                  </Show>
                </Match>
              </Switch>
            </section>
          </Show>
        )}
      </Show>
    </Show>
  );
}

function ProjectCards(p: { r: FeastRegistry; project: string }): JSX.Element {
  const views = () => p.r.featureViews.filter((v) => v.project === p.project);
  const info = () => p.r.projects.find((x) => x.name === p.project);
  return (
    <div class="kg-cards" data-testid="feast-summary">
      <div class="kg-card">
        <span class="kg-card-title">Project</span>
        <span class="kg-card-value kg-card-name">{p.project}</span>
        <span class="kg-card-sub kg-muted">{info()?.description ?? ''}</span>
      </div>
      <div class="kg-card">
        <span class="kg-card-title">Feature views</span>
        <span class="kg-card-value">{views().length}</span>
        <span class="kg-card-sub kg-muted">{views().filter((v) => v.online).length} served online</span>
      </div>
      <div class="kg-card">
        <span class="kg-card-title">Features</span>
        <span class="kg-card-value">{views().reduce((s, v) => s + v.features.length, 0)}</span>
        <span class="kg-card-sub kg-muted">across all views</span>
      </div>
      <div class="kg-card">
        <span class="kg-card-title">Entities</span>
        <span class="kg-card-value">{p.r.entities.filter((e) => e.project === p.project).length}</span>
        <span class="kg-card-sub kg-muted">join keys</span>
      </div>
      <div class="kg-card">
        <span class="kg-card-title">Feature services</span>
        <span class="kg-card-value">{p.r.featureServices.filter((s) => s.project === p.project).length}</span>
        <span class="kg-card-sub kg-muted">for models to read</span>
      </div>
    </div>
  );
}

function ViewDetails(p: { v: FeastFeatureView }): JSX.Element {
  const tags = () => Object.entries(p.v.tags);
  return (
    <div data-testid="feast-view-details">
      <table class="kg-simple-table">
        <thead>
          <tr>
            <th>Feature</th>
            <th>Value type</th>
            <th>Description</th>
          </tr>
        </thead>
        <tbody>
          <For each={p.v.features}>
            {(f) => (
              <tr>
                <td class="kg-mono">
                  {p.v.name}:{f.name}
                </td>
                <td class="kg-mono">{f.valueType ?? '—'}</td>
                <td>{f.description ?? ''}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <p class="kg-muted kg-small">
        <Show when={p.v.owner}>Owner {p.v.owner} · </Show>
        Created <When at={p.v.created} /> · updated <When at={p.v.updated} />
        <Show when={tags().length}>
          {' '}
          · tags{' '}
          {tags()
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}
        </Show>
      </p>
    </div>
  );
}
