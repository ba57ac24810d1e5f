// Training jobs: TrainJob (Kubeflow Trainer v2), the training operator's kinds (PyTorchJob, TFJob, …) and plain
// batch/v1 Jobs labelled for training or asking for GPUs; listed with one status word, built from a short spec, and
// their pods' logs.
import type { MlJobKind, MlJobSummary } from '../../shared/routes/integrations';
import { toYaml } from '../kube/actions';
import type { KObject } from '../kube/descriptors';
import { contextOf, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError, notInstalled } from '../api/errors';

const TRAINJOB = 'trainjobs.trainer.kubeflow.org';
const PYTORCHJOB = 'pytorchjobs.kubeflow.org';
const JOB = 'jobs.batch';
/** The label KubeGraf puts on the batch Jobs it creates for training (app.kubernetes.io recommended labels). */
export const TRAINING_LABEL = { key: 'app.kubernetes.io/component', value: 'training' } as const;

export interface MlJobSpec {
  kind: MlJobKind;
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
  const tolerations = j.gpusPerNode ? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] : undefined;
  if (j.kind === 'Job') {
    const jobLabels = { ...labels, [TRAINING_LABEL.key]: TRAINING_LABEL.value };
    const container: Record<string, unknown> = { name: 'trainer', image: j.image };
    if (j.command) container.command = j.command;
    if (j.args) container.args = j.args;
    if (env) container.env = env;
    if (Object.keys(resources).length) container.resources = resources;
    const spec: Record<string, unknown> = {};
    if (nodes > 1) Object.assign(spec, { completions: nodes, parallelism: nodes, completionMode: 'Indexed' });
    if (j.backoffLimit !== undefined) spec.backoffLimit = j.backoffLimit;
    if (j.activeDeadlineSeconds) spec.activeDeadlineSeconds = j.activeDeadlineSeconds;
    if (j.ttlSecondsAfterFinished !== undefined) spec.ttlSecondsAfterFinished = j.ttlSecondsAfterFinished;
    spec.template = {
      metadata: { labels: jobLabels },
      spec: {
        restartPolicy: j.restartPolicy ?? 'Never',
        containers: [container],
        ...(tolerations ? { tolerations } : {}),
      },
    };
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: j.name, namespace: j.namespace, labels: jobLabels },
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

/** The Kubeflow kinds this cluster serves, by kind name (Job is always served). */
async function servedKubeflow(deps: ApiDeps, context: string | undefined) {
  const ctx = contextOf(deps, context);
  const serves = (kind: string) => {
    try {
      deps.kube.descriptor(ctx, kind);
      return true;
    } catch {
      return false;
    }
  };
  return { TrainJob: serves(TRAINJOB), PyTorchJob: serves(PYTORCHJOB) };
}

/** A training job from a short spec, as the chosen (or installed operator's) kind; previewed first, applied unless `dryRun`. */
export async function createMlJob(
  deps: ApiDeps,
  p: Omit<MlJobSpec, 'kind'> & { kind?: MlJobSpec['kind']; context?: string; dryRun?: boolean },
) {
  const served = await servedKubeflow(deps, p.context);
  const kind = p.kind ?? (served.TrainJob ? 'TrainJob' : served.PyTorchJob ? 'PyTorchJob' : undefined);
  if (!kind)
    throw notInstalled(
      'no Kubeflow training operator is installed (neither the TrainJob nor the PyTorchJob CRD exists); create a plain batch Job instead (kind Job)',
    );
  if (kind !== 'Job' && !served[kind])
    throw notInstalled(
      `${kind} is not served by this cluster (no ${kind === 'TrainJob' ? TRAINJOB : PYTORCHJOB} CRD); ${served.TrainJob || served.PyTorchJob ? `use kind ${served.TrainJob ? 'TrainJob' : 'PyTorchJob'} or Job` : 'install the Kubeflow training operator, or use kind Job'}`,
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
  if (kind === 'Job' && p.restartPolicy && p.restartPolicy !== 'Never' && p.restartPolicy !== 'OnFailure')
    throw new ApiError('badRequest', `a Job's pods restart "Never" or "OnFailure", not "${p.restartPolicy}"`, 400);
  const resource = kind === 'TrainJob' ? TRAINJOB : kind === 'PyTorchJob' ? PYTORCHJOB : JOB;
  const a = deps.kube.actions(contextOf(deps, p.context));
  const exists = await a.get(resource, p.namespace, p.name).then(
    () => true,
    () => false,
  );
  if (exists)
    throw new ApiError(
      'alreadyExists',
      `${kind} ${p.namespace}/${p.name} already exists; pick another name or delete it first`,
      409,
    );
  const y = toYaml(mlJobObject({ ...p, kind }));
  const preview = await a.previewApply(y, p.namespace);
  if (p.dryRun) return { kind, applied: false, preview };
  return { kind, applied: true, preview, object: await a.apply(y, p.namespace) };
}

type Listed = MlJobSummary['kind'];
const KINDS: Array<{ kind: Listed; resource: string }> = [
  { kind: 'TrainJob', resource: TRAINJOB },
  { kind: 'PyTorchJob', resource: PYTORCHJOB },
  { kind: 'TFJob', resource: 'tfjobs.kubeflow.org' },
  { kind: 'MPIJob', resource: 'mpijobs.kubeflow.org' },
  { kind: 'XGBoostJob', resource: 'xgboostjobs.kubeflow.org' },
  { kind: 'JAXJob', resource: 'jaxjobs.kubeflow.org' },
  { kind: 'Job', resource: JOB },
];

/** The pods of a training job: operator v1, Trainer/JobSet and batch Job labels (by kind when it is known). */
export const jobPodsOf = (pods: KObject[], name: string, kind?: Listed) =>
  pods.filter((x) => {
    const l = x.metadata.labels ?? {};
    if (kind === 'Job') return (l['batch.kubernetes.io/job-name'] ?? l['job-name']) === name;
    if (kind === 'TrainJob') return l['jobset.sigs.k8s.io/jobset-name'] === name;
    if (kind) return l['training.kubeflow.org/job-name'] === name;
    return l['training.kubeflow.org/job-name'] === name || l['jobset.sigs.k8s.io/jobset-name'] === name;
  });

type Container = { image?: string; resources?: { limits?: Record<string, unknown> } };
type PodSpec = { containers?: Container[] };
const gpusOf = (spec: PodSpec | undefined) =>
  (spec?.containers ?? []).reduce((n, c) => n + (Number(c.resources?.limits?.['nvidia.com/gpu'] ?? 0) || 0), 0);

/**
 * A batch Job that belongs on the Training Jobs page: standalone (not a CronJob's run or a TrainJob's JobSet child)
 * and labelled for training (by KubeGraf or Kueue) or asking for GPUs.
 */
export function isTrainingJob(o: KObject): boolean {
  if (o.metadata.ownerReferences?.some((r) => r.controller)) return false;
  const l = o.metadata.labels ?? {};
  if (l[TRAINING_LABEL.key] === TRAINING_LABEL.value || l['kueue.x-k8s.io/queue-name']) return true;
  const spec = o.spec as { template?: { spec?: PodSpec } } | undefined;
  return gpusOf(spec?.template?.spec) > 0;
}

/** Jobs of every training kind the cluster serves, with their resource id. */
export async function mlJobs(
  deps: ApiDeps,
  context: string | undefined,
  namespace?: string,
): Promise<Array<{ kind: Listed; resource: string; o: KObject }>> {
  const out: Array<{ kind: Listed; resource: string; o: KObject }> = [];
  for (const k of KINDS) {
    const objs = await objects(deps, context, k.resource, namespace);
    if (!objs) continue;
    for (const o of objs) if (k.kind !== 'Job' || isTrainingJob(o)) out.push({ kind: k.kind, resource: k.resource, o });
  }
  return out;
}

/** One job by name (and kind, when given); a 404 when there is none. */
export async function mlJob(
  deps: ApiDeps,
  context: string | undefined,
  namespace: string,
  name: string,
  kind?: Listed,
) {
  const hit = (await mlJobs(deps, context, namespace)).find(
    (j) => j.o.metadata.name === name && (!kind || j.kind === kind),
  );
  if (!hit) throw new ApiError('notFound', `no ${kind ?? 'training job'} "${name}" in namespace ${namespace}`, 404);
  return hit;
}

type Cond = { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string };
const isTrue = (cs: Cond[], type: string) => cs.find((c) => c.type === type && c.status === 'True');

/** One row of the Training Jobs page: status word, times, image, size and pod counts of any training kind. */
export function mlJobSummary(kind: Listed, o: KObject): MlJobSummary {
  const st = (o.status ?? {}) as Record<string, unknown>;
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  const conds = ((st.conditions as Cond[] | undefined) ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
    ...(c.lastTransitionTime ? { lastTransitionTime: c.lastTransitionTime } : {}),
  }));
  const pods = { active: 0, succeeded: 0, failed: 0 };
  let image: string | undefined;
  let nodes: number;
  let gpus = 0;
  let status: MlJobSummary['status'];
  let ended: Cond | undefined;
  if (kind === 'Job') {
    pods.active = Number(st.active ?? 0);
    pods.succeeded = Number(st.succeeded ?? 0);
    pods.failed = Number(st.failed ?? 0);
    const tpl = (spec.template as { spec?: PodSpec } | undefined)?.spec;
    image = tpl?.containers?.[0]?.image;
    nodes = Number(spec.parallelism ?? 1);
    gpus = gpusOf(tpl) * nodes;
    ended = isTrue(conds, 'Failed') ?? isTrue(conds, 'Complete');
    status = isTrue(conds, 'Failed')
      ? 'Failed'
      : isTrue(conds, 'Complete')
        ? 'Succeeded'
        : isTrue(conds, 'Suspended')
          ? 'Suspended'
          : pods.active > 0 && Number(st.ready ?? pods.active) > 0
            ? 'Running'
            : 'Pending';
  } else if (kind === 'TrainJob') {
    const trainer = (spec.trainer ?? {}) as {
      image?: string;
      numNodes?: number;
      resourcesPerNode?: Container['resources'];
    };
    image = trainer.image;
    nodes = trainer.numNodes ?? 1;
    gpus = (Number(trainer.resourcesPerNode?.limits?.['nvidia.com/gpu'] ?? 0) || 0) * nodes;
    for (const j of (st.jobsStatus as Array<Record<string, number>> | undefined) ?? []) {
      pods.active += j.active ?? 0;
      pods.succeeded += j.succeeded ?? 0;
      pods.failed += j.failed ?? 0;
    }
    ended = isTrue(conds, 'Failed') ?? isTrue(conds, 'Complete');
    status = isTrue(conds, 'Failed')
      ? 'Failed'
      : isTrue(conds, 'Complete')
        ? 'Succeeded'
        : isTrue(conds, 'Suspended') || spec.suspend
          ? 'Suspended'
          : pods.active > 0
            ? 'Running'
            : 'Pending';
  } else {
    const replicaKey = Object.keys(spec).find((k) => /ReplicaSpecs$/.test(k));
    const specs = (replicaKey ? spec[replicaKey] : {}) as Record<
      string,
      { replicas?: number; template?: { spec?: PodSpec } }
    >;
    nodes = 0;
    for (const r of Object.values(specs)) {
      const n = r.replicas ?? 1;
      nodes += n;
      gpus += gpusOf(r.template?.spec) * n;
      image ??= r.template?.spec?.containers?.[0]?.image;
    }
    for (const r of Object.values((st.replicaStatuses as Record<string, Record<string, number>>) ?? {})) {
      pods.active += r.active ?? 0;
      pods.succeeded += r.succeeded ?? 0;
      pods.failed += r.failed ?? 0;
    }
    ended = isTrue(conds, 'Failed') ?? isTrue(conds, 'Succeeded');
    status = isTrue(conds, 'Failed')
      ? 'Failed'
      : isTrue(conds, 'Succeeded')
        ? 'Succeeded'
        : isTrue(conds, 'Suspended')
          ? 'Suspended'
          : isTrue(conds, 'Restarting')
            ? 'Restarting'
            : isTrue(conds, 'Running')
              ? 'Running'
              : 'Pending';
  }
  const newest = [...conds].reverse().find((c) => c.status === 'True' && c.message);
  const completionTime = (st.completionTime as string | undefined) ?? ended?.lastTransitionTime;
  return {
    kind,
    name: o.metadata.name,
    namespace: o.metadata.namespace ?? '',
    createdAt: o.metadata.creationTimestamp,
    status,
    ...(newest?.message ? { message: newest.message } : {}),
    startTime: (st.startTime as string | undefined) ?? o.metadata.creationTimestamp,
    ...(ended && completionTime ? { completionTime } : {}),
    ...(image ? { image } : {}),
    nodes,
    gpus,
    pods,
    conditions: conds,
  };
}

/** Every training job, newest first, and the kinds a new one can be created as here. */
export async function listMlJobs(
  deps: ApiDeps,
  context: string | undefined,
  namespace?: string,
): Promise<{ jobs: MlJobSummary[]; kinds: MlJobKind[] }> {
  const served = await servedKubeflow(deps, context);
  const jobs = (await mlJobs(deps, context, namespace))
    .map(({ kind, o }) => mlJobSummary(kind, o))
    .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.name.localeCompare(b.name));
  const kinds: MlJobKind[] = [
    ...(served.TrainJob ? (['TrainJob'] as const) : []),
    ...(served.PyTorchJob ? (['PyTorchJob'] as const) : []),
    'Job',
  ];
  return { jobs, kinds };
}

/** The last 500 log lines of each pod of a job. */
export async function mlJobLogs(
  deps: ApiDeps,
  context: string | undefined,
  namespace: string,
  name: string,
  kind?: Listed,
) {
  const j = await mlJob(deps, context, namespace, name, kind);
  const pods = jobPodsOf((await objects(deps, context, 'pods', namespace)) ?? [], name, j.kind);
  const a = deps.kube.actions(contextOf(deps, context));
  const out: Array<{ pod: string; logs: string }> = [];
  for (const pod of pods)
    out.push({
      pod: pod.metadata.name,
      logs: await a.logs({ kind: 'pods', namespace, name: pod.metadata.name }, { tailLines: 500 }).then(
        (ls) => ls.map((l) => l.text).join('\n'),
        // A pod still being scheduled or pulling its image has no log yet.
        () => '',
      ),
    });
  return out;
}
