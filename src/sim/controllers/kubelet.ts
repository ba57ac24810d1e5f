// The kubelet of every simulated node: runs bound pods through ContainerCreating to Running, derives what their
// spec decides (pullable images, the ConfigMaps, Secrets and volumes they need, the commands they run in the
// built-in shell with their exit codes and output, restarts with back-off, probes), plays the fault knobs for what
// no spec expresses (crash loops, OOM kills, failed pulls, failing probes, failing jobs), and finishes graceful
// deletion. State lives in memory per pod; the pod's status is always recomputed from it.
import type { RecordedOutput } from '../context';
import { pullImage } from '../images';
import { InputQueue, Shell, containerView } from '../shell';
import type { KObj } from '../store';
import { nowIso } from '../store';
import type { ContainerSpec, Probe } from './containers';
import { configError, mountError, networkProbeFailure, scriptOf } from './containers';
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
  /** From a container's exit to the kubelet's next sync, which restarts it or backs off. */
  resync: 1000,
  /** Crash back-off: 10s, doubling, capped at 5 minutes, reset after 10 minutes of running (as a real kubelet). */
  backoffFirstSeconds: 10,
  backoffMaxSeconds: 300,
};

/** Output lines kept per container instance (a real kubelet rotates logs too). */
const OUTPUT_CAP = 5000;

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
  /** exited: dead, shown as terminated until the next sync restarts it or backs off; done: dead for good. */
  phase: 'creating' | 'pullError' | 'configError' | 'running' | 'exited' | 'backoff' | 'done';
  waiting?: { reason: string; message?: string };
  startedAt?: string;
  ready: boolean;
  restartCount: number;
  /** The latest dead instance (lastState while running or backing off; state.terminated when exited or done). */
  last?: Terminated;
  /** The instance before it (lastState while `last` shows as state.terminated). */
  prior?: Terminated;
  containerID?: string;
  pulled: boolean;
  gen: number;
  /** Whether an instance ever started (the next start is a restart). */
  started: boolean;
  /** Current crash back-off in seconds (0: the next restart is immediate). */
  backoff: number;
  /** The main process when the container runs a command in the built-in shell. */
  proc?: AbortController;
  /** The running instance's filesystem, shared by its process, exec probes and kubectl exec. */
  files?: Record<string, string>;
  /** containerIDs whose output is recorded, oldest first (current, last and prior are kept). */
  outputs: string[];
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
  /** A volume could not be set up: the pod waits (ContainerCreating) until what it needs appears. */
  mountBlocked?: boolean;
}

export interface Kubelet {
  /** Recomputes pod status on a node whose readiness changed. */
  refreshNode(node: string): void;
}

export function installKubelet(r: Runtime, idx: NodeIndex): Kubelet {
  const runs = new Map<string, PodRun>(); // pod key -> run
  const ipSeq = new Map<string, number>();
  const newMinor = r.ctx.kubeMinor >= 33;
  /** Output of container instances that ran a command, by containerID. */
  const outputs = new Map<string, RecordedOutput>();
  /** Pods waiting for a ConfigMap or Secret of their namespace (config errors, failed mounts), by namespace. */
  const waitingRefs = new Map<string, Set<string>>();

  r.ctx.processes = {
    files(uid, container) {
      for (const run of runs.values())
        if (run.uid === uid) return run.containers.find((c) => c.name === container)?.files;
      return undefined;
    },
    output: (id) => outputs.get(id),
  };

  // Stopping the simulator stops every container's process (their sleeps run on timers that die with it).
  r.ctx.onClose(() => {
    for (const run of runs.values()) for (const c of run.containers) c.proc?.abort();
  });

  const forget = (run: PodRun) => {
    for (const c of run.containers) {
      c.proc?.abort();
      for (const id of c.outputs) outputs.delete(id);
      c.outputs = [];
    }
  };

  r.on('pods', (e) => {
    const p = e.object;
    const key = keyOf(p);
    if (e.type === 'DELETED') {
      const run = runs.get(key);
      if (run && run.uid === p.metadata.uid) {
        forget(run);
        runs.delete(key);
      }
      return;
    }
    if (!p.spec?.nodeName) return;
    const run = runs.get(key);
    if (!run || p.metadata.deletionTimestamp || run.faultSig !== faultSig(p)) r.enqueue('kubelet', key);
  });
  const refsChanged = (e: { object: KObj }) => {
    const waiting = waitingRefs.get(e.object.metadata.namespace ?? '');
    if (waiting) for (const key of waiting) r.enqueue('kubelet-refs', key);
  };
  r.on('configmaps', refsChanged);
  r.on('secrets', refsChanged);

  const nodeOf = (p: KObj) => r.get('nodes', undefined, p.spec.nodeName);
  const nodeReady = (p: KObj) => findCondition(nodeOf(p)?.status?.conditions, 'Ready')?.status === 'True';
  const fieldPath = (c: string) => `spec.containers{${c}}`;
  const ev = (p: KObj, type: 'Normal' | 'Warning', reason: string, msg: string, c?: string) =>
    r.event(p, type, reason, msg, 'kubelet', { host: p.spec.nodeName, ...(c ? { fieldPath: fieldPath(c) } : {}) });
  const specOf = (p: KObj, name: string) => (p.spec.containers as ContainerSpec[]).find((c) => c.name === name);
  /** Simulated-time sleep for the processes' `sleep`. */
  const simSleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
      r.after(ms, resolve);
    });

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
    if (run && run.uid !== pod.metadata.uid) {
      forget(run);
      run = undefined;
    }
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

  // A ConfigMap or Secret appeared or changed: pods waiting for one retry, as the kubelet's next sync would.
  r.handle('kubelet-refs', (key) => {
    const run = runs.get(key);
    const pod = r.byKey('pods', key);
    waitingRefs.get(pod?.metadata.namespace ?? key.split('/')[0])?.delete(key);
    if (!run || !pod || run.deleting || run.uid !== pod.metadata.uid) return;
    if (run.mountBlocked) return setUp(key, run);
    for (const c of run.containers) if (c.phase === 'configError') startContainer(key, c);
  });

  const waitForRefs = (pod: KObj) => {
    const ns = pod.metadata.namespace ?? '';
    let set = waitingRefs.get(ns);
    if (!set) waitingRefs.set(ns, (set = new Set()));
    set.add(keyOf(pod));
  };

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
        started: c.name === faulty && initial > 0,
        backoff: 0,
        outputs: [],
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
    r.after(KUBELET_TIMING.start / 3, () => setUp(key, run));
    return run;
  }

  /** Volumes first (a real kubelet mounts them before the sandbox), then the sandbox, then the containers. */
  function setUp(key: string, run: PodRun): void {
    const pod = r.byKey('pods', key);
    if (!pod || runs.get(key) !== run || run.deleting) return;
    const why = mountError(r, pod);
    if (why) {
      run.mountBlocked = true;
      waitForRefs(pod);
      ev(pod, 'Warning', 'FailedMount', why);
      return;
    }
    const wasBlocked = run.mountBlocked;
    run.mountBlocked = false;
    run.sandbox = true;
    write(key);
    const jitter = (parseInt(run.uid.slice(0, 4), 16) % 400) - 200;
    r.after(wasBlocked ? KUBELET_TIMING.start / 2 : (KUBELET_TIMING.start * 2) / 3 + jitter, () => {
      if (runs.get(key) === run) for (const c of run.containers) startContainer(key, c);
    });
  }

  /** A pod loaded already Running (scale scenario, restart of the simulator): pick up where its status is. */
  function adopt(pod: KObj): PodRun {
    const st = pod.status ?? {};
    return {
      uid: pod.metadata.uid!,
      containers: (st.containerStatuses ?? []).map((cs: KObj): CState => ({
        name: cs.name,
        image: cs.image,
        phase: cs.state?.running ? 'running' : cs.state?.terminated ? 'done' : 'creating',
        startedAt: cs.state?.running?.startedAt,
        ready: !!cs.ready,
        restartCount: cs.restartCount ?? 0,
        last: cs.state?.terminated ?? cs.lastState?.terminated,
        prior: cs.state?.terminated ? cs.lastState?.terminated : undefined,
        containerID: cs.containerID,
        pulled: true,
        gen: 0,
        started: !!(cs.state?.running || cs.state?.terminated || cs.lastState?.terminated),
        backoff: 0,
        outputs: [],
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
    const spec = specOf(pod, c.name) ?? { name: c.name };
    const badName = invalidImageName(c.image);
    if (badName) {
      c.phase = 'configError';
      c.waiting = { reason: 'InvalidImageName', message: badName };
      ev(pod, 'Warning', 'InspectFailed', badName, c.name);
      ev(pod, 'Warning', 'Failed', 'Error: InvalidImageName', c.name);
      write(key);
      return;
    }
    if (!c.pulled) {
      ev(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, c.name);
      const pull = pullImage(c.image);
      if (fault === 'imagepull' || !pull.ok) return pullFails(key, c, gen, pull.ok ? undefined : pull.message);
      c.pulled = true;
      ev(
        pod,
        'Normal',
        'Pulled',
        `Successfully pulled image "${c.image}" in 1.284s (1.284s including waiting). Image size: 28412345 bytes.`,
        c.name,
      );
    } else if (c.phase !== 'configError') {
      ev(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, c.name);
    }
    const configWhy = configError(r, pod.metadata.namespace ?? 'default', spec);
    if (configWhy) {
      c.phase = 'configError';
      c.waiting = { reason: 'CreateContainerConfigError', message: configWhy };
      ev(pod, 'Warning', 'Failed', `Error: ${configWhy}`, c.name);
      waitForRefs(pod);
      write(key);
      return;
    }
    // An image without an entrypoint and no command: the runtime cannot even create the container.
    if (NO_ENTRYPOINT.test(c.image) && !spec.command?.length && !spec.args?.length) {
      c.phase = 'configError';
      c.waiting = {
        reason: 'CreateContainerError',
        message: `failed to generate container "${sha256Hex(`${run.uid}/${c.name}`)}" spec: failed to generate spec: no command specified`,
      };
      ev(pod, 'Warning', 'Failed', `Error: ${c.waiting.message}`, c.name);
      write(key);
      return;
    }
    if (c.started) c.restartCount++;
    c.started = true;
    c.containerID = `containerd://${sha256Hex(`${run.uid}/${c.name}/${c.restartCount}`)}`;
    // A command the image does not have (a shell in a distroless image) fails to start: StartError, exit 128.
    const argv0 = spec.command?.[0];
    if (argv0 && /distroless|scratch/.test(c.image) && scriptOf(spec)) {
      const msg = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${argv0}": executable file not found in $PATH: unknown`;
      ev(pod, 'Normal', 'Created', newMinor ? `Created container: ${c.name}` : `Created container ${c.name}`, c.name);
      ev(pod, 'Warning', 'Failed', `Error: ${msg}`, c.name);
      c.startedAt = nowIso();
      return exited(key, c, 128, 'StartError', msg, { reason: 'RunContainerError', message: msg });
    }
    ev(pod, 'Normal', 'Created', newMinor ? `Created container: ${c.name}` : `Created container ${c.name}`, c.name);
    ev(pod, 'Normal', 'Started', newMinor ? `Started container: ${c.name}` : `Started container ${c.name}`, c.name);
    c.phase = 'running';
    c.waiting = undefined;
    c.startedAt = nowIso();
    c.ready = false;
    c.files = {};
    onRunning(key, c);
    if (fault !== 'crashloop' && fault !== 'oomkill' && fault !== 'fail') startProcess(key, c, pod, spec, run);
    write(key);
    armProbes(key, c, pod, spec, run);
    const hook = (spec as { lifecycle?: { postStart?: Probe } }).lifecycle?.postStart;
    if (hook?.exec?.command?.length) runPostStart(key, c, pod, hook, run);
  }

  /** A postStart exec hook that fails kills the container (PostStartHookError), as a real kubelet does. */
  function runPostStart(key: string, c: CState, pod: KObj, hook: Probe, run: PodRun): void {
    const gen = c.gen;
    const check = probeCheck(pod, c, { ...hook, timeoutSeconds: 30 }, run)!;
    void check().then((why) => {
      const p = r.byKey('pods', key);
      if (why === undefined || !p || !live(key, c, gen) || c.phase !== 'running') return;
      const cmd = hook.exec!.command!;
      const msg = `Exec lifecycle hook ([${cmd.join(' ')}]) for Container "${c.name}" in Pod "${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})" failed - error: command '${cmd.join(' ')}' exited with 1: ${why}, message: "${why}"`;
      r.guard(() => {
        ev(p, 'Warning', 'FailedPostStartHook', msg, c.name);
        ev(p, 'Normal', 'Killing', 'FailedPostStartHook', c.name);
        exited(key, c, 137, 'Error', undefined, { reason: 'PostStartHookError', message: msg });
      });
    });
  }

  /** Runs the container's command in the built-in shell: its exit ends the container, its output is its log. */
  function startProcess(key: string, c: CState, pod: KObj, spec: ContainerSpec, run: PodRun): void {
    const argv = scriptOf(spec);
    if (!argv) return;
    const id = c.containerID!;
    const out: RecordedOutput = { lines: [], partial: '' };
    outputs.set(id, out);
    c.outputs.push(id);
    // A real kubelet keeps the current and the previous instance's logs.
    while (c.outputs.length > 3) outputs.delete(c.outputs.shift()!);
    const write = (s: string) => {
      const parts = (out.partial + s).split('\n');
      out.partial = parts.pop()!;
      const time = Date.now();
      for (const text of parts) out.lines.push({ time, text });
      if (out.lines.length > OUTPUT_CAP) out.lines.splice(0, out.lines.length - OUTPUT_CAP);
    };
    const ac = new AbortController();
    c.proc = ac;
    const stdin = new InputQueue();
    if (!spec.stdin) stdin.end();
    const view = containerView({ ...pod, status: { ...(pod.status ?? {}), podIP: run.podIP } }, c.name);
    const forever = () =>
      new Promise<number>((resolve) => ac.signal.addEventListener('abort', () => resolve(137), { once: true }));
    const shell = new Shell(
      view,
      { stdout: write, stderr: write, stdin, signal: ac.signal, sleep: simSleep, app: forever },
      () => new Date(),
      c.files,
    );
    void shell.exec(argv).then(
      (code) => {
        if (out.partial) write('\n');
        if (c.proc !== ac || ac.signal.aborted) return;
        c.proc = undefined;
        r.guard(() => exited(key, c, code, code === 0 ? 'Completed' : 'Error'));
      },
      () => undefined,
    );
  }

  /** Arms readiness and liveness probes: only those that can fail cost timers. */
  function armProbes(key: string, c: CState, pod: KObj, spec: ContainerSpec, run: PodRun): void {
    const gen = c.gen;
    const alive = () => live(key, c, gen) && c.phase === 'running';
    const readyAfter = (delayMs: number) =>
      r.after(delayMs, () => {
        const p = r.byKey('pods', key);
        if (!alive() || !p) return;
        c.ready = containerFault(p.metadata.annotations, p.spec.containers, c.name) !== 'unready';
        write(key);
      });
    const rp = spec.readinessProbe;
    const readiness = rp && probeCheck(pod, c, rp, run);
    if (!readiness) readyAfter(Math.max(300, (rp?.initialDelaySeconds ?? 0) * 1000));
    else probeLoop(key, c, 'Readiness', rp!, readiness, alive);
    const lp = spec.livenessProbe;
    const liveness = lp && probeCheck(pod, c, lp, run);
    if (liveness) probeLoop(key, c, 'Liveness', lp!, liveness, alive);
  }

  /** How a probe is evaluated: undefined when it always succeeds; else a check returning the failure, if any. */
  function probeCheck(pod: KObj, c: CState, p: Probe, run: PodRun): (() => Promise<string | undefined>) | undefined {
    if (p.exec?.command?.length) {
      const argv = p.exec.command;
      return async () => {
        const current = r.byKey('pods', keyOf(pod)) ?? pod;
        let text = '';
        const ac = new AbortController();
        const stdin = new InputQueue();
        stdin.end();
        const shell = new Shell(
          containerView({ ...current, status: { ...(current.status ?? {}), podIP: run.podIP } }, c.name),
          { stdout: (s) => (text += s), stderr: (s) => (text += s), stdin, signal: ac.signal, sleep: simSleep },
          () => new Date(),
          c.files,
        );
        if (!shell.hasBinary(argv[0]))
          return `OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown`;
        const timeout = (p.timeoutSeconds ?? 1) * 1000;
        let timedOut = false;
        r.after(timeout, () => {
          timedOut = true;
          ac.abort();
        });
        const code = await shell.exec(argv);
        if (timedOut) return `command "${argv.join(' ')}" timed out`;
        return code === 0 ? undefined : text.trimEnd();
      };
    }
    const why = networkProbeFailure(pod, specOf(pod, c.name) ?? { name: c.name }, p, run.podIP);
    return why === undefined ? undefined : async () => why;
  }

  function probeLoop(
    key: string,
    c: CState,
    kind: 'Readiness' | 'Liveness',
    p: Probe,
    check: () => Promise<string | undefined>,
    alive: () => unknown,
  ): void {
    const period = Math.max(1, p.periodSeconds ?? 10) * 1000;
    const threshold = Math.max(1, p.failureThreshold ?? 3);
    let fails = 0;
    const tick = async () => {
      if (!alive()) return;
      const why = await check();
      const pod = r.byKey('pods', key);
      if (!alive() || !pod) return;
      if (why === undefined) {
        fails = 0;
        const ready = containerFault(pod.metadata.annotations, pod.spec.containers, c.name) !== 'unready';
        if (kind === 'Readiness' && c.ready !== ready) {
          c.ready = ready;
          write(key);
        }
      } else {
        fails++;
        ev(pod, 'Warning', 'Unhealthy', `${kind} probe failed: ${why}`, c.name);
        if (kind === 'Readiness' && c.ready && fails >= threshold) {
          c.ready = false;
          write(key);
        }
        if (kind === 'Liveness' && fails >= threshold) {
          ev(pod, 'Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`, c.name);
          c.proc?.abort();
          c.proc = undefined;
          return exited(key, c, 137, 'Error');
        }
      }
      r.after(period, () => void tick());
    };
    r.after(Math.max(kind === 'Readiness' ? 300 : 0, (p.initialDelaySeconds ?? 0) * 1000), () => void tick());
  }

  /** Arms what a running container will do next under its current fault. */
  function onRunning(key: string, c: CState, faultChanged = false): void {
    const pod = r.byKey('pods', key)!;
    const gen = c.gen;
    const fault: PodFault | undefined = containerFault(pod.metadata.annotations, pod.spec.containers, c.name);
    const runsToEnd = (pod.spec.restartPolicy ?? 'Always') !== 'Always';
    if (faultChanged) c.ready = fault !== 'unready';
    if (fault === 'crashloop' || fault === 'oomkill' || (fault === 'fail' && !runsToEnd)) {
      r.after(
        KUBELET_TIMING.crashAfter,
        () =>
          live(key, c, gen) &&
          c.phase === 'running' &&
          exited(key, c, fault === 'oomkill' ? 137 : 1, fault === 'oomkill' ? 'OOMKilled' : 'Error'),
      );
    } else if (runsToEnd && !scriptOf(specOf(pod, c.name) ?? { name: c.name })) {
      const secs = Number(pod.metadata.annotations?.[DURATION_ANNOTATION] ?? KUBELET_TIMING.jobDefaultSeconds);
      r.after(
        (fault === 'fail' ? Math.min(secs, 2) : secs) * 1000,
        () =>
          live(key, c, gen) &&
          c.phase === 'running' &&
          exited(key, c, fault === 'fail' ? 1 : 0, fault === 'fail' ? 'Error' : 'Completed'),
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

  function pullFails(key: string, c: CState, gen: number, message?: string): void {
    const ref = c.image.includes('/') ? c.image : `docker.io/library/${c.image}`;
    const why =
      message ??
      `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
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
  }

  /**
   * A container instance ended. It shows as terminated until the kubelet's next sync, which then (per restartPolicy)
   * restarts it at once the first time, and after that waits in CrashLoopBackOff: 10s, 20s, 40s … capped at 5 minutes.
   */
  function exited(
    key: string,
    c: CState,
    exitCode: number,
    reason: string,
    message?: string,
    /** Why the start failed (RunContainerError, PostStartHookError): shown until the back-off begins. */
    failure?: { reason: string; message: string },
  ): void {
    const pod = r.byKey('pods', key);
    if (!pod) return;
    const finishedAt = nowIso();
    const term: Terminated = {
      exitCode,
      reason,
      ...(message ? { message } : {}),
      startedAt: c.startedAt,
      finishedAt,
      containerID: c.containerID,
    };
    const policy = pod.spec.restartPolicy ?? 'Always';
    c.ready = false;
    const gen = ++c.gen;
    c.prior = c.last;
    c.last = term;
    c.proc?.abort();
    c.proc = undefined;
    const ranMs = (Date.now() - Date.parse(c.startedAt ?? finishedAt)) * r.ctx.clock.speed;
    if (ranMs > 2 * KUBELET_TIMING.backoffMaxSeconds * 1000) c.backoff = 0;
    if (!(policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0))) {
      c.phase = 'done';
      write(key);
      return;
    }
    c.phase = failure ? 'backoff' : 'exited';
    c.waiting = failure;
    write(key);
    r.after(KUBELET_TIMING.resync * (failure ? 3 : 1), () => {
      const p = r.byKey('pods', key);
      if (!p || !live(key, c, gen)) return;
      if (c.backoff === 0) {
        c.backoff = KUBELET_TIMING.backoffFirstSeconds;
        return startContainer(key, c);
      }
      const secs = c.backoff;
      c.backoff = Math.min(secs * 2, KUBELET_TIMING.backoffMaxSeconds);
      c.phase = 'backoff';
      const pretty = secs >= 60 ? `${Math.floor(secs / 60)}m${secs % 60}s` : `${secs}s`;
      c.waiting = {
        reason: 'CrashLoopBackOff',
        message: `back-off ${pretty} restarting failed container=${c.name} pod=${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})`,
      };
      ev(
        p,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${c.name} in pod ${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})`,
        c.name,
      );
      write(key);
      r.after(
        secs * 1000 - KUBELET_TIMING.resync * (failure ? 3 : 1),
        () => live(key, c, gen) && startContainer(key, c),
      );
    });
  }

  function terminate(key: string, pod: KObj, run: PodRun | undefined): void {
    if (run?.deleting) return;
    if (run) run.deleting = true;
    else runs.set(key, { ...adopt(pod), deleting: true });
    for (const c of (run ?? runs.get(key)!).containers) {
      c.proc?.abort();
      c.proc = undefined;
    }
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

/** Images with no entrypoint and no default command (the runtime needs a `command`). */
const NO_ENTRYPOINT = /(^|\/)(scratch|distroless\/static)(:|@|$)/;

/** The kubelet's refusal of an image reference it cannot parse (waiting reason InvalidImageName). */
function invalidImageName(image: string): string | undefined {
  const name = image.replace(/[:@].*$/, '');
  const why = /[A-Z]/.test(name.replace(/^[^/]*\.[^/]*\//, ''))
    ? 'repository name must be lowercase'
    : !/^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/i.test(
          image,
        )
      ? 'invalid reference format'
      : undefined;
  return why && `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${why}`;
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
  const cs = run.containers.map((c) => {
    const dead = c.phase === 'done' || c.phase === 'exited';
    const lastState = dead ? c.prior : c.last;
    return {
      name: c.name,
      state:
        c.phase === 'running'
          ? { running: { startedAt: c.startedAt } }
          : dead
            ? { terminated: c.last }
            : { waiting: c.phase === 'creating' ? { reason: 'ContainerCreating' } : c.waiting },
      lastState: lastState ? { terminated: lastState } : {},
      ready: c.ready,
      restartCount: c.restartCount,
      image: c.image,
      imageID: c.pulled ? imageId(c.image) : '',
      ...(c.containerID ? { containerID: c.containerID } : {}),
      started: c.phase === 'running',
    };
  });
  const all = run.containers;
  const done = all.length > 0 && all.every((c) => c.phase === 'done');
  const phase = done
    ? all.every((c) => c.last?.exitCode === 0)
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
