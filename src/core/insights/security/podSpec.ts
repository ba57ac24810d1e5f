// The pod spec fields the security checks read, and the workloads they read them from: each controller once
// (Deployment, StatefulSet, DaemonSet, Job, CronJob, a ReplicaSet or pod of its own), never each replica.
import type { KObject } from '../../kube/descriptors';

export interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  procMount?: string;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type?: string };
  appArmorProfile?: { type?: string };
  seLinuxOptions?: { type?: string; user?: string; role?: string };
  windowsOptions?: { hostProcess?: boolean };
}

export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  securityContext?: SecurityContext;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  ports?: Array<{ containerPort?: number; hostPort?: number }>;
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: SecurityContext & {
    sysctls?: Array<{ name: string; value?: string }>;
  };
  volumes?: Array<{ name: string; hostPath?: { path: string }; [k: string]: unknown }>;
}

export interface Workload {
  kind: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: PodSpec;
  /** KubeGraf can patch its template (a bare pod's or Job's spec is immutable; a CRD's owner is not ours). */
  patchable: boolean;
  /** A Job or CronJob: runs to completion, so probes are not expected. */
  batch: boolean;
}

type Template = {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: PodSpec;
};

/** The pod template of a workload object, and where it sits (for fixes). */
export function templateOf(o: KObject): Template | undefined {
  const spec = (o.spec ?? {}) as { template?: Template; jobTemplate?: { spec?: { template?: Template } } };
  if (o.kind === 'Pod') return { metadata: o.metadata, spec: o.spec as PodSpec };
  if (o.kind === 'CronJob') return spec.jobTemplate?.spec?.template;
  return spec.template;
}

const CONTROLLED = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']);

export interface WorkloadSources {
  pods: KObject[];
  deployments: KObject[];
  statefulSets: KObject[];
  daemonSets: KObject[];
  jobs: KObject[];
  cronJobs: KObject[];
  replicaSets: KObject[];
}

/** Each workload once: controllers by their template; pods only when no controller we read owns them. */
export function collectWorkloads(s: WorkloadSources): Workload[] {
  const out: Workload[] = [];
  const add = (o: KObject, kind: string, patchable: boolean, batch: boolean) => {
    const t = templateOf(o);
    if (!t?.spec) return;
    out.push({
      kind,
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name,
      labels: t.metadata?.labels ?? {},
      annotations: t.metadata?.annotations ?? {},
      spec: t.spec,
      patchable,
      batch,
    });
  };
  for (const o of s.deployments) add(o, 'Deployment', true, false);
  for (const o of s.statefulSets) add(o, 'StatefulSet', true, false);
  for (const o of s.daemonSets) add(o, 'DaemonSet', true, false);
  for (const o of s.cronJobs) add(o, 'CronJob', true, true);
  for (const o of s.jobs) if (!o.metadata.ownerReferences?.some((r) => r.controller)) add(o, 'Job', false, true);
  for (const o of s.replicaSets)
    if (!o.metadata.ownerReferences?.some((r) => r.controller)) add(o, 'ReplicaSet', true, false);
  // Pods: analysed only when no controller read above covers them (bare pods, or pods of a custom controller,
  // analysed once per owner). At 100k pods this loop is most of the work, so it does no more than it must.
  const mine = new Set<string>();
  for (const p of s.pods) {
    const owner = p.metadata.ownerReferences?.find((r) => r.controller);
    if (owner && CONTROLLED.has(owner.kind)) continue;
    const phase = (p.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const ns = p.metadata.namespace ?? '';
    const kind = owner ? owner.kind : 'Pod';
    const name = owner ? owner.name : p.metadata.name;
    const key = `${kind}/${ns}/${name}`;
    if (mine.has(key)) continue;
    mine.add(key);
    out.push({
      kind,
      namespace: ns,
      name,
      labels: p.metadata.labels ?? {},
      annotations: p.metadata.annotations ?? {},
      spec: (p.spec ?? {}) as PodSpec,
      patchable: false,
      batch: (p.spec as { restartPolicy?: string } | undefined)?.restartPolicy === 'Never',
    });
  }
  return out;
}
