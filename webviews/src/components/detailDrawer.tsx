// The detail drawer of any object: overview, YAML (view, edit with a diff before apply), describe, events, related
// objects (owners, pods, endpoints). The kind-specific parts come in as `ops`.
import { createSignal, For, Match, onMount, Show, Switch, type JSX } from 'solid-js';
import type {
  DescribeResult,
  EventRow,
  ResourceDetails,
  UpdateResult,
  YamlResult,
} from '../../../src/shared/routes/resources';
import { KINDS, pageOfKind } from '../../../src/shared/kinds';
import { createLoader } from '../stores/loader';
import { Tabs } from '../ui/tabs';
import { Drawer } from '../ui/drawer';
import { Empty, ErrorState, Loading } from '../ui/states';
import { Badge } from '../ui/button';
import { YamlEditor } from './yamlEditor';
import { PodOverview } from './podOverview';
import { humanizeKey, present } from '../model/present';
import { timeAgo } from '../stores/clock';
import { When } from '../ui/when';
import { api, navigate } from '../stores/app';
import { FindingRows } from './findingRows';

export interface ObjectOps {
  kind: string;
  name: string;
  namespace?: string;
  details: () => Promise<ResourceDetails>;
  yaml: () => Promise<YamlResult>;
  describe: () => Promise<DescribeResult>;
  update: (yaml: string, dryRun: boolean) => Promise<UpdateResult>;
  canEdit: boolean;
  /** Buttons for this object's actions (logs, shell, scale...). */
  actions?: JSX.Element;
}

export function DetailDrawer(p: { ops: ObjectOps; onClose: () => void; initialTab?: string }): JSX.Element {
  const [tab, setTab] = createSignal('overview');
  // The overview follows the object (restarts, states, conditions) while the drawer is open.
  const details = createLoader(() => p.ops.details(), { refreshMs: 10_000 });
  const yaml = createLoader(() => p.ops.yaml(), { lazy: true });
  const describe = createLoader(() => p.ops.describe(), { lazy: true });
  const select = (t: string) => {
    setTab(t);
    if (t === 'yaml' && !yaml.value()) void yaml.reload();
    if (t === 'describe' && !describe.value()) void describe.reload();
  };
  onMount(() => {
    if (p.initialTab) select(p.initialTab);
  });
  return (
    <Drawer
      label={`${p.ops.kind} ${p.ops.name}`}
      subtitle={`${p.ops.kind}${p.ops.namespace ? ` · ${p.ops.namespace}` : ''}`}
      title={p.ops.name}
      closeLabel="Close details"
      onClose={p.onClose}
      testId="drawer"
    >
      <Show when={p.ops.actions}>
        <div class="kg-toolbar">{p.ops.actions}</div>
      </Show>
      <Tabs
        label="Object details"
        active={tab()}
        onChange={select}
        tabs={[
          { id: 'overview', label: 'Overview' },
          { id: 'yaml', label: 'YAML' },
          { id: 'describe', label: 'Describe' },
          { id: 'events', label: 'Events' },
          { id: 'related', label: 'Related' },
        ]}
      />
      <div class="kg-drawer-body" role="tabpanel">
        <Switch>
          <Match when={tab() === 'overview'}>
            <Show
              when={!details.error()}
              fallback={<ErrorState error={details.error()} retry={details.reload} what="the details" />}
            >
              <Show when={details.value()} fallback={<Loading />}>
                {(d) => <Overview d={d()} />}
              </Show>
              <ObjectFindings ops={p.ops} />
            </Show>
          </Match>
          <Match when={tab() === 'yaml'}>
            <Show
              when={!yaml.error()}
              fallback={<ErrorState error={yaml.error()} retry={yaml.reload} what="the YAML" />}
            >
              <Show when={yaml.value()} fallback={<Loading />}>
                {(y) => (
                  <YamlEditor
                    yaml={y().yaml}
                    canEdit={p.ops.canEdit}
                    update={p.ops.update}
                    reload={() => yaml.reload()}
                    onApplied={() => {
                      void yaml.reload();
                      void details.reload();
                    }}
                  />
                )}
              </Show>
            </Show>
          </Match>
          <Match when={tab() === 'describe'}>
            <Show
              when={!describe.error()}
              fallback={<ErrorState error={describe.error()} retry={describe.reload} what="the description" />}
            >
              <Show when={describe.value()} fallback={<Loading />}>
                {(d) => (
                  <pre class="kg-code" tabIndex={0} data-testid="describe">
                    {d().describe}
                  </pre>
                )}
              </Show>
            </Show>
          </Match>
          <Match when={tab() === 'events'}>
            <Show
              when={!details.error()}
              fallback={<ErrorState error={details.error()} retry={details.reload} what="the events" />}
            >
              <Show when={details.value()} fallback={<Loading />}>
                {(d) => <EventList events={d().events} />}
              </Show>
            </Show>
          </Match>
          <Match when={tab() === 'related'}>
            <Show
              when={!details.error()}
              fallback={<ErrorState error={details.error()} retry={details.reload} what="related objects" />}
            >
              <Show when={details.value()} fallback={<Loading />}>
                {(d) => <Related d={d()} />}
              </Show>
            </Show>
          </Match>
        </Switch>
      </div>
    </Drawer>
  );
}

// Shown elsewhere (header, tabs) or in their own form below; `createdAt` is the live age.
const IDENTITY = new Set([
  'name',
  'namespace',
  'uid',
  'labels',
  'annotations',
  'object',
  'events',
  'pods',
  'kind',
  'apiVersion',
  'createdAt',
]);

function Overview(p: { d: ResourceDetails }): JSX.Element {
  const labels = () => (
    <>
      <h3>Labels</h3>
      <Chips map={p.d.labels} />
      <h3>Annotations</h3>
      <Chips map={p.d.annotations} />
    </>
  );
  const fields = () =>
    Object.entries(p.d).filter(
      ([k, v]) => !IDENTITY.has(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'),
    );
  return (
    <Show when={p.d.kind !== 'Pod'} fallback={<PodOverview d={p.d}>{labels()}</PodOverview>}>
      <div class="kg-overview" data-testid="overview">
        <dl class="kg-dl">
          <For each={fields()}>
            {([k, v]) => {
              if (k === 'age' && p.d.createdAt)
                return (
                  <>
                    <dt>Age</dt>
                    <dd>
                      <When at={p.d.createdAt} ago={false} />
                    </dd>
                  </>
                );
              const s = present(k, v, p.d as unknown as Record<string, unknown>);
              return (
                <>
                  <dt>{humanizeKey(k)}</dt>
                  <dd title={s.title}>{s.text}</dd>
                </>
              );
            }}
          </For>
        </dl>
        {labels()}
      </div>
    </Show>
  );
}

function Chips(p: { map?: Record<string, string> }): JSX.Element {
  return (
    <Show when={p.map && Object.keys(p.map).length} fallback={<p class="kg-muted">None</p>}>
      <div class="kg-chips">
        <For each={Object.entries(p.map ?? {})}>
          {([k, v]) => (
            <span class="kg-chip" title={`${k}=${v}`}>
              {k}={v.length > 60 ? `${v.slice(0, 60)}…` : v}
            </span>
          )}
        </For>
      </div>
    </Show>
  );
}

export function EventList(p: { events: EventRow[] }): JSX.Element {
  return (
    <Show
      when={p.events.length}
      fallback={<Empty title="No events" hint="Kubernetes keeps events for about an hour." />}
    >
      <ul class="kg-events" data-testid="events">
        <For each={p.events}>
          {(e) => (
            <li>
              <Badge tone={e.type === 'Warning' ? 'warn' : 'muted'}>{e.type}</Badge> <strong>{e.reason}</strong>
              <span class="kg-muted">
                {' '}
                <time datetime={e.lastSeen} title={e.lastSeen ? new Date(e.lastSeen).toLocaleString() : undefined}>
                  {timeAgo(e.lastSeen)}
                </time>
                {e.count > 1 ? ` ×${e.count}` : ''}
              </span>
              <div>{e.message}</div>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

/** The page of each Kubernetes kind (`Pod` → `pods`), from the shared table of kinds: owners and pods link there. */
const pageForKind = new Map<string, string>(KINDS.map((d) => [d.kind, pageOfKind(d).id]));

function Related(p: { d: ResourceDetails }): JSX.Element {
  const obj = () =>
    (p.d.object ?? {}) as {
      metadata?: { ownerReferences?: Array<{ kind: string; name: string }> };
      spec?: { nodeName?: string };
      subsets?: Array<{
        addresses?: Array<{ ip: string; targetRef?: { name: string } }>;
        ports?: Array<{ port: number }>;
      }>;
    };
  const owners = () => obj().metadata?.ownerReferences ?? [];
  const endpoints = () => (p.d.endpoints as string[] | undefined) ?? [];
  const open = (kind: string, name: string, namespace?: string) => {
    const page = pageForKind.get(kind);
    if (page) navigate(page, { name, ...(namespace ? { ns: namespace } : {}) });
  };
  return (
    <div data-testid="related">
      <h3>Owners</h3>
      <Show when={owners().length} fallback={<p class="kg-muted">No owner: this object is managed directly.</p>}>
        <ul class="kg-list">
          <For each={owners()}>
            {(o) => (
              <li>
                <button class="kg-link" onClick={() => open(o.kind, o.name, p.d.namespace)}>
                  {o.kind}/{o.name}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={obj().spec?.nodeName}>
        <h3>Node</h3>
        <button class="kg-link" onClick={() => open('Node', obj().spec?.nodeName ?? '')}>
          {obj().spec?.nodeName}
        </button>
      </Show>
      <Show when={p.d.pods}>
        <h3>Pods ({p.d.pods?.length ?? 0})</h3>
        <ul class="kg-list">
          <For each={p.d.pods ?? []}>
            {(pod) => (
              <li>
                <button class="kg-link" onClick={() => open('Pod', pod.name, pod.namespace)}>
                  {pod.name}
                </button>{' '}
                <span class="kg-muted">{String(pod.status ?? '')}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={endpoints().length}>
        <h3>Endpoints</h3>
        <ul class="kg-list">
          <For each={endpoints()}>
            {(e) => (
              <li>
                <code>{e}</code>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}

/** What the analyses (security, cost, drift, continuity) found on this object, with their fixes. */
function ObjectFindings(p: { ops: ObjectOps }): JSX.Element {
  const found = createLoader(() =>
    api().call('insights.findings', {
      kind: p.ops.kind,
      name: p.ops.name,
      ...(p.ops.namespace ? { namespace: p.ops.namespace } : {}),
    }),
  );
  return (
    <Show when={found.value()?.findings.length}>
      <section class="kg-section" data-testid="drawer-findings">
        <h3>Findings</h3>
        <FindingRows findings={found.value()!.findings} onChanged={() => void found.reload()} />
      </section>
    </Show>
  );
}
