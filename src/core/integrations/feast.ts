// Feast in a cluster: which of its servers run (found by Service, as the Feast operator and the feast-feature-server
// chart name them), and the registry's projects, entities, feature views and feature services read from the registry
// server's REST API (`feast serve_registry --rest-api`, port 6572, all paths under /api/v1; records are the registry
// protos as JSON, camelCase). The feature server (port 6566) serves features, not definitions, so without the
// registry's REST API KubeGraf says what is missing rather than guessing.
import type {
  FeastEntity,
  FeastFeatureService,
  FeastFeatureView,
  FeastRegistry,
  FeastService,
  FeastStatus,
} from '../../shared/routes/integrations';
import type { Service } from '../kube/objects';
import { contextOf, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError, notInstalled } from '../api/errors';
import { callProxy, type ProxyTarget } from '../api/serviceProxy';
import { appReply } from './appProxy';

const REGISTRY_REST_PORT = 6572;
const REGISTRY_GRPC_PORT = 6570;
const ONLINE_PORT = 6566;
const OFFLINE_PORT = 8815;

type Port = { name?: string; port: number; targetPort?: number | string; appProtocol?: string };

const HOW_TO_INSTALL =
  'Install the Feast operator and create a FeatureStore whose registry runs its REST API ' +
  '(spec.services.registry.local.server.restAPI: true), or run "feast serve_registry --rest-api" (port 6572) ' +
  'beside your feature repository and expose it as a Service.';

/** What a Service of Feast's serves, from its name, the operator's labels and its ports. */
function roleOf(s: Service): FeastService['role'] | undefined {
  const n = s.metadata.name;
  const l = s.metadata.labels ?? {};
  const feast = /feast/.test(n) || /feast/.test(l['app.kubernetes.io/name'] ?? '') || l['feast.dev/name'] !== undefined;
  if (!feast) return undefined;
  const ports = (s.spec?.ports ?? []) as Port[];
  const has = (p: number) => ports.some((x) => x.port === p || x.targetPort === p);
  const type = l['feast.dev/service-type'];
  if (/-registry-rest$/.test(n) || has(REGISTRY_REST_PORT) || (type === 'registry' && /rest/.test(n)))
    return 'registry-rest';
  if (/-registry$/.test(n) || has(REGISTRY_GRPC_PORT) || type === 'registry') return 'registry-grpc';
  if (/-offline$/.test(n) || has(OFFLINE_PORT) || type === 'offline') return 'offline';
  if (/-ui$/.test(n) || type === 'ui') return 'ui';
  if (/-online$|feature-server|^feast$/.test(n) || has(ONLINE_PORT) || type === 'online') return 'online';
  return undefined;
}

/** The port to call a Feast Service on: the role's well-known port, else its http port, else its first. */
function portOf(s: Service, role: FeastService['role']): number | string {
  const ports = (s.spec?.ports ?? []) as Port[];
  const want = role === 'registry-rest' ? REGISTRY_REST_PORT : role === 'online' ? ONLINE_PORT : undefined;
  const p =
    ports.find((x) => want !== undefined && (x.port === want || x.targetPort === want)) ??
    ports.find((x) => /^https?$|rest/.test(x.name ?? '')) ??
    ports[0];
  return p ? p.name || p.port : '';
}

export async function feastServices(deps: ApiDeps, context: string | undefined): Promise<FeastService[]> {
  const svcs = (await objects(deps, context, 'services')) ?? [];
  const out: FeastService[] = [];
  for (const s of svcs) {
    const role = roleOf(s);
    if (role) out.push({ role, namespace: s.metadata.namespace ?? '', name: s.metadata.name, port: portOf(s, role) });
  }
  return out.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

/** Whether Feast runs, which servers it has, and what is missing to browse its registry here. */
export async function feastStatus(deps: ApiDeps, context: string | undefined): Promise<FeastStatus> {
  const services = await feastServices(deps, context);
  const rest = services.find((s) => s.role === 'registry-rest');
  if (!services.length)
    return {
      installed: false,
      name: 'Feast',
      services,
      registryReadable: false,
      message: 'Feast was not found in this cluster: no Service of a Feast registry or feature server.',
      missing: HOW_TO_INSTALL,
    };
  const first = rest ?? services[0];
  const roles = [...new Set(services.map((s) => s.role))];
  return {
    installed: true,
    name: 'Feast',
    namespace: first.namespace,
    service: first.name,
    services,
    registryReadable: !!rest,
    message: `Feast is running: ${roles.map((r) => ROLE_TITLE[r]).join(', ')}`,
    ...(rest
      ? {}
      : {
          missing:
            "Feature views and entities are read from the registry server's REST API, which no Service here offers " +
            `(found: ${services.map((s) => `${s.namespace}/${s.name}`).join(', ')}). Enable it with ` +
            'spec.services.registry.local.server.restAPI: true on the FeatureStore, or run ' +
            '"feast serve_registry --rest-api" (port 6572) and expose it as a Service.',
        }),
  };
}

const ROLE_TITLE: Record<FeastService['role'], string> = {
  'registry-rest': 'registry (REST)',
  'registry-grpc': 'registry (gRPC)',
  online: 'online feature server',
  offline: 'offline feature server',
  ui: 'web UI',
};

type Meta = { createdTimestamp?: string; lastUpdatedTimestamp?: string };
type Tags = Record<string, string> | undefined;
interface RawFeature {
  name: string;
  valueType?: string;
  description?: string;
}
interface RawFeatureView {
  spec?: {
    name: string;
    entities?: string[];
    features?: RawFeature[];
    ttl?: string;
    online?: boolean;
    batchSource?: { name?: string; type?: string };
    streamSource?: { name?: string };
    sources?: Record<
      string,
      { featureViewProjection?: { featureViewName?: string }; requestDataSource?: { name?: string } }
    >;
    description?: string;
    owner?: string;
    tags?: Tags;
  };
  meta?: Meta & { materializationIntervals?: Array<{ startTime?: string; endTime?: string }> };
}

async function registryCall<T>(deps: ApiDeps, ctx: string, t: ProxyTarget, path: string, project?: string) {
  const r = await callProxy(
    deps,
    ctx,
    t,
    { path: `/api/v1/${path}`, query: project ? { project } : undefined, accept: 'application/json' },
    { what: 'the Feast registry', timeoutMs: 20_000, maxBytes: 16 << 20 },
  );
  const v = appReply(r, 'the Feast registry') as T & { error?: string };
  if (typeof v !== 'object' || v === null)
    throw new ApiError(
      'badUpstream',
      `the Feast registry answered /api/v1/${path} with something that is not JSON`,
      502,
    );
  // /projects reports its own failures in a 200 body.
  if (typeof v.error === 'string') throw new ApiError('upstreamError', `the Feast registry: ${v.error}`, 502);
  return v;
}

function toView(project: string, w: Record<string, RawFeatureView> | RawFeatureView): FeastFeatureView | undefined {
  // ListAllFeatureViews answers AnyFeatureView wrappers; older servers answer the views themselves.
  const any = w as Record<string, RawFeatureView>;
  const [type, v]: [FeastFeatureView['type'], RawFeatureView | undefined] = any.onDemandFeatureView
    ? ['onDemand', any.onDemandFeatureView]
    : any.streamFeatureView
      ? ['stream', any.streamFeatureView]
      : ['batch', any.featureView ?? (w as RawFeatureView)];
  const s = v?.spec;
  if (!s?.name) return undefined;
  const ends = (v?.meta?.materializationIntervals ?? []).map((i) => i.endTime ?? '').filter(Boolean);
  const sources =
    type === 'onDemand'
      ? Object.entries(s.sources ?? {}).map(
          ([k, x]) => x.featureViewProjection?.featureViewName ?? x.requestDataSource?.name ?? k,
        )
      : [s.batchSource?.name, s.streamSource?.name].filter((x): x is string => !!x);
  return {
    project,
    name: s.name,
    type,
    entities: (s.entities ?? []).filter((e) => e !== '__dummy'),
    features: (s.features ?? []).map((f) => ({ name: f.name, valueType: f.valueType, description: f.description })),
    ttl: s.ttl && s.ttl !== '0s' ? s.ttl : undefined,
    online: type === 'onDemand' ? undefined : (s.online ?? false),
    sources,
    description: s.description || undefined,
    owner: s.owner || undefined,
    tags: s.tags ?? {},
    created: v?.meta?.createdTimestamp,
    updated: v?.meta?.lastUpdatedTimestamp,
    materializedUntil: ends.sort().pop(),
  };
}

/** Every project's entities, feature views and feature services, read from the registry server's REST API. */
export async function feastRegistry(deps: ApiDeps, context: string | undefined): Promise<FeastRegistry> {
  const st = await feastStatus(deps, context);
  const rest = st.services.find((s) => s.role === 'registry-rest');
  if (!rest) throw notInstalled(st.installed ? st.missing! : `${st.message} ${HOW_TO_INSTALL}`);
  const ctx = contextOf(deps, context);
  const t: ProxyTarget = { namespace: rest.namespace, name: rest.name, port: rest.port };
  const pr = await registryCall<{
    projects?: Array<{ spec?: { name: string; description?: string }; meta?: Meta }>;
  }>(deps, ctx, t, 'projects');
  const projects = (pr.projects ?? [])
    .filter((p) => p.spec?.name)
    .slice(0, 50)
    .map((p) => ({
      name: p.spec!.name,
      description: p.spec!.description || undefined,
      created: p.meta?.createdTimestamp,
    }));
  const entities: FeastEntity[] = [];
  const featureViews: FeastFeatureView[] = [];
  const featureServices: FeastFeatureService[] = [];
  await Promise.all(
    projects.map(async ({ name: project }) => {
      const [e, v, fs] = await Promise.all([
        registryCall<{
          entities?: Array<{
            spec?: {
              name: string;
              joinKey?: string;
              valueType?: string;
              description?: string;
              owner?: string;
              tags?: Tags;
            };
            meta?: Meta;
          }>;
        }>(deps, ctx, t, 'entities', project),
        registryCall<{ featureViews?: Array<Record<string, RawFeatureView>> }>(deps, ctx, t, 'feature_views', project),
        registryCall<{
          featureServices?: Array<{
            spec?: {
              name: string;
              features?: Array<{ featureViewName?: string; featureColumns?: RawFeature[] }>;
              description?: string;
              owner?: string;
              tags?: Tags;
            };
            meta?: Meta;
          }>;
        }>(deps, ctx, t, 'feature_services', project).catch(() => ({ featureServices: [] })),
      ]);
      for (const x of e.entities ?? []) {
        const s = x.spec;
        if (!s?.name || s.name === '__dummy') continue;
        entities.push({
          project,
          name: s.name,
          joinKey: s.joinKey || s.name,
          valueType: s.valueType,
          description: s.description || undefined,
          owner: s.owner || undefined,
          tags: s.tags ?? {},
          created: x.meta?.createdTimestamp,
          updated: x.meta?.lastUpdatedTimestamp,
        });
      }
      for (const w of v.featureViews ?? []) {
        const fv = toView(project, w);
        if (fv) featureViews.push(fv);
      }
      for (const x of fs.featureServices ?? []) {
        const s = x.spec;
        if (!s?.name) continue;
        featureServices.push({
          project,
          name: s.name,
          featureViews: (s.features ?? []).map((f) => ({
            name: f.featureViewName ?? '',
            features: (f.featureColumns ?? []).map((c) => c.name),
          })),
          description: s.description || undefined,
          owner: s.owner || undefined,
          tags: s.tags ?? {},
          created: x.meta?.createdTimestamp,
        });
      }
    }),
  );
  const byName = <T extends { project: string; name: string }>(a: T, b: T) =>
    a.project.localeCompare(b.project) || a.name.localeCompare(b.name);
  return {
    source: { namespace: rest.namespace, service: rest.name },
    projects,
    entities: entities.sort(byName),
    featureViews: featureViews.sort(byName),
    featureServices: featureServices.sort(byName),
  };
}
