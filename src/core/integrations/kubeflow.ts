// Kubeflow training jobs: TrainJob (Trainer v2) and the training operator's kinds (PyTorchJob, TFJob, …) listed, built
// from a short spec, and their pods' logs.
import { toYaml } from '../kube/actions';
import type { KObject } from '../kube/descriptors';
import { contextOf, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError, notInstalled } from '../api/errors';

const TRAINJOB = 'trainjobs.trainer.kubeflow.org';
const PYTORCHJOB = 'pytorchjobs.kubeflow.org';

export interface MlJobSpec {
  kind: 'TrainJob' | 'PyTorchJob';
  name: string;
  namespace: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  nodes?: number;
  gpusPerNode?: number;
  cpu?: string;
  memory?: string;
  runtime?: string;
  restartPolicy?: 'OnFailure' | 'Never' | 'Always' | 'ExitCode';
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
  queue?: string;
}

/** The Kubeflow object for a job, as the training operator (v1) or Trainer (v2) documents it. */
export function mlJobObject(j: MlJobSpec): KObject {
  const labels: Record<string, string> = { 'app.kubernetes.io/managed-by': 'kubegraf' };
  if (j.queue) labels['kueue.x-k8s.io/queue-name'] = j.queue;
  const env = j.env ? Object.entries(j.env).map(([name, value]) => ({ name, value })) : undefined;
  const resources: { requests?: Record<string, string>; limits?: Record<string, string> } = {};
  const req: Record<string, string> = {};
  if (j.cpu) req.cpu = j.cpu;
  if (j.memory) req.memory = j.memory;
  if (j.gpusPerNode) req['nvidia.com/gpu'] = String(j.gpusPerNode);
  if (Object.keys(req).length) resources.requests = req;
  // GPUs go in limits (requests alone are invalid for extended resources); memory gets a limit equal to the request.
  const lim: Record<string, string> = {};
  if (j.gpusPerNode) lim['nvidia.com/gpu'] = String(j.gpusPerNode);
  if (j.memory) lim.memory = j.memory;
  if (Object.keys(lim).length) resources.limits = lim;
  const nodes = j.nodes ?? 1;
  if (j.kind === 'TrainJob') {
    const trainer: Record<string, unknown> = { image: j.image, numNodes: nodes };
    if (j.command) trainer.command = j.command;
    if (j.args) trainer.args = j.args;
    if (env) trainer.env = env;
    if (Object.keys(resources).length) trainer.resourcesPerNode = resources;
    const spec: Record<string, unknown> = {
      runtimeRef: {
        name: j.runtime ?? 'torch-distributed',
        apiGroup: 'trainer.kubeflow.org',
        kind: 'ClusterTrainingRuntime',
      },
      trainer,
    };
    if (j.activeDeadlineSeconds) spec.activeDeadlineSeconds = j.activeDeadlineSeconds;
    return {
      apiVersion: 'trainer.kubeflow.org/v1alpha1',
      kind: 'TrainJob',
      metadata: { name: j.name, namespace: j.namespace, labels },
      spec,
    };
  }
  const container: Record<string, unknown> = {
    name: 'pytorch',
    image: j.image,
    ports: [{ name: 'pytorchjob-port', containerPort: 23456 }],
  };
  if (j.command) container.command = j.command;
  if (j.args) container.args = j.args;
  if (env) container.env = env;
  if (Object.keys(resources).length) container.resources = resources;
  const tolerations = j.gpusPerNode ? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] : undefined;
  const replica = (replicas: number) => ({
    replicas,
    restartPolicy: j.restartPolicy ?? 'OnFailure',
    template: { metadata: { labels }, spec: { containers: [container], ...(tolerations ? { tolerations } : {}) } },
  });
  const runPolicy: Record<string, unknown> = { cleanPodPolicy: 'None' };
  if (j.backoffLimit !== undefined) runPolicy.backoffLimit = j.backoffLimit;
  if (j.activeDeadlineSeconds) runPolicy.activeDeadlineSeconds = j.activeDeadlineSeconds;
  if (j.ttlSecondsAfterFinished !== undefined) runPolicy.ttlSecondsAfterFinished = j.ttlSecondsAfterFinished;
  const specs: Record<string, unknown> = { Master: replica(1) };
  if (nodes > 1) specs.Worker = replica(nodes - 1);
  return {
    apiVersion: 'kubeflow.org/v1',
    kind: 'PyTorchJob',
    metadata: { name: j.name, namespace: j.namespace, labels },
    spec: { runPolicy, pytorchReplicaSpecs: specs },
  };
}

/** A training job from a short spec, as the installed operator's kind; previewed first, applied unless `dryRun`. */
export async function createMlJob(
  deps: ApiDeps,
  p: Omit<MlJobSpec, 'kind'> & { kind?: MlJobSpec['kind']; context?: string; dryRun?: boolean },
) {
  const served = {
    TrainJob: await objects(deps, p.context, TRAINJOB, p.namespace),
    PyTorchJob: await objects(deps, p.context, PYTORCHJOB, p.namespace),
  };
  const kind = p.kind ?? (served.TrainJob ? 'TrainJob' : served.PyTorchJob ? 'PyTorchJob' : undefined);
  if (!kind)
    throw notInstalled(
      'no Kubeflow training operator is installed (neither the TrainJob nor the PyTorchJob CRD exists)',
    );
  const existing = served[kind];
  if (!existing)
    throw notInstalled(
      `${kind} is not served by this cluster (no ${kind === 'TrainJob' ? TRAINJOB : PYTORCHJOB} CRD); ${served.TrainJob || served.PyTorchJob ? `use kind ${served.TrainJob ? 'TrainJob' : 'PyTorchJob'}` : 'install the Kubeflow training operator'}`,
    );
  if (
    kind === 'TrainJob' &&
    (p.restartPolicy || p.backoffLimit !== undefined || p.ttlSecondsAfterFinished !== undefined)
  )
    throw new ApiError(
      'badRequest',
      'restartPolicy, backoffLimit and ttlSecondsAfterFinished belong to the training runtime for a TrainJob; set them there or use kind PyTorchJob',
      400,
    );
  const a = deps.kube.actions(contextOf(deps, p.context));
  if (
    existing.some((o) => o.metadata.name === p.name) ||
    (await a.get(kind === 'TrainJob' ? TRAINJOB : PYTORCHJOB, p.namespace, p.name).then(
      () => true,
      () => false,
    ))
  ) {
    throw new ApiError(
      'alreadyExists',
      `${kind} ${p.namespace}/${p.name} already exists; pick another name or delete it first`,
      409,
    );
  }
  const y = toYaml(mlJobObject({ ...p, kind }));
  const preview = await a.previewApply(y, p.namespace);
  if (p.dryRun) return { kind, applied: false, preview };
  return { kind, applied: true, preview, object: await a.apply(y, p.namespace) };
}

/** The pods of a training job (operator v1 and Trainer/JobSet labels). */
export const jobPodsOf = (pods: KObject[], name: string) =>
  pods.filter(
    (x) =>
      x.metadata.labels?.['training.kubeflow.org/job-name'] === name ||
      x.metadata.labels?.['jobset.sigs.k8s.io/jobset-name'] === name,
  );

const ML_KINDS = [
  'trainjobs.trainer.kubeflow.org',
  'pytorchjobs.kubeflow.org',
  'tfjobs.kubeflow.org',
  'mpijobs.kubeflow.org',
  'xgboostjobs.kubeflow.org',
  'jaxjobs.kubeflow.org',
];

/** Jobs of every Kubeflow kind the cluster serves; a 424 when it serves none. */
export async function mlJobs(
  deps: ApiDeps,
  context: string | undefined,
  namespace?: string,
): Promise<Array<{ kind: string; o: KObject }>> {
  const out: Array<{ kind: string; o: KObject }> = [];
  let any = false;
  for (const k of ML_KINDS) {
    const objs = await objects(deps, context, k, namespace);
    if (!objs) continue;
    any = true;
    out.push(...objs.map((o) => ({ kind: k, o })));
  }
  if (!any)
    throw notInstalled('no Kubeflow training operator is installed (none of the TrainJob/PyTorchJob/TFJob CRDs exist)');
  return out;
}

/** One job by name, of whichever kind; a 404 when there is none. */
export async function mlJob(deps: ApiDeps, context: string | undefined, namespace: string, name: string) {
  const hit = (await mlJobs(deps, context, namespace)).find((j) => j.o.metadata.name === name);
  if (!hit) throw new ApiError('notFound', `no ML job "${name}" in namespace ${namespace}`, 404);
  return hit;
}

/** Every job as kind, name, namespace, creation time and conditions. */
export async function listMlJobs(deps: ApiDeps, context: string | undefined, namespace?: string) {
  return (await mlJobs(deps, context, namespace)).map(({ kind, o }) => ({
    kind,
    name: o.metadata.name,
    namespace: o.metadata.namespace,
    createdAt: o.metadata.creationTimestamp,
    conditions: o.status?.conditions ?? [],
  }));
}

/** The last 500 log lines of each pod of a job. */
export async function mlJobLogs(deps: ApiDeps, context: string | undefined, namespace: string, name: string) {
  await mlJob(deps, context, namespace, name);
  const pods = jobPodsOf((await objects(deps, context, 'pods', namespace)) ?? [], name);
  const a = deps.kube.actions(contextOf(deps, context));
  const out: Array<{ pod: string; logs: string }> = [];
  for (const pod of pods)
    out.push({
      pod: pod.metadata.name,
      logs: (await a.logs({ kind: 'pods', namespace, name: pod.metadata.name }, { tailLines: 500 }))
        .map((l) => l.text)
        .join('\n'),
    });
  return out;
}
