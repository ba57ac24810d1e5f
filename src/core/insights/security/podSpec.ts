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
  /** Pods it has right now (for the page); 0 when not counted. */
  pods: number;
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
      pods: 0,
    });
  };
  for (const o of s.deployments) add(o, 'Deployment', true, false);
  for (const o of s.statefulSets) add(o, 'StatefulSet', true, false);
  for (const o of s.daemonSets) add(o, 'DaemonSet', true, false);
  for (const o of s.cronJobs) add(o, 'CronJob', true, true);
  for (const o of s.jobs) if (!o.metadata.ownerReferences?.some((r) => r.controller)) add(o, 'Job', false, true);
  for (const o of s.replicaSets)
    if (!o.metadata.ownerReferences?.some((r) => r.controller)) add(o, 'ReplicaSet', true, false);
  // Pods: counted against their workload; analysed only when nothing above covers them (bare pods, or pods of a
  // custom controller, analysed once per owner).
  const byKey = new Map(out.map((w) => [`${w.kind}/${w.namespace}/${w.name}`, w]));
  const rsOwner = new Map<string, string>();
  for (const rs of s.replicaSets) {
    const o = rs.metadata.ownerReferences?.find((r) => r.controller);
    if (o) rsOwner.set(`${rs.metadata.namespace}/${rs.metadata.name}`, `${o.kind}/${rs.metadata.namespace}/${o.name}`);
  }
  const jobOwner = new Map<string, string>();
  for (const j of s.jobs) {
    const o = j.metadata.ownerReferences?.find((r) => r.controller);
    if (o) jobOwner.set(`${j.metadata.namespace}/${j.metadata.name}`, `${o.kind}/${j.metadata.namespace}/${o.name}`);
  }
  for (const p of s.pods) {
    const phase = (p.status as { phase?: string } | undefined)?.phase;
    const owner = p.metadata.ownerReferences?.find((r) => r.controller);
    const ns = p.metadata.namespace ?? '';
    let key: string;
    if (!owner) key = `Pod/${ns}/${p.metadata.name}`;
    else if (owner.kind === 'ReplicaSet') key = rsOwner.get(`${ns}/${owner.name}`) ?? `ReplicaSet/${ns}/${owner.name}`;
    else if (owner.kind === 'Job') key = jobOwner.get(`${ns}/${owner.name}`) ?? `Job/${ns}/${owner.name}`;
    else key = `${owner.kind}/${ns}/${owner.name}`;
    const w = byKey.get(key);
    if (w) {
      if (phase !== 'Succeeded' && phase !== 'Failed') w.pods++;
      continue;
    }
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    if (owner && CONTROLLED.has(owner.kind) && owner.kind !== 'Job' && owner.kind !== 'ReplicaSet') continue;
    const kind = owner ? owner.kind : 'Pod';
    const name = owner ? owner.name : p.metadata.name;
    const w2: Workload = {
      kind,
      namespace: ns,
      name,
      labels: p.metadata.labels ?? {},
      annotations: p.metadata.annotations ?? {},
      spec: (p.spec ?? {}) as PodSpec,
      patchable: false,
      batch: kind === 'Job' || (p.spec as { restartPolicy?: string } | undefined)?.restartPolicy === 'Never',
      pods: 1,
    };
    byKey.set(`${kind}/${ns}/${name}`, w2);
    out.push(w2);
  }
  return out;
}
