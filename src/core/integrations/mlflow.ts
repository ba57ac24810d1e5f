// MLflow read through its REST API (/api/2.0/mlflow, integrations guide §7) on the tracking server's Service, reached
// through the API server's service proxy: experiments, an experiment's runs with their metrics and parameters, a
// run's metric history, and the model registry. MLflow's snake_case records become the app's DTOs here, with epoch
// milliseconds as ISO times.
import type {
  MlflowExperiment,
  MlflowMetricPoint,
  MlflowModel,
  MlflowModelVersion,
  MlflowRun,
  MlflowServer,
} from '../../shared/routes/integrations';
import type { ApiDeps } from '../api/deps';
import { ApiError } from '../api/errors';
import { callProxy } from '../api/serviceProxy';
import { appReply, appTarget } from './appProxy';
import { serviceStatus } from './catalog';

const API = '/api/2.0/mlflow';
/** Runs read per experiment at most (MLflow's own UI pages by 100; a table of more says so). */
const MAX_RUNS = 2000;

type KV = Array<{ key: string; value: string }>;

interface RawExperiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  last_update_time?: number;
  creation_time?: number;
  tags?: KV;
}

interface RawRun {
  info: {
    run_id?: string;
    run_uuid?: string;
    run_name?: string;
    experiment_id: string;
    user_id?: string;
    status?: string;
    start_time?: number;
    end_time?: number;
    artifact_uri?: string;
    lifecycle_stage?: string;
  };
  data?: {
    metrics?: Array<{ key: string; value: number; timestamp?: number; step?: number }>;
    params?: KV;
    tags?: KV;
  };
}

interface RawVersion {
  name: string;
  version: string;
  current_stage?: string;
  status?: string;
  run_id?: string;
  source?: string;
  description?: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  aliases?: string[];
}

interface RawModel {
  name: string;
  description?: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  latest_versions?: RawVersion[];
  tags?: KV;
  aliases?: Array<{ alias: string; version: string }>;
}

const iso = (ms: number | string | undefined) => {
  const n = Number(ms);
  return ms === undefined || ms === null || !Number.isFinite(n) || n <= 0 ? undefined : new Date(n).toISOString();
};
const kv = (xs: KV | undefined) => Object.fromEntries((xs ?? []).map((t) => [t.key, t.value]));

/** Calls MLflow through the service proxy: JSON in, JSON out, MLflow's errors carrying its status and message. */
async function mlflow<T>(
  deps: ApiDeps,
  context: string | undefined,
  path: string,
  o: { method?: 'GET' | 'POST'; query?: Record<string, string | string[]>; body?: unknown } = {},
): Promise<T> {
  const { ctx, target, title } = await appTarget(deps, context, 'mlflow');
  const r = await callProxy(
    deps,
    ctx,
    target,
    {
      method: o.method ?? 'GET',
      path: `${API}/${path}`,
      query: o.query,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
      contentType: o.body === undefined ? undefined : 'application/json',
      accept: 'application/json',
    },
    { what: title, timeoutMs: 20_000, maxBytes: 16 << 20 },
  );
  const v = appReply(r, title);
  if (typeof v !== 'object' || v === null)
    throw new ApiError('badUpstream', `MLflow answered ${path} with something that is not JSON`, 502);
  return v as T;
}

export function toExperiment(e: RawExperiment): MlflowExperiment {
  return {
    id: e.experiment_id,
    name: e.name,
    lifecycleStage: e.lifecycle_stage ?? 'active',
    artifactLocation: e.artifact_location,
    created: iso(e.creation_time),
    lastUpdated: iso(e.last_update_time),
    tags: Object.fromEntries(Object.entries(kv(e.tags)).filter(([k]) => !k.startsWith('mlflow.'))),
  };
}

export function toRun(r: RawRun): MlflowRun {
  const tags = kv(r.data?.tags);
  const metrics: MlflowRun['metrics'] = {};
  for (const m of r.data?.metrics ?? []) {
    const prev = metrics[m.key];
    // runs/search gives the latest value per key; keep the highest step should a server send more than one.
    if (!prev || (m.step ?? 0) >= prev.step)
      metrics[m.key] = { value: Number(m.value), step: m.step ?? 0, timestamp: iso(m.timestamp) };
  }
  return {
    id: r.info.run_id ?? r.info.run_uuid ?? '',
    name: r.info.run_name || tags['mlflow.runName'] || (r.info.run_id ?? '').slice(0, 8),
    experimentId: r.info.experiment_id,
    status: r.info.status ?? 'UNKNOWN',
    user: r.info.user_id || tags['mlflow.user'],
    started: iso(r.info.start_time),
    ended: iso(r.info.end_time),
    artifactUri: r.info.artifact_uri,
    lifecycleStage: r.info.lifecycle_stage,
    metrics,
    params: kv(r.data?.params),
    tags: Object.fromEntries(Object.entries(tags).filter(([k]) => !k.startsWith('mlflow.'))),
    source: tags['mlflow.source.name'],
    gitCommit: tags['mlflow.source.git.commit'],
  };
}

function toVersion(v: RawVersion, aliases: Array<{ alias: string; version: string }> = []): MlflowModelVersion {
  return {
    name: v.name,
    version: String(v.version),
    stage: v.current_stage || 'None',
    status: v.status,
    runId: v.run_id || undefined,
    source: v.source,
    description: v.description || undefined,
    created: iso(v.creation_timestamp),
    lastUpdated: iso(v.last_updated_timestamp),
    aliases: v.aliases ?? aliases.filter((a) => String(a.version) === String(v.version)).map((a) => a.alias),
  };
}

/** The tracking server's Service and MLflow's version (from `/version`; absent when it does not answer). */
async function server(deps: ApiDeps, context: string | undefined): Promise<MlflowServer> {
  const s = await serviceStatus(deps, context, 'mlflow');
  const out: MlflowServer = { namespace: s.namespace ?? '', service: s.service ?? '' };
  try {
    const { ctx, target } = await appTarget(deps, context, 'mlflow');
    const r = await callProxy(
      deps,
      ctx,
      target,
      { path: '/version', accept: 'text/plain' },
      { what: 'MLflow', timeoutMs: 5000, maxBytes: 4096 },
    );
    const v = r.body.toString('utf8').trim();
    if (r.status === 200 && /^[\w.+-]{1,40}$/.test(v)) out.version = v;
  } catch {
    // The version is a nicety; the experiments call says what is wrong if anything is.
  }
  return out;
}

export async function mlflowExperiments(
  deps: ApiDeps,
  context: string | undefined,
  view: 'active' | 'deleted' | 'all' = 'active',
): Promise<{ server: MlflowServer; experiments: MlflowExperiment[] }> {
  const viewType = view === 'all' ? 'ALL' : view === 'deleted' ? 'DELETED_ONLY' : 'ACTIVE_ONLY';
  const experiments: MlflowExperiment[] = [];
  let token: string | undefined;
  for (let page = 0; page < 20; page++) {
    const r = await mlflow<{ experiments?: RawExperiment[]; next_page_token?: string }>(
      deps,
      context,
      'experiments/search',
      {
        query: { max_results: '500', view_type: viewType, ...(token ? { page_token: token } : {}) },
      },
    );
    experiments.push(...(r.experiments ?? []).map(toExperiment));
    token = r.next_page_token;
    if (!token) break;
  }
  return { server: await server(deps, context), experiments };
}

async function experiment(deps: ApiDeps, context: string | undefined, id: string): Promise<MlflowExperiment> {
  const r = await mlflow<{ experiment: RawExperiment }>(deps, context, 'experiments/get', {
    query: { experiment_id: id },
  });
  return toExperiment(r.experiment);
}

export async function mlflowRuns(deps: ApiDeps, context: string | undefined, experimentId: string) {
  const exp = await experiment(deps, context, experimentId);
  const runs: MlflowRun[] = [];
  let token: string | undefined;
  let truncated = false;
  for (;;) {
    const r = await mlflow<{ runs?: RawRun[]; next_page_token?: string }>(deps, context, 'runs/search', {
      method: 'POST',
      body: {
        experiment_ids: [experimentId],
        max_results: 500,
        order_by: ['attributes.start_time DESC'],
        ...(token ? { page_token: token } : {}),
      },
    });
    runs.push(...(r.runs ?? []).map(toRun));
    token = r.next_page_token;
    if (!token) break;
    if (runs.length >= MAX_RUNS) {
      truncated = true;
      break;
    }
  }
  runs.sort((a, b) => (b.started ?? '').localeCompare(a.started ?? ''));
  const keys = (f: (r: MlflowRun) => Record<string, unknown>) =>
    [...new Set(runs.flatMap((r) => Object.keys(f(r))))].sort();
  return { experiment: exp, runs, metricKeys: keys((r) => r.metrics), paramKeys: keys((r) => r.params), truncated };
}

export async function mlflowRun(deps: ApiDeps, context: string | undefined, runId: string) {
  const r = await mlflow<{ run: RawRun }>(deps, context, 'runs/get', { query: { run_id: runId } });
  const run = toRun(r.run);
  const history: Record<string, MlflowMetricPoint[]> = {};
  await Promise.all(
    Object.keys(run.metrics)
      .slice(0, 50)
      .map(async (key) => {
        try {
          const h = await mlflow<{ metrics?: Array<{ value: number; step?: number; timestamp?: number }> }>(
            deps,
            context,
            'metrics/get-history',
            { query: { run_id: runId, metric_key: key, max_results: '25000' } },
          );
          history[key] = (h.metrics ?? [])
            .map((m) => ({ step: m.step ?? 0, value: Number(m.value), timestamp: iso(m.timestamp) }))
            .sort((a, b) => a.step - b.step || (a.timestamp ?? '').localeCompare(b.timestamp ?? ''));
        } catch {
          // A server without history for this key: the latest value stands alone.
          const m = run.metrics[key];
          history[key] = [{ step: m.step, value: m.value, timestamp: m.timestamp }];
        }
      }),
  );
  const [exp, models] = await Promise.all([
    experiment(deps, context, run.experimentId).catch(() => undefined),
    mlflow<{ model_versions?: RawVersion[] }>(deps, context, 'model-versions/search', {
      query: { filter: `run_id='${runId}'`, max_results: '100' },
    })
      .then((x) => (x.model_versions ?? []).map((v) => toVersion(v)))
      .catch(() => [] as MlflowModelVersion[]),
  ]);
  return { run, experiment: exp, history, models };
}

export async function mlflowModels(deps: ApiDeps, context: string | undefined): Promise<{ models: MlflowModel[] }> {
  const raw: RawModel[] = [];
  let token: string | undefined;
  for (let page = 0; page < 20; page++) {
    const r = await mlflow<{ registered_models?: RawModel[]; next_page_token?: string }>(
      deps,
      context,
      'registered-models/search',
      { query: { max_results: '100', ...(token ? { page_token: token } : {}) } },
    );
    raw.push(...(r.registered_models ?? []));
    token = r.next_page_token;
    if (!token) break;
  }
  const models = await Promise.all(
    raw.map(async (m): Promise<MlflowModel> => {
      const aliases = (m.aliases ?? []).map((a) => ({ alias: a.alias, version: String(a.version) }));
      const latest = (m.latest_versions ?? []).map((v) => toVersion(v, aliases));
      // Every version (latest_versions holds only the newest per stage); older servers without the search keep those.
      const all = await mlflow<{ model_versions?: RawVersion[] }>(deps, context, 'model-versions/search', {
        query: { filter: `name='${m.name.replace(/'/g, "\\'")}'`, max_results: '1000' },
      })
        .then((x) => (x.model_versions ?? []).map((v) => toVersion(v, aliases)))
        .catch(() => latest);
      return {
        name: m.name,
        description: m.description || undefined,
        created: iso(m.creation_timestamp),
        lastUpdated: iso(m.last_updated_timestamp),
        latestVersions: latest,
        versions: all.sort((a, b) => Number(b.version) - Number(a.version)),
        aliases,
        tags: kv(m.tags),
      };
    }),
  );
  return { models: models.sort((a, b) => a.name.localeCompare(b.name)) };
}
