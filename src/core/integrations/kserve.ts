// KServe: InferenceServices read from the cluster, created from a model reference, and tried with one V1 or V2 REST
// request through the API server's service proxy.
import type { InferenceServiceDto } from '../../shared/routes/integrations';
import type { ResourceRow } from '../../shared/routes/resources';
import { toYaml } from '../kube/actions';
import type { InferenceService } from '../kube/objects';
import { contextOf, must, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError } from '../api/errors';
import { toRow } from '../api/rows';
import { callProxy } from '../api/serviceProxy';
import { apiServerRefusal } from './appProxy';
import type { Params } from './util';

export const ISVC = 'inferenceservices.serving.kserve.io' as const;

export function isvc(o: InferenceService): InferenceServiceDto {
  const conds = o.status?.conditions ?? [];
  const m = o.spec?.predictor?.model ?? {};
  const ready = conds.some((c) => c.type === 'Ready' && c.status === 'True');
  const failure = o.status?.modelStatus?.lastFailureInfo;
  const down = conds.find((c) => c.status === 'False' && (c.message || c.reason));
  const problem = ready ? undefined : failure?.message || down?.message || down?.reason;
  return {
    name: o.metadata.name,
    namespace: o.metadata.namespace ?? '',
    modelFormat: m.modelFormat?.name,
    runtime: m.runtime ?? o.status?.clusterServingRuntimeName ?? o.status?.servingRuntimeName,
    storageUri: m.storageUri,
    url: o.status?.url,
    ready,
    conditions: conds.map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: c.lastTransitionTime,
    })),
    modelState: o.status?.modelStatus?.states?.activeModelState || undefined,
    deploymentMode: o.status?.deploymentMode ?? o.metadata.annotations?.['serving.kserve.io/deploymentMode'],
    createdAt: o.metadata.creationTimestamp,
    address: o.status?.address?.url,
    protocolVersion: m.protocolVersion ?? o.spec?.predictor?.protocolVersion,
    ...(problem ? { problem } : {}),
  };
}

/** The InferenceServices of a namespace (or all); a 424 when KServe is not installed. */
export async function inferenceServices(deps: ApiDeps, context: string | undefined, namespace?: string) {
  return must(deps, context, ISVC, 'KServe', namespace);
}

/** An InferenceService's summary, its object and the rows of its pods. */
export async function inferenceDetails(
  deps: ApiDeps,
  p: Params<'inference.get'>,
  object: InferenceService,
): Promise<InferenceServiceDto & { object: InferenceService; pods: ResourceRow[] }> {
  const pods = (await objects(deps, p.context, 'pods', p.namespace)) ?? [];
  const pd = deps.kube.descriptor(contextOf(deps, p.context), 'pods');
  return {
    ...isvc(object),
    object,
    pods: pods
      .filter((x) => x.metadata.labels?.['serving.kserve.io/inferenceservice'] === p.name)
      .map((x) => toRow(pd, x)),
  };
}

/** The v1beta1 InferenceService serving one model, as KServe documents it (resources under the model). */
export function inferenceServiceObject(p: Params<'inference.create'>): InferenceService {
  const model: Record<string, unknown> = { modelFormat: { name: p.modelFormat }, storageUri: p.storageUri };
  if (p.runtime) model.runtime = p.runtime;
  if (p.protocolVersion) model.protocolVersion = p.protocolVersion;
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (p.cpu) requests.cpu = limits.cpu = p.cpu;
  if (p.memory) requests.memory = limits.memory = p.memory;
  // GPUs in limits and requests alike: extended resources must not be overcommitted.
  if (p.gpus) requests['nvidia.com/gpu'] = limits['nvidia.com/gpu'] = String(p.gpus);
  if (Object.keys(requests).length) model.resources = { requests, limits };
  const predictor: Record<string, unknown> = { model };
  if (p.minReplicas !== undefined) predictor.minReplicas = p.minReplicas;
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: p.name, namespace: p.namespace },
    spec: { predictor },
  } as InferenceService;
}

/** A v1beta1 InferenceService serving one model; previewed (server dry run) first, applied unless `dryRun`. */
export async function createInferenceService(deps: ApiDeps, p: Params<'inference.create'>) {
  await must(deps, p.context, ISVC, 'KServe');
  const a = deps.kube.actions(contextOf(deps, p.context));
  const exists = await a.get(ISVC, p.namespace, p.name).then(
    () => true,
    () => false,
  );
  if (exists)
    throw new ApiError(
      'alreadyExists',
      `InferenceService ${p.namespace}/${p.name} already exists; pick another name or delete it first`,
      409,
    );
  const y = toYaml(inferenceServiceObject(p));
  const preview = await a.previewApply(y, p.namespace);
  if (p.dryRun) return { applied: false, preview };
  return { applied: true, preview, object: await a.apply(y, p.namespace) };
}

const IRIS = [
  [6.8, 2.8, 4.8, 1.4],
  [6.0, 3.4, 4.5, 1.6],
];

/** The request body a predictor expects, from what the caller gave (rows, a full V1/V2 body, or nothing). */
export function inferenceBody(protocol: 'v1' | 'v2', input: unknown): Record<string, unknown> {
  const rows = input === undefined ? IRIS : input;
  if (protocol === 'v1') {
    if (rows && typeof rows === 'object' && !Array.isArray(rows)) {
      if (!('instances' in rows) && !('inputs' in rows))
        throw new ApiError('badRequest', 'a V1 request needs "instances" (or give the rows as an array)', 400);
      return rows as Record<string, unknown>;
    }
    if (!Array.isArray(rows))
      throw new ApiError('badRequest', 'input must be an array of instances or a {instances:[...]} object', 400);
    return { instances: rows };
  }
  if (rows && typeof rows === 'object' && !Array.isArray(rows)) {
    if (!Array.isArray((rows as { inputs?: unknown }).inputs))
      throw new ApiError('badRequest', 'a V2 request needs "inputs" (or give the rows as an array)', 400);
    return rows as Record<string, unknown>;
  }
  if (!Array.isArray(rows) || !rows.length)
    throw new ApiError('badRequest', 'input must be a non-empty array of rows or a {inputs:[...]} object', 400);
  const matrix = rows.every((r) => Array.isArray(r));
  const width = matrix ? (rows[0] as unknown[]).length : rows.length;
  if (matrix && !rows.every((r) => (r as unknown[]).length === width))
    throw new ApiError('badRequest', 'every input row must have the same length', 400);
  const flat = (matrix ? (rows as unknown[][]).flat() : rows) as unknown[];
  const datatype = flat.every((x) => typeof x === 'number')
    ? flat.every((x) => Number.isInteger(x))
      ? 'INT64'
      : 'FP32'
    : flat.every((x) => typeof x === 'boolean')
      ? 'BOOL'
      : 'BYTES';
  return {
    id: `kubegraf-${Date.now().toString(36)}`,
    inputs: [{ name: 'input-0', shape: matrix ? [rows.length, width] : [rows.length], datatype, data: rows }],
  };
}

/** One test request to a predictor through the API server's service proxy, timed. */
export async function inferenceTest(
  deps: ApiDeps,
  p: { context?: string; namespace: string; name: string; input?: unknown; protocol?: 'v1' | 'v2' },
) {
  const list = await must(deps, p.context, ISVC, 'KServe', p.namespace);
  const s = list.find((x) => x.metadata.name === p.name);
  if (!s) throw new ApiError('notFound', `no InferenceService ${p.namespace}/${p.name}`, 404);
  const declared = String(s.spec?.predictor?.model?.protocolVersion ?? s.spec?.predictor?.protocolVersion ?? '');
  if (/^grpc/.test(declared) && !p.protocol)
    throw new ApiError(
      'unsupported',
      `${p.name} serves the ${declared} protocol; only REST (v1, v2) test requests can be sent`,
      400,
    );
  const protocol = p.protocol ?? (declared === 'v2' ? 'v2' : 'v1');
  const svcName = `${p.name}-predictor`;
  const svc = ((await objects(deps, p.context, 'services', p.namespace)) ?? []).find(
    (x) => x.metadata.name === svcName,
  );
  if (!svc)
    throw new ApiError(
      'unavailable',
      `the predictor Service ${p.namespace}/${svcName} does not exist yet (is the InferenceService ready? ${isvc(s).ready ? 'it says Ready' : 'it is not Ready'})`,
      503,
    );
  const ports = (svc.spec?.ports ?? []) as Array<{ name?: string; port: number }>;
  const port =
    ports.find((x) => x.name === 'http' || x.name === 'http1') ?? ports.find((x) => x.port === 80) ?? ports[0];
  const path = protocol === 'v1' ? `/v1/models/${p.name}:predict` : `/v2/models/${p.name}/infer`;
  const body = JSON.stringify(inferenceBody(protocol, p.input));
  const started = Date.now();
  const r = await callProxy(
    deps,
    contextOf(deps, p.context),
    { namespace: p.namespace, name: svcName, port: port ? port.name || port.port : undefined },
    { method: 'POST', path, body, contentType: 'application/json', accept: 'application/json' },
    { what: `predictor ${p.namespace}/${svcName}`, timeoutMs: 60_000, maxBytes: 4 << 20 },
  );
  const latencyMs = Date.now() - started;
  if (r.fromApiServer) throw apiServerRefusal(r, `predictor ${p.namespace}/${svcName}`);
  const text = r.body.toString('utf8');
  let out: unknown = text;
  try {
    out = JSON.parse(text);
  } catch {
    // The model's text answer, as it came.
  }
  return { protocol, path, status: r.status, body: out, latencyMs };
}
