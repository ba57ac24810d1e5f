// Kubeflow training operators, as far as a client can see them (integrations guide §4):
// - PyTorchJob (training-operator v1): one pod per replica, named <job>-<replicatype>-<index>, with the operator's
//   labels and rendezvous env; Created → Running → Succeeded (the master's pod succeeded) or Failed (a pod failed, or
//   restarts passed runPolicy.backoffLimit), with the operator's reasons and messages; cleanPodPolicy on the end.
// - TrainJob (Trainer v2): the runtime's JobSet is one batch/v1 Job <trainjob>-node-0 running numNodes pods labelled
//   with the JobSet name; jobsStatus follows that Job and Complete/Failed mirror its end.
// Training pods run for TRAINING_SECONDS unless their template says otherwise (DURATION_ANNOTATION), long enough to
// watch them log their epochs.
import type { KObj } from '../store';
import { nowIso } from '../store';
import { DURATION_ANNOTATION } from './faults';
import type { Condition, Runtime } from './runtime';
import {
  createPod,
  findCondition,
  isActive,
  owned,
  ownedPods,
  ownerRef,
  podFromTemplate,
  setCondition,
  stableJson,
} from './runtime';

const PYTORCHJOBS = 'kubeflow.org/pytorchjobs';
const TRAINJOBS = 'trainer.kubeflow.org/trainjobs';
/** Simulated seconds a training pod runs before it completes. */
export const TRAINING_SECONDS = 30;
const MASTER_PORT = 23456;
/** Replica types in the order the operator reconciles them; the master is rank 0. */
const ORDER = ['Master', 'Worker'];

const withDuration = (template: KObj['spec']) => {
  const t = structuredClone(template ?? {});
  t.metadata = { ...(t.metadata ?? {}) };
  t.metadata.annotations = { [DURATION_ANNOTATION]: String(TRAINING_SECONDS), ...(t.metadata.annotations ?? {}) };
  return t;
};

export function installKubeflow(r: Runtime): void {
  r.on(PYTORCHJOBS, (e) => e.type !== 'DELETED' && r.enqueue('pytorchjob', e.object.metadata.uid!));
  r.on(TRAINJOBS, (e) => e.type !== 'DELETED' && r.enqueue('trainjob', e.object.metadata.uid!));
  r.on('pods', (e) => {
    const ref = e.object.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'PyTorchJob');
    if (ref) r.enqueue('pytorchjob', ref.uid);
  });
  r.on('batch/jobs', (e) => {
    const ref = e.object.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'TrainJob');
    if (ref) r.enqueue('trainjob', ref.uid);
  });

  r.handle('pytorchjob', (uid) => {
    const job = r.ctx.store.getByUid(uid)?.object;
    if (!job || job.kind !== 'PyTorchJob' || job.metadata.deletionTimestamp) return;
    const { name, namespace } = job.metadata;
    const kfCond = (conds: Condition[], type: string, status: string, reason: string, message: string) =>
      setCondition(conds, { type, status, reason, message }, ['lastUpdateTime']);
    let conds: Condition[] = job.status?.conditions ?? [];
    const pods = ownedPods(r, job);
    const ended = ['Succeeded', 'Failed'].some((t) => findCondition(conds, t)?.status === 'True');
    if (ended) {
      const policy = job.spec?.runPolicy?.cleanPodPolicy ?? 'None';
      for (const p of pods)
        if (policy === 'All' || (policy === 'Running' && isActive(p)))
          r.remove('pods', p.metadata.namespace, p.metadata.name);
      return;
    }
    const specs: Record<string, KObj['spec']> = job.spec?.pytorchReplicaSpecs ?? {};
    const types = Object.keys(specs).sort((a, b) => (ORDER.indexOf(a) + 1 || 9) - (ORDER.indexOf(b) + 1 || 9));
    const world = types.reduce((n, t) => n + (specs[t].replicas ?? 1), 0);
    const master = `${name}-${(types[0] ?? 'master').toLowerCase()}-0`;
    if (!findCondition(conds, 'Created'))
      conds = kfCond(conds, 'Created', 'True', 'PyTorchJobCreated', `PyTorchJob ${name} is created.`);
    const replicaStatuses: Record<string, Record<string, number>> = {};
    let rank = 0;
    let failedType: { type: string; n: number } | undefined;
    let restarts = 0;
    for (const type of types) {
      const spec = specs[type];
      const lower = type.toLowerCase();
      const mine = pods.filter((p) => p.metadata.labels?.['training.kubeflow.org/replica-type'] === lower);
      const counts = { active: 0, succeeded: 0, failed: 0 };
      for (let i = 0; i < (spec.replicas ?? 1); i++, rank++) {
        let pod = mine.find((p) => p.metadata.labels?.['training.kubeflow.org/replica-index'] === String(i));
        if (!pod) {
          const template = withDuration(spec.template);
          const restartPolicy = spec.restartPolicy === 'ExitCode' ? 'Never' : (spec.restartPolicy ?? 'OnFailure');
          template.spec = { ...(template.spec ?? {}), restartPolicy };
          const env = [
            { name: 'MASTER_PORT', value: String(MASTER_PORT) },
            { name: 'MASTER_ADDR', value: master },
            { name: 'WORLD_SIZE', value: String(world) },
            { name: 'RANK', value: String(rank) },
            { name: 'PYTHONUNBUFFERED', value: '1' },
          ];
          template.spec.containers = (template.spec.containers ?? []).map((c: KObj['spec']) =>
            c.name === 'pytorch'
              ? {
                  ...c,
                  env: [...(c.env ?? []), ...env],
                  ports: c.ports ?? [{ name: 'pytorchjob-port', containerPort: MASTER_PORT, protocol: 'TCP' }],
                }
              : c,
          );
          pod =
            createPod(
              r,
              job,
              'pytorchjob-controller',
              podFromTemplate(job, template, {
                name: `${name}-${lower}-${i}`,
                labels: {
                  'training.kubeflow.org/job-name': name,
                  'training.kubeflow.org/operator-name': 'pytorchjob-controller',
                  'training.kubeflow.org/replica-type': lower,
                  'training.kubeflow.org/replica-index': String(i),
                  ...(rank === 0 ? { 'training.kubeflow.org/job-role': 'master' } : {}),
                },
              }),
            ) ?? undefined;
          if (pod)
            r.event(job, 'Normal', 'SuccessfulCreatePod', `Created pod: ${pod.metadata.name}`, 'pytorchjob-controller');
        }
        if (!pod) continue;
        const phase = pod.status?.phase;
        if (phase === 'Succeeded') counts.succeeded++;
        else if (phase === 'Failed') counts.failed++;
        else counts.active++;
        restarts += (pod.status?.containerStatuses ?? []).reduce((n: number, c: KObj) => n + (c.restartCount ?? 0), 0);
      }
      replicaStatuses[type] = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
      if (counts.failed && !failedType) failedType = { type, n: counts.failed };
    }
    const backoffLimit = job.spec?.runPolicy?.backoffLimit;
    const first = types[0];
    const done =
      first !== undefined &&
      (first === 'Master'
        ? (replicaStatuses.Master.succeeded ?? 0) >= (specs.Master.replicas ?? 1)
        : types.every((t) => (replicaStatuses[t].succeeded ?? 0) >= (specs[t].replicas ?? 1)));
    const running = pods.some((p) => p.status?.phase === 'Running');
    let completionTime: string | undefined;
    const runningMsg = `PyTorchJob ${name} is running.`;
    if (failedType || (backoffLimit !== undefined && restarts > backoffLimit)) {
      const message = failedType
        ? `PyTorchJob ${namespace}/${name} has failed because ${failedType.n} ${failedType.type} replica(s) failed.`
        : `PyTorchJob ${namespace}/${name} has failed because it has reached the specified backoff limit`;
      if (findCondition(conds, 'Running')) conds = kfCond(conds, 'Running', 'False', 'PyTorchJobRunning', runningMsg);
      conds = kfCond(conds, 'Failed', 'True', failedType ? 'PyTorchJobFailed' : 'BackoffLimitExceeded', message);
      completionTime = nowIso();
      r.event(job, 'Normal', 'PyTorchJobFailed', message, 'pytorchjob-controller');
    } else if (done) {
      const message = `PyTorchJob ${namespace}/${name} successfully completed.`;
      conds = kfCond(conds, 'Running', 'False', 'PyTorchJobRunning', runningMsg);
      conds = kfCond(conds, 'Succeeded', 'True', 'PyTorchJobSucceeded', message);
      completionTime = nowIso();
      r.event(job, 'Normal', 'PyTorchJobSucceeded', message, 'pytorchjob-controller');
    } else if (running) {
      conds = kfCond(conds, 'Running', 'True', 'PyTorchJobRunning', runningMsg);
    }
    const status = {
      conditions: conds,
      replicaStatuses,
      startTime: job.status?.startTime ?? nowIso(),
      ...(completionTime ? { completionTime } : {}),
    };
    if (stableJson(status) !== stableJson(job.status)) r.setStatus(PYTORCHJOBS, job, status);
  });

  r.handle('trainjob', (uid) => {
    const tj = r.ctx.store.getByUid(uid)?.object;
    if (!tj || tj.kind !== 'TrainJob' || tj.metadata.deletionTimestamp) return;
    const { name } = tj.metadata;
    let conds: Condition[] = tj.status?.conditions ?? [];
    if (['Complete', 'Failed'].some((t) => findCondition(conds, t)?.status === 'True')) return;
    const trainer = tj.spec?.trainer ?? {};
    const nodes = trainer.numNodes ?? 1;
    const jobName = `${name}-node-0`;
    let job = owned(r, tj, 'batch/jobs').find((j) => j.metadata.name === jobName);
    const labels = {
      'jobset.sigs.k8s.io/jobset-name': name,
      'jobset.sigs.k8s.io/replicatedjob-name': 'node',
      'jobset.sigs.k8s.io/job-index': '0',
      'trainer.kubeflow.org/trainjob-ancestor-step': 'trainer',
    };
    if (!job && !tj.spec?.suspend) {
      const container: Record<string, unknown> = {
        name: 'node',
        image: trainer.image ?? 'pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime',
        env: [
          ...(trainer.env ?? []),
          { name: 'PET_NNODES', value: String(nodes) },
          { name: 'PET_NPROC_PER_NODE', value: String(trainer.numProcPerNode ?? 'auto') },
          { name: 'PET_MASTER_ADDR', value: `${name}-node-0-0.${name}` },
          { name: 'PET_MASTER_PORT', value: '29400' },
        ],
        ports: [{ containerPort: 29400 }],
        ...(trainer.command ? { command: trainer.command } : {}),
        ...(trainer.args ? { args: trainer.args } : {}),
        ...(trainer.resourcesPerNode ? { resources: trainer.resourcesPerNode } : {}),
      };
      const gpus = !!trainer.resourcesPerNode?.limits?.['nvidia.com/gpu'];
      job = r.create('batch/jobs', {
        metadata: {
          name: jobName,
          namespace: tj.metadata.namespace,
          labels,
          ownerReferences: [ownerRef(tj)],
        },
        spec: {
          parallelism: nodes,
          completions: nodes,
          completionMode: 'Indexed',
          backoffLimit: 0,
          ...(tj.spec?.activeDeadlineSeconds ? { activeDeadlineSeconds: tj.spec.activeDeadlineSeconds } : {}),
          template: withDuration({
            metadata: { labels },
            spec: {
              restartPolicy: 'Never',
              containers: [container],
              ...(gpus ? { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] } : {}),
            },
          }),
        },
      });
      r.event(tj, 'Normal', 'SuccessfulCreateJobSet', `Created JobSet: ${name}`, 'trainjob-controller');
    }
    const js = job?.status ?? {};
    const jobCond = (t: string) => findCondition(job?.status?.conditions, t);
    if (jobCond('Complete')?.status === 'True')
      conds = setCondition(conds, {
        type: 'Complete',
        status: 'True',
        reason: 'JobsCompleted',
        message: 'jobset completed successfully',
      });
    else if (jobCond('Failed')?.status === 'True')
      conds = setCondition(conds, {
        type: 'Failed',
        status: 'True',
        reason: jobCond('Failed')?.reason === 'DeadlineExceeded' ? 'DeadlineExceeded' : 'FailedJobs',
        message: `jobset failed: job ${jobName} failed: ${jobCond('Failed')?.message ?? ''}`.trim(),
      });
    const status = {
      ...(conds.length ? { conditions: conds } : {}),
      jobsStatus: [
        {
          name: 'node',
          ready: js.ready ?? 0,
          succeeded: js.succeeded ?? 0,
          failed: js.failed ?? 0,
          active: js.active ?? 0,
          suspended: tj.spec?.suspend ? 1 : 0,
        },
      ],
    };
    if (stableJson(status) !== stableJson(tj.status)) r.setStatus(TRAINJOBS, tj, status);
  });
}

/** Queues what the scenario loaded. */
export function kubeflowFirstPass(r: Runtime): void {
  for (const [tk, q] of [
    [PYTORCHJOBS, 'pytorchjob'],
    [TRAINJOBS, 'trainjob'],
  ])
    for (const o of r.ctx.store.iterate(tk)) r.enqueue(q, o.metadata.uid!);
}
