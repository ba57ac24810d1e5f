// An MLflow tracking server's REST subset (/api/2.0/mlflow, mirrored under /ajax-api/2.0/mlflow): experiments
// search/get, runs search/get, metric history, registered models and model versions search, /health and /version. Fixed data for the demo team.
import type { AppRequest, AppResponse, SimApp } from './app';
import { jsonBody } from './app';

const H = 3_600_000;
/** The team started five days before the simulator did (on the hour), so ages read as a live server's would. */
const T0 = Math.floor(Date.now() / H) * H - 120 * H;

const EXPERIMENTS = [
  {
    experiment_id: '0',
    name: 'Default',
    artifact_location: 'mlflow-artifacts:/0',
    lifecycle_stage: 'active',
    last_update_time: T0,
    creation_time: T0,
    tags: [],
  },
  {
    experiment_id: '1',
    name: 'iris-classifier',
    artifact_location: 'mlflow-artifacts:/1',
    lifecycle_stage: 'active',
    last_update_time: T0 + 50 * H,
    creation_time: T0 + H,
    tags: [{ key: 'team', value: 'ml' }],
  },
  {
    experiment_id: '2',
    name: 'llm-finetune',
    artifact_location: 'mlflow-artifacts:/2',
    lifecycle_stage: 'active',
    last_update_time: T0 + 70 * H,
    creation_time: T0 + 2 * H,
    tags: [
      { key: 'team', value: 'ml' },
      { key: 'gpu', value: 'a100' },
    ],
  },
  {
    experiment_id: '3',
    name: 'old-baseline',
    artifact_location: 'mlflow-artifacts:/3',
    lifecycle_stage: 'deleted',
    last_update_time: T0 + 3 * H,
    creation_time: T0 + 3 * H,
    tags: [],
  },
];

function run(
  id: string,
  exp: string,
  name: string,
  status: string,
  start: number,
  hours: number | undefined,
  metrics: Record<string, number>,
  params: Record<string, string>,
) {
  return {
    info: {
      run_id: id,
      run_uuid: id,
      run_name: name,
      experiment_id: exp,
      user_id: 'alice',
      status,
      start_time: start,
      ...(hours !== undefined ? { end_time: start + hours * H } : {}),
      artifact_uri: `mlflow-artifacts:/${exp}/${id}/artifacts`,
      lifecycle_stage: 'active',
    },
    data: {
      metrics: Object.entries(metrics).map(([key, value]) => ({
        key,
        value,
        timestamp: start + (hours ?? 1) * H,
        step: 10,
      })),
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      tags: [
        { key: 'mlflow.runName', value: name },
        { key: 'mlflow.user', value: 'alice' },
      ],
    },
    inputs: { dataset_inputs: [] },
  };
}

const RUNS = [
  run(
    'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    '1',
    'svc-rbf',
    'FINISHED',
    T0 + 10 * H,
    0.2,
    { accuracy: 0.973, f1: 0.972 },
    { kernel: 'rbf', C: '1.0' },
  ),
  run(
    'b2c3d4e5f60718293a4b5c6d7e8f90a1',
    '1',
    'logreg',
    'FINISHED',
    T0 + 20 * H,
    0.1,
    { accuracy: 0.953, f1: 0.951 },
    { penalty: 'l2', C: '0.5' },
  ),
  run('c3d4e5f60718293a4b5c6d7e8f90a1b2', '1', 'tree-depth-2', 'FAILED', T0 + 30 * H, 0.05, {}, { max_depth: '2' }),
  run(
    'd4e5f60718293a4b5c6d7e8f90a1b2c3',
    '2',
    'lora-r16',
    'RUNNING',
    T0 + 60 * H,
    undefined,
    { loss: 1.42, eval_loss: 1.57 },
    { lora_r: '16', lr: '2e-4', base_model: 'llama-3-8b' },
  ),
  run(
    'e5f60718293a4b5c6d7e8f90a1b2c3d4',
    '2',
    'lora-r8',
    'FINISHED',
    T0 + 40 * H,
    9,
    { loss: 1.51, eval_loss: 1.63 },
    { lora_r: '8', lr: '2e-4', base_model: 'llama-3-8b' },
  ),
];

/** Registered model versions (model-versions/search); a model's latest_versions is the newest per stage. */
const VERSIONS = [
  {
    name: 'iris-classifier',
    version: '1',
    creation_timestamp: T0 + 11 * H,
    last_updated_timestamp: T0 + 21 * H,
    current_stage: 'Archived',
    description: 'First cut: logistic regression',
    source: `mlflow-artifacts:/1/${RUNS[1].info.run_id}/artifacts/model`,
    run_id: RUNS[1].info.run_id,
    status: 'READY',
    tags: [],
    aliases: [] as string[],
  },
  {
    name: 'iris-classifier',
    version: '2',
    creation_timestamp: T0 + 21 * H,
    last_updated_timestamp: T0 + 21 * H,
    current_stage: 'Production',
    description: '',
    source: `mlflow-artifacts:/1/${RUNS[0].info.run_id}/artifacts/model`,
    run_id: RUNS[0].info.run_id,
    status: 'READY',
    tags: [],
    aliases: ['champion'],
  },
  {
    name: 'llama-3-8b-lora',
    version: '1',
    creation_timestamp: T0 + 50 * H,
    last_updated_timestamp: T0 + 52 * H,
    current_stage: 'Staging',
    description: 'LoRA r=8 adapter, candidate for the chat assistant',
    source: `mlflow-artifacts:/2/${RUNS[4].info.run_id}/artifacts/adapter`,
    run_id: RUNS[4].info.run_id,
    status: 'READY',
    tags: [],
    aliases: [] as string[],
  },
];

const latestPerStage = (name: string) => {
  const mine = VERSIONS.filter((v) => v.name === name);
  const stages = [...new Set(mine.map((v) => v.current_stage))];
  return stages.map((st) =>
    mine.filter((v) => v.current_stage === st).reduce((a, b) => (Number(b.version) > Number(a.version) ? b : a)),
  );
};

const MODELS = [
  {
    name: 'iris-classifier',
    creation_timestamp: T0 + 11 * H,
    last_updated_timestamp: T0 + 21 * H,
    description: 'Iris species classifier served by KServe (ml/sklearn-iris)',
    latest_versions: latestPerStage('iris-classifier').map(({ aliases: _a, tags: _t, ...v }) => v),
    tags: [{ key: 'task', value: 'classification' }],
    aliases: [{ alias: 'champion', version: '2' }],
  },
  {
    name: 'llama-3-8b-lora',
    creation_timestamp: T0 + 50 * H,
    last_updated_timestamp: T0 + 52 * H,
    description: 'Fine-tuned adapters from the llm-finetune experiment',
    latest_versions: latestPerStage('llama-3-8b-lora').map(({ aliases: _a, tags: _t, ...v }) => v),
    tags: [{ key: 'task', value: 'text-generation' }],
    aliases: [],
  },
];

/** A metric's logged values: ten steps that settle on the run's final value (losses fall, scores rise). */
function history(run: (typeof RUNS)[number], key: string) {
  const last = run.data.metrics.find((m) => m.key === key);
  if (!last) return [];
  const falls = /loss|error|rmse|mae/i.test(key);
  return Array.from({ length: 11 }, (_, step) => {
    const left = (10 - step) / 10;
    const wobble = 0.01 * Math.sin(step * 1.7 + key.length);
    const value = falls
      ? last.value * (1 + 1.4 * left * left + wobble)
      : last.value * (1 - 0.35 * left * left + wobble);
    return {
      key,
      value: step === 10 ? last.value : Math.round(value * 10_000) / 10_000,
      timestamp: run.info.start_time + Math.round(((last.timestamp - run.info.start_time) * step) / 10),
      step,
    };
  });
}

const error = (status: number, code: string, message: string): AppResponse => ({
  status,
  body: { error_code: code, message },
});

/** The request's fields: JSON body for POST, query string for GET (repeated keys become arrays). */
function fields(r: AppRequest): Record<string, unknown> {
  if (r.method === 'POST') return jsonBody(r) ?? {};
  const out: Record<string, unknown> = {};
  for (const k of new Set(r.query.keys())) {
    const all = r.query.getAll(k);
    out[k] = all.length > 1 ? all : all[0];
  }
  return out;
}

/** max_results and page_token (an offset) as MLflow pages. */
function page<T>(items: T[], f: Record<string, unknown>, def: number): { items: T[]; next?: string } | AppResponse {
  const max = f.max_results === undefined ? def : Number(f.max_results);
  if (!Number.isInteger(max) || max < 1 || max > 50_000)
    return error(
      400,
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${String(f.max_results)} for parameter 'max_results' supplied.`,
    );
  const start = f.page_token ? Number(Buffer.from(String(f.page_token), 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) return error(400, 'INVALID_PARAMETER_VALUE', 'Invalid page token');
  const slice = items.slice(start, start + max);
  return {
    items: slice,
    next: start + max < items.length ? Buffer.from(String(start + max)).toString('base64') : undefined,
  };
}

const viewOk = (stage: string, view: unknown) =>
  view === 'ALL' ? true : view === 'DELETED_ONLY' ? stage === 'deleted' : stage === 'active';

export const mlflowApp: SimApp = (r: AppRequest) => {
  const p = r.path.replace(/^\/ajax-api\//, '/api/');
  if (p === '/health') return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' };
  if (p === '/version') return { status: 200, contentType: 'text/plain; charset=utf-8', body: '2.17.2' };
  if (!p.startsWith('/api/2.0/mlflow/'))
    return {
      status: 404,
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><title>404 Not Found</title><h1>Not Found</h1>',
    };
  const route = p.slice('/api/2.0/mlflow/'.length);
  const f = fields(r);
  const allowed = (methods: string[]) => methods.includes(r.method);
  switch (route) {
    case 'experiments/search': {
      if (!allowed(['GET', 'POST'])) break;
      const nameFilter = /^name\s*(=|LIKE|ILIKE)\s*'(.*)'$/i.exec(String(f.filter ?? '').trim());
      const like = (v: string, pat: string, ci: boolean) =>
        new RegExp(
          `^${pat
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
            .replace(/%/g, '.*')
            .replace(/_/g, '.')}$`,
          ci ? 'i' : '',
        ).test(v);
      const items = EXPERIMENTS.filter((e) => viewOk(e.lifecycle_stage, f.view_type)).filter(
        (e) =>
          !nameFilter ||
          (nameFilter[1] === '='
            ? e.name === nameFilter[2]
            : like(e.name, nameFilter[2], nameFilter[1].toUpperCase() === 'ILIKE')),
      );
      const pg = page(items, f, 1000);
      if ('status' in pg) return pg;
      return { status: 200, body: { experiments: pg.items, ...(pg.next ? { next_page_token: pg.next } : {}) } };
    }
    case 'experiments/get': {
      if (!allowed(['GET'])) break;
      const e = EXPERIMENTS.find((x) => x.experiment_id === String(f.experiment_id ?? ''));
      return e
        ? { status: 200, body: { experiment: e } }
        : error(404, 'RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${String(f.experiment_id ?? '')} exists`);
    }
    case 'experiments/get-by-name': {
      if (!allowed(['GET'])) break;
      const e = EXPERIMENTS.find((x) => x.name === String(f.experiment_name ?? ''));
      return e
        ? { status: 200, body: { experiment: e } }
        : error(
            404,
            'RESOURCE_DOES_NOT_EXIST',
            `Could not find experiment with name '${String(f.experiment_name ?? '')}'`,
          );
    }
    case 'runs/search': {
      if (!allowed(['POST'])) break;
      const ids = f.experiment_ids;
      if (ids !== undefined && (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')))
        return error(
          400,
          'INVALID_PARAMETER_VALUE',
          "Invalid value for parameter 'experiment_ids' supplied: expected a list of strings",
        );
      const statusFilter = /^(?:attributes\.)?status\s*=\s*'(\w+)'$/.exec(String(f.filter ?? '').trim());
      const items = RUNS.filter((x) => !ids || (ids as string[]).includes(x.info.experiment_id))
        .filter((x) => !statusFilter || x.info.status === statusFilter[1])
        .sort((a, b) => b.info.start_time - a.info.start_time);
      const pg = page(items, f, 1000);
      if ('status' in pg) return pg;
      return { status: 200, body: { runs: pg.items, ...(pg.next ? { next_page_token: pg.next } : {}) } };
    }
    case 'runs/get': {
      if (!allowed(['GET'])) break;
      const id = String(f.run_id ?? f.run_uuid ?? '');
      const x = RUNS.find((y) => y.info.run_id === id);
      return x ? { status: 200, body: { run: x } } : error(404, 'RESOURCE_DOES_NOT_EXIST', `Run '${id}' not found`);
    }
    case 'registered-models/search': {
      if (!allowed(['GET'])) break;
      const pg = page(MODELS, f, 100);
      if ('status' in pg) return pg;
      return { status: 200, body: { registered_models: pg.items, ...(pg.next ? { next_page_token: pg.next } : {}) } };
    }
    case 'metrics/get-history': {
      if (!allowed(['GET'])) break;
      const id = String(f.run_id ?? f.run_uuid ?? '');
      const x = RUNS.find((y) => y.info.run_id === id);
      if (!x) return error(404, 'RESOURCE_DOES_NOT_EXIST', `Run '${id}' not found`);
      if (!f.metric_key)
        return error(400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'metric_key'.");
      const pg = page(history(x, String(f.metric_key)), f, 25_000);
      if ('status' in pg) return pg;
      return { status: 200, body: { metrics: pg.items, ...(pg.next ? { next_page_token: pg.next } : {}) } };
    }
    case 'model-versions/search': {
      if (!allowed(['GET'])) break;
      const cond = /^(name|run_id)\s*=\s*'((?:[^'\\]|\\.)*)'$/.exec(String(f.filter ?? '').trim());
      if (f.filter && !cond) return error(400, 'INVALID_PARAMETER_VALUE', `Invalid filter '${String(f.filter)}'`);
      const items = VERSIONS.filter((v) => !cond || v[cond[1] as 'name' | 'run_id'] === cond[2].replace(/\\'/g, "'"))
        .slice()
        .sort((a, b) => a.name.localeCompare(b.name) || Number(b.version) - Number(a.version));
      const pg = page(items, f, 200_000);
      if ('status' in pg) return pg;
      return { status: 200, body: { model_versions: pg.items, ...(pg.next ? { next_page_token: pg.next } : {}) } };
    }
    default:
      return error(404, 'ENDPOINT_NOT_FOUND', `No API endpoint for path /api/2.0/mlflow/${route}`);
  }
  return {
    status: 405,
    contentType: 'text/html; charset=utf-8',
    body: '<!doctype html><title>405 Method Not Allowed</title><h1>Method Not Allowed</h1>',
  };
};
