// A pod as `kubectl describe pod` reads it, shaped for the drawer: one summary, the conditions, and per container its
// image, state with reason, readiness, restarts, ports, requests/limits, probes, environment and mounts. Pure: it
// reads the object the details route returns; each fact appears once.

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).map(obj) : []);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined;

export interface ContainerState {
  /** running | waiting | terminated */
  kind: string;
  /** CrashLoopBackOff, OOMKilled, Completed… */
  reason?: string;
  message?: string;
  exitCode?: number;
  /** When it started (running) or finished (terminated). */
  since?: string;
}

export interface ContainerView {
  name: string;
  init: boolean;
  image: string;
  state: ContainerState;
  lastState?: ContainerState;
  ready: boolean;
  restarts: number;
  ports: string[];
  requests: string[];
  limits: string[];
  probes: Array<{ kind: string; text: string }>;
  command?: string;
  env: string[];
  envFrom: string[];
  mounts: string[];
}

export interface PodView {
  status: string;
  ready: string;
  restarts: number;
  node?: string;
  ips: string[];
  hostIP?: string;
  qosClass?: string;
  serviceAccount?: string;
  priorityClass?: string;
  controlledBy?: { kind: string; name: string };
  started?: string;
  conditions: Array<{ type: string; status: string; since?: string; reason?: string; message?: string }>;
  containers: ContainerView[];
  volumes: string[];
}

function stateOf(s: unknown): ContainerState | undefined {
  const st = obj(s);
  for (const kind of ['running', 'waiting', 'terminated']) {
    if (!(kind in st)) continue;
    const v = obj(st[kind]);
    return {
      kind,
      reason: str(v.reason),
      message: str(v.message),
      exitCode: typeof v.exitCode === 'number' ? v.exitCode : undefined,
      since: str(kind === 'terminated' ? (v.finishedAt ?? v.startedAt) : v.startedAt),
    };
  }
  return undefined;
}

/** kubectl's probe line: `http-get http://:8080/healthz delay=5s timeout=1s period=10s #success=1 #failure=3`. */
export function probeText(p: Obj): string {
  const how = p.httpGet
    ? `http-get ${(str(obj(p.httpGet).scheme) ?? 'HTTP').toLowerCase()}://${str(obj(p.httpGet).host) ?? ''}:${str(obj(p.httpGet).port) ?? ''}${str(obj(p.httpGet).path) ?? '/'}`
    : p.tcpSocket
      ? `tcp-socket :${str(obj(p.tcpSocket).port) ?? ''}`
      : p.grpc
        ? `grpc :${str(obj(p.grpc).port) ?? ''}${str(obj(p.grpc).service) ? ` ${str(obj(p.grpc).service)}` : ''}`
        : p.exec
          ? `exec [${(Array.isArray(obj(p.exec).command) ? (obj(p.exec).command as unknown[]) : []).map(String).join(' ')}]`
          : 'unknown';
  const n = (k: string, d: number) => (typeof p[k] === 'number' ? (p[k] as number) : d);
  return `${how} delay=${n('initialDelaySeconds', 0)}s timeout=${n('timeoutSeconds', 1)}s period=${n('periodSeconds', 10)}s #success=${n('successThreshold', 1)} #failure=${n('failureThreshold', 3)}`;
}

const resources = (m: unknown): string[] => Object.entries(obj(m)).map(([k, v]) => `${k} ${String(v)}`);

function envLine(e: Obj): string {
  const name = str(e.name) ?? '?';
  if (e.value !== undefined) return `${name}=${String(e.value)}`;
  const from = obj(e.valueFrom);
  if (from.secretKeyRef)
    return `${name} from Secret ${str(obj(from.secretKeyRef).name)} key ${str(obj(from.secretKeyRef).key)}`;
  if (from.configMapKeyRef)
    return `${name} from ConfigMap ${str(obj(from.configMapKeyRef).name)} key ${str(obj(from.configMapKeyRef).key)}`;
  if (from.fieldRef) return `${name} from field ${str(obj(from.fieldRef).fieldPath)}`;
  if (from.resourceFieldRef) return `${name} from resource ${str(obj(from.resourceFieldRef).resource)}`;
  return name;
}

function container(c: Obj, statuses: Obj[], init: boolean): ContainerView {
  const name = str(c.name) ?? '';
  const s = statuses.find((x) => x.name === name) ?? {};
  const probes: ContainerView['probes'] = [];
  for (const [k, label] of [
    ['livenessProbe', 'Liveness'],
    ['readinessProbe', 'Readiness'],
    ['startupProbe', 'Startup'],
  ] as const)
    if (c[k]) probes.push({ kind: label, text: probeText(obj(c[k])) });
  const cmd = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])].map(String);
  return {
    name,
    init,
    image: str(c.image) ?? '',
    state: stateOf(s.state) ?? { kind: 'waiting', reason: 'not started yet' },
    lastState: stateOf(s.lastState),
    ready: s.ready === true,
    restarts: typeof s.restartCount === 'number' ? s.restartCount : 0,
    ports: arr(c.ports).map(
      (p) => `${str(p.containerPort) ?? '?'}/${str(p.protocol) ?? 'TCP'}${str(p.name) ? ` (${str(p.name)})` : ''}`,
    ),
    requests: resources(obj(c.resources).requests),
    limits: resources(obj(c.resources).limits),
    probes,
    command: cmd.length ? cmd.join(' ') : undefined,
    env: arr(c.env).map(envLine),
    envFrom: arr(c.envFrom).map(
      (e) =>
        (e.configMapRef
          ? `ConfigMap ${str(obj(e.configMapRef).name)}`
          : e.secretRef
            ? `Secret ${str(obj(e.secretRef).name)}`
            : '?') + (str(e.prefix) ? ` (prefix ${str(e.prefix)})` : ''),
    ),
    mounts: arr(c.volumeMounts).map(
      (m) =>
        `${str(m.mountPath)} from ${str(m.name)}${m.readOnly ? ' (ro)' : ' (rw)'}${str(m.subPath) ? ` subPath ${str(m.subPath)}` : ''}`,
    ),
  };
}

function volumeLine(v: Obj): string {
  const name = str(v.name) ?? '?';
  const pick = (k: string, field: string, label: string) =>
    v[k] ? `${name}: ${label} ${str(obj(v[k])[field]) ?? ''}`.trim() : undefined;
  return (
    pick('configMap', 'name', 'ConfigMap') ??
    pick('secret', 'secretName', 'Secret') ??
    pick('persistentVolumeClaim', 'claimName', 'PersistentVolumeClaim') ??
    pick('hostPath', 'path', 'host path') ??
    (v.emptyDir
      ? `${name}: empty directory`
      : v.projected
        ? `${name}: projected (service account token, CA, namespace)`
        : `${name}: ${Object.keys(v).filter((k) => k !== 'name')[0] ?? 'volume'}`)
  );
}

/** `status` is the table's STATUS column (kubectl's reading of the phase and the container states). */
export function podView(object: unknown, status: string | undefined): PodView {
  const o = obj(object);
  const meta = obj(o.metadata);
  const spec = obj(o.spec);
  const st = obj(o.status);
  const statuses = arr(st.containerStatuses);
  const initStatuses = arr(st.initContainerStatuses);
  const containers = [
    ...arr(spec.initContainers).map((c) => container(c, initStatuses, true)),
    ...arr(spec.containers).map((c) => container(c, statuses, false)),
  ];
  const main = containers.filter((c) => !c.init);
  const owner = arr(meta.ownerReferences).find((r) => r.controller) ?? arr(meta.ownerReferences)[0];
  const ips = arr(st.podIPs)
    .map((x) => str(x.ip))
    .filter((x): x is string => !!x);
  return {
    status: status ?? str(st.phase) ?? 'Unknown',
    ready: `${main.filter((c) => c.ready).length}/${main.length}`,
    restarts: main.reduce((n, c) => n + c.restarts, 0),
    node: str(spec.nodeName),
    ips: ips.length ? ips : str(st.podIP) ? [str(st.podIP)!] : [],
    hostIP: str(st.hostIP),
    qosClass: str(st.qosClass),
    serviceAccount: str(spec.serviceAccountName),
    priorityClass: str(spec.priorityClassName),
    controlledBy: owner ? { kind: str(owner.kind) ?? '', name: str(owner.name) ?? '' } : undefined,
    started: str(st.startTime) ?? str(meta.creationTimestamp),
    conditions: arr(st.conditions).map((c) => ({
      type: str(c.type) ?? '',
      status: str(c.status) ?? '',
      since: str(c.lastTransitionTime),
      reason: str(c.reason),
      message: str(c.message),
    })),
    containers,
    volumes: arr(spec.volumes).map(volumeLine),
  };
}
