// The kubelet of every simulated node: runs bound pods through ContainerCreating to Running, plays the
// fault knobs (crash loops, OOM kills, failed pulls, failing probes, failing jobs), and finishes graceful
// deletion. State lives in memory per pod; the pod's status is always recomputed from it.
import type { KObj } from '../store';
import { nowIso } from '../store';
import type { PodFault } from './faults';
import {
  DURATION_ANNOTATION,
  FAULT_ANNOTATION,
  FAULT_CONTAINER_ANNOTATION,
  INITIAL_RESTARTS_ANNOTATION,
  MEMORY_NEED_ANNOTATION,
  containerFault,
} from './faults';
import type { NodeIndex } from './nodeIndex';
import { qosClass } from './quantity';
import type { Condition, Runtime } from './runtime';
import { findCondition, keyOf, setCondition, sha256Hex } from './runtime';

/** Simulated milliseconds. Short, so the demo settles within seconds of wall time at speed 1. */
export const KUBELET_TIMING = {
  start: 700,
  pullFail: 900,
  crashAfter: 3000,
  probeEvery: 10000,
  pullBackoffEvery: 20000,
  graceCapSeconds: 2,
  jobDefaultSeconds: 5,
};

interface Terminated {
  exitCode: number;
  reason: string;
  startedAt?: string;
  finishedAt: string;
  containerID?: string;
  message?: string;
}
interface CState {
  name: string;
  image: string;
  phase: 'creating' | 'pullError' | 'running' | 'backoff' | 'done';
  waiting?: { reason: string; message?: string };
  startedAt?: string;
  ready: boolean;
  restartCount: number;
  last?: Terminated;
  term?: Terminated;
  containerID?: string;
  pulled: boolean;
  gen: number;
}
interface PodRun {
  uid: string;
  containers: CState[];
  init: string[];
  startTime: string;
  podIP: string;
  hostIP: string;
  sandbox: boolean;
  faultSig: string;
  deleting: boolean;
}

export interface Kubelet {
  /** Recomputes pod status on a node whose readiness changed. */
  refreshNode(node: string): void;
}

export function installKubelet(r: Runtime, idx: NodeIndex): Kubelet {
  const runs = new Map<string, PodRun>(); // pod key -> run
  const ipSeq = new Map<string, number>();
  const newMinor = r.ctx.kubeMinor >= 33;

  r.on('pods', (e) => {
    const p = e.object;
    const key = keyOf(p);
    if (e.type === 'DELETED') {
      if (runs.get(key)?.uid === p.metadata.uid) runs.delete(key);
      return;
    }
    if (!p.spec?.nodeName) return;
    const run = runs.get(key);
    if (!run || p.metadata.deletionTimestamp || run.faultSig !== faultSig(p)) r.enqueue('kubelet', key);
  });

  const nodeOf = (p: KObj) => r.get('nodes', undefined, p.spec.nodeName);
  const nodeReady = (p: KObj) => findCondition(nodeOf(p)?.status?.conditions, 'Ready')?.status === 'True';
  const fieldPath = (c: string) => `spec.containers{${c}}`;
  const ev = (p: KObj, type: 'Normal' | 'Warning', reason: string, msg: string, c?: string) =>
    r.event(p, type, reason, msg, 'kubelet', { host: p.spec.nodeName, ...(c ? { fieldPath: fieldPath(c) } : {}) });
  const specOf = (p: KObj, name: string) =>
    (
      p.spec.containers as Array<{ name: string; image: string; readinessProbe?: { initialDelaySeconds?: number } }>
    ).find((c) => c.name === name);

  function allocIp(node: KObj | undefined): string {
    const name = node?.metadata.name ?? '';
    const n = (ipSeq.get(name) ?? 0) + 1;
    ipSeq.set(name, n);
    const cidr = /^(\d+)\.(\d+)\.(\d+)\.\d+\//.exec(node?.spec?.podCIDR ?? '');
    const base = cidr
      ? `${cidr[1]}.${cidr[2]}.${cidr[3]}`
      : `10.244.${parseInt(sha256Hex(name).slice(0, 2), 16) % 250}`;
    return `${base}.${(n % 250) + 2}`;
  }

  function hostIpOf(node: KObj | undefined): string {
    return (
      (node?.status?.addresses as Array<{ type: string; address: string }> | undefined)?.find(
        (a) => a.type === 'InternalIP',
      )?.address ?? '10.0.0.1'
    );
  }

  r.handle('kubelet', (key) => {
    const pod = r.byKey('pods', key);
    if (!pod || !pod.spec?.nodeName) return;
    let run = runs.get(key);
    if (run && run.uid !== pod.metadata.uid) run = undefined;
    if (pod.metadata.deletionTimestamp) return terminate(key, pod, run);
    if (!run) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
      const adopting = pod.status?.phase === 'Running' && !!pod.status.containerStatuses;
      run = adopting ? adopt(pod) : admit(pod);
      runs.set(key, run);
      if (adopting) for (const c of run.containers) if (c.phase === 'running') onRunning(key, c, true);
      write(key);
      return;
    }
    if (run.faultSig !== faultSig(pod)) {
      run.faultSig = faultSig(pod);
      for (const c of run.containers) if (c.phase === 'running') onRunning(key, c, true);
      write(key);
    }
  });

  function admit(pod: KObj): PodRun {
    const node = nodeOf(pod);
    const initial = Number(pod.metadata.annotations?.[INITIAL_RESTARTS_ANNOTATION] ?? 0) || 0;
    const faulty = pod.metadata.annotations?.[FAULT_CONTAINER_ANNOTATION] ?? pod.spec.containers?.[0]?.name;
    const run: PodRun = {
      uid: pod.metadata.uid!,
      containers: (pod.spec.containers ?? []).map((c: { name: string; image: string }) => ({
        name: c.name,
        image: c.image,
        phase: 'creating',
        ready: false,
        restartCount: c.name === faulty ? initial : 0,
        pulled: false,
        gen: 0,
      })),
      init: (pod.spec.initContainers ?? []).map((c: { name: string }) => c.name),
      startTime: nowIso(),
      podIP: pod.spec.hostNetwork ? hostIpOf(node) : allocIp(node),
      hostIP: hostIpOf(node),
      sandbox: false,
      faultSig: faultSig(pod),
      deleting: false,
    };
    const key = keyOf(pod);
    const jitter = (parseInt(pod.metadata.uid!.slice(0, 4), 16) % 400) - 200;
    r.after(KUBELET_TIMING.start / 3, () => {
      run.sandbox = true;
      write(key);
    });
    r.after(KUBELET_TIMING.start + jitter, () => {
      for (const c of run.containers) startContainer(key, c);
    });
    return run;
  }

  /** A pod loaded already Running (scale scenario, restart of the simulator): pick up where its status is. */
  function adopt(pod: KObj): PodRun {
    const st = pod.status ?? {};
    return {
      uid: pod.metadata.uid!,
      containers: (st.containerStatuses ?? []).map((cs: KObj) => ({
        name: cs.name,
        image: cs.image,
        phase: cs.state?.running ? 'running' : cs.state?.terminated ? 'done' : 'creating',
        startedAt: cs.state?.running?.startedAt,
        ready: !!cs.ready,
        restartCount: cs.restartCount ?? 0,
        last: cs.lastState?.terminated,
        term: cs.state?.terminated,
        containerID: cs.containerID,
        pulled: true,
        gen: 0,
      })),
      init: [],
      startTime: st.startTime ?? nowIso(),
      podIP: st.podIP ?? allocIp(nodeOf(pod)),
      hostIP: st.hostIP ?? hostIpOf(nodeOf(pod)),
      sandbox: true,
      faultSig: faultSig(pod),
      deleting: false,
    };
  }

  const live = (key: string, c: CState, gen: number) => {
    const run = runs.get(key);
    return run && !run.deleting && run.containers.includes(c) && c.gen === gen ? run : undefined;
  };

  function startContainer(key: string, c: CState): void {
    const pod = r.byKey('pods', key);
    const run = runs.get(key);
    if (!pod || !run || run.deleting) return;
    const gen = ++c.gen;
    const fault = containerFault(pod.metadata.annotations, pod.spec.containers, c.name);
    if (!c.pulled) {
      ev(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, c.name);
      if (fault === 'imagepull') return pullFails(key, c, gen);
      c.pulled = true;
      ev(
        pod,
        'Normal',
        'Pulled',
        `Successfully pulled image "${c.image}" in 1.284s (1.284s including waiting). Image size: 28412345 bytes.`,
        c.name,
      );
    } else {
      ev(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, c.name);
    }
    c.containerID = `containerd://${sha256Hex(`${run.uid}/${c.name}/${c.restartCount}`)}`;
    ev(pod, 'Normal', 'Created', newMinor ? `Created container: ${c.name}` : `Created container ${c.name}`, c.name);
    ev(pod, 'Normal', 'Started', newMinor ? `Started container: ${c.name}` : `Started container ${c.name}`, c.name);
    c.phase = 'running';
    c.waiting = undefined;
    c.startedAt = nowIso();
    c.ready = false;
    onRunning(key, c);
    write(key);
    const armed = c.gen;
    const delay = Math.max(300, (specOf(pod, c.name)?.readinessProbe?.initialDelaySeconds ?? 0) * 1000);
    r.after(delay, () => {
      const p = r.byKey('pods', key);
      if (!live(key, c, armed) || c.phase !== 'running' || !p) return;
      c.ready = containerFault(p.metadata.annotations, p.spec.containers, c.name) !== 'unready';
      write(key);
    });
  }

  /** Arms what a running container will do next under its current fault. */
  function onRunning(key: string, c: CState, faultChanged = false): void {
    const pod = r.byKey('pods', key)!;
    const gen = ++c.gen;
    const fault: PodFault | undefined = containerFault(pod.metadata.annotations, pod.spec.containers, c.name);
    const runsToEnd = (pod.spec.restartPolicy ?? 'Always') !== 'Always';
    if (faultChanged) c.ready = fault !== 'unready';
    if (fault === 'crashloop' || fault === 'oomkill' || (fault === 'fail' && !runsToEnd)) {
      r.after(
        KUBELET_TIMING.crashAfter,
        () =>
          live(key, c, gen) &&
          exited(key, c, fault === 'oomkill' ? 137 : 1, fault === 'oomkill' ? 'OOMKilled' : 'Error'),
      );
    } else if (runsToEnd) {
      const secs = Number(pod.metadata.annotations?.[DURATION_ANNOTATION] ?? KUBELET_TIMING.jobDefaultSeconds);
      r.after(
        (fault === 'fail' ? Math.min(secs, 2) : secs) * 1000,
        () => live(key, c, gen) && exited(key, c, fault === 'fail' ? 1 : 0, fault === 'fail' ? 'Error' : 'Completed'),
      );
    } else if (fault === 'unready') {
      const probe = () => {
        const p = r.byKey('pods', key);
        if (!p || !live(key, c, gen)) return;
        ev(p, 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', c.name);
        r.after(KUBELET_TIMING.probeEvery, probe);
      };
      r.after(1000, probe);
    }
  }

  function pullFails(key: string, c: CState, gen: number): void {
    const pod = r.byKey('pods', key)!;
    const ref = c.image.includes('/') ? c.image : `docker.io/library/${c.image}`;
    const why = `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
    r.after(KUBELET_TIMING.pullFail, () => {
      const p = r.byKey('pods', key);
      if (!p || !live(key, c, gen)) return;
      c.phase = 'pullError';
      c.waiting = { reason: 'ErrImagePull', message: why };
      ev(p, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${why}`, c.name);
      ev(p, 'Warning', 'Failed', 'Error: ErrImagePull', c.name);
      write(key);
      const backoff = () => {
        const q = r.byKey('pods', key);
        if (!q || !live(key, c, gen)) return;
        c.waiting = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` };
        ev(q, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`, c.name);
        ev(q, 'Warning', 'Failed', 'Error: ImagePullBackOff', c.name);
        write(key);
        r.after(KUBELET_TIMING.pullBackoffEvery, backoff);
      };
      r.after(1000, backoff);
    });
    void pod;
  }

  function exited(key: string, c: CState, exitCode: number, reason: string): void {
    const pod = r.byKey('pods', key);
    if (!pod) return;
    const term: Terminated = {
      exitCode,
      reason,
      startedAt: c.startedAt,
      finishedAt: nowIso(),
      containerID: c.containerID,
    };
    const policy = pod.spec.restartPolicy ?? 'Always';
    c.ready = false;
    c.gen++;
    if (policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0)) {
      c.restartCount++;
      c.last = term;
      c.phase = 'backoff';
      const secs = Math.min(10 * 2 ** Math.min(c.restartCount - 1, 5), 300);
      const pretty = secs >= 60 ? `${Math.floor(secs / 60)}m${secs % 60}s` : `${secs}s`;
      c.waiting = {
        reason: 'CrashLoopBackOff',
        message: `back-off ${pretty} restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
      };
      ev(
        pod,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
        c.name,
      );
      const gen = c.gen;
      r.after(secs * 1000, () => live(key, c, gen) && startContainer(key, c));
    } else {
      c.phase = 'done';
      c.term = term;
    }
    write(key);
  }

  function terminate(key: string, pod: KObj, run: PodRun | undefined): void {
    if (run?.deleting) return;
    if (run) run.deleting = true;
    else runs.set(key, { ...adopt(pod), deleting: true });
    const remove = () => {
      const p = r.byKey('pods', key);
      if (p && p.metadata.uid === pod.metadata.uid) r.remove('pods', p.metadata.namespace, p.metadata.name);
    };
    const grace = Number(pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30);
    if (
      grace <= 0 ||
      !pod.status?.containerStatuses?.length ||
      pod.status?.phase === 'Succeeded' ||
      pod.status?.phase === 'Failed'
    )
      return remove();
    // A pod on an unreachable node stays Terminating, as on a real cluster, until force-deleted.
    if (!nodeReady(pod)) return;
    for (const cs of pod.status.containerStatuses)
      if (cs.state?.running) ev(pod, 'Normal', 'Killing', `Stopping container ${cs.name}`, cs.name);
    r.after(Math.min(grace, KUBELET_TIMING.graceCapSeconds) * 1000, remove);
  }

  function write(key: string): void {
    const pod = r.byKey('pods', key);
    const run = runs.get(key);
    if (!pod || !run || run.uid !== pod.metadata.uid || pod.metadata.deletionTimestamp) return;
    const status = statusOf(pod, run, nodeReady(pod));
    idx.track({ ...pod, status });
    r.setStatus('pods', pod, status);
  }

  return {
    refreshNode(node: string) {
      for (const key of idx.podsOn(node)) {
        const pod = r.byKey('pods', key);
        if (!pod) continue;
        if (!runs.has(key) && pod.status?.phase === 'Running') runs.set(key, adopt(pod));
        write(key);
      }
    },
  };
}

const faultSig = (p: KObj) =>
  `${p.metadata.annotations?.[FAULT_ANNOTATION] ?? ''}|${p.metadata.annotations?.[FAULT_CONTAINER_ANNOTATION] ?? ''}|${p.metadata.annotations?.[MEMORY_NEED_ANNOTATION] ?? ''}`;

function imageId(image: string): string {
  const repo = image.replace(/[:@].*$/, '');
  const full = repo.includes('/')
    ? repo.split('/')[0].includes('.')
      ? repo
      : `docker.io/${repo}`
    : `docker.io/library/${repo}`;
  return `${full}@sha256:${sha256Hex(image)}`;
}

function statusOf(pod: KObj, run: PodRun, nodeReady: boolean): KObj['status'] {
  const prev = pod.status ?? {};
  const cs = run.containers.map((c) => ({
    name: c.name,
    state:
      c.phase === 'running'
        ? { running: { startedAt: c.startedAt } }
        : c.phase === 'done'
          ? { terminated: c.term }
          : { waiting: c.phase === 'creating' ? { reason: 'ContainerCreating' } : c.waiting },
    lastState: c.last ? { terminated: c.last } : {},
    ready: c.ready,
    restartCount: c.restartCount,
    image: c.image,
    imageID: c.pulled ? imageId(c.image) : '',
    ...(c.containerID ? { containerID: c.containerID } : {}),
    started: c.phase === 'running',
  }));
  const all = run.containers;
  const done = all.length > 0 && all.every((c) => c.phase === 'done');
  const phase = done
    ? all.every((c) => c.term?.exitCode === 0)
      ? 'Succeeded'
      : 'Failed'
    : all.some((c) => c.startedAt || c.last)
      ? 'Running'
      : 'Pending';
  const unready = all.filter((c) => !c.ready).map((c) => c.name);
  const containersReady = unready.length === 0;
  const notReady = {
    reason: done ? 'PodCompleted' : 'ContainersNotReady',
    message: done ? undefined : `containers with unready status: [${unready.join(' ')}]`,
  };
  let conds: Condition[] = prev.conditions ?? [];
  if (run.sandbox)
    conds = setCondition(conds, {
      type: 'PodReadyToStartContainers',
      status: done ? 'False' : 'True',
      lastProbeTime: null,
    });
  conds = setCondition(conds, {
    type: 'Initialized',
    status: 'True',
    lastProbeTime: null,
    ...(done ? { reason: 'PodCompleted' } : {}),
  });
  conds = setCondition(
    conds,
    containersReady && !done
      ? { type: 'Ready', status: nodeReady ? 'True' : 'False', lastProbeTime: null }
      : { type: 'Ready', status: 'False', lastProbeTime: null, ...notReady },
  );
  conds = setCondition(
    conds,
    containersReady && !done
      ? { type: 'ContainersReady', status: 'True', lastProbeTime: null }
      : { type: 'ContainersReady', status: 'False', lastProbeTime: null, ...notReady },
  );
  conds = setCondition(conds, { type: 'PodScheduled', status: 'True', lastProbeTime: null });
  const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
  conds.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  return {
    phase,
    conditions: conds.map((c) => JSON.parse(JSON.stringify(c))),
    hostIP: run.hostIP,
    hostIPs: [{ ip: run.hostIP }],
    ...(run.sandbox ? { podIP: run.podIP, podIPs: [{ ip: run.podIP }] } : {}),
    startTime: run.startTime,
    ...(run.init.length
      ? {
          initContainerStatuses: run.init.map((n) => ({
            name: n,
            state: {
              terminated: { exitCode: 0, reason: 'Completed', startedAt: run.startTime, finishedAt: run.startTime },
            },
            lastState: {},
            ready: true,
            restartCount: 0,
            image: (pod.spec.initContainers.find((c: { name: string }) => c.name === n) ?? {}).image,
            imageID: '',
            started: false,
          })),
        }
      : {}),
    containerStatuses: cs,
    // Ephemeral containers (kubectl debug) are run by controllers/ephemeral.ts; their statuses are kept.
    ...(prev.ephemeralContainerStatuses ? { ephemeralContainerStatuses: prev.ephemeralContainerStatuses } : {}),
    qosClass: qosClass(pod.spec.containers ?? []),
  };
}
