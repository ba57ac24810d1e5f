// The kubelet's side of ephemeral containers (`kubectl debug`): once the pod runs, each new one starts
// (status.ephemeralContainerStatuses, running), its command runs in the simulated shell, and what it prints becomes
// its logs; a command that ends leaves the container terminated (ephemeral containers never restart). One that
// reads its stdin (an interactive `kubectl debug -it`) keeps running until the pod goes.
import { randomBytes } from 'node:crypto';
import { containerOutput, forgetPod, setContainerOutput } from '../containers';
import { InputQueue, Shell, containerView } from '../shell';
import type { KObj } from '../store';
import { nowIso } from '../store';
import type { Json, Runtime } from './runtime';
import { keyOf } from './runtime';

const KUBELET = 'kubelet';

export function installEphemeralKubelet(r: Runtime): void {
  /** Statuses this kubelet has reported, by pod uid then container: re-asserted if a status write drops them. */
  const reported = new Map<string, Map<string, Json>>();
  const sessions = new Map<string, AbortController>();
  r.ctx.onClose(() => sessions.forEach((ac) => ac.abort()));

  r.on('pods', (e) => {
    const uid = e.object.metadata.uid!;
    if (e.type === 'DELETED') {
      reported.delete(uid);
      sessions.get(uid)?.abort();
      sessions.delete(uid);
      forgetPod(uid);
      return;
    }
    const specs: Json[] = e.object.spec?.ephemeralContainers ?? [];
    if (!specs.length) return;
    const statuses: Json[] = e.object.status?.ephemeralContainerStatuses ?? [];
    const mine = reported.get(uid);
    const stale = specs.some((c) => {
      const st = statuses.find((s) => s.name === c.name);
      return !st || (mine?.get(c.name) && JSON.stringify(mine.get(c.name)) !== JSON.stringify(st));
    });
    if (stale) r.enqueue('ephemeral', keyOf(e.object));
  });

  const write = (key: string) => {
    const pod = r.byKey('pods', key);
    const mine = pod && reported.get(pod.metadata.uid!);
    if (!pod || !mine) return;
    const specs: Json[] = pod.spec?.ephemeralContainers ?? [];
    const statuses = specs.map((c) => mine.get(c.name)).filter(Boolean);
    if (JSON.stringify(statuses) === JSON.stringify(pod.status?.ephemeralContainerStatuses ?? [])) return;
    r.setStatus('pods', pod, { ...pod.status, ephemeralContainerStatuses: statuses });
  };

  // Newer kubelets word these events "Created container: NAME" (as kubelet.ts does from 1.33).
  const colon = r.ctx.kubeMinor >= 33 ? ':' : '';

  r.handle('ephemeral', (key) => {
    const pod = r.byKey('pods', key);
    if (!pod || pod.metadata.deletionTimestamp || pod.status?.phase !== 'Running') return;
    const uid = pod.metadata.uid!;
    let mine = reported.get(uid);
    if (!mine) reported.set(uid, (mine = new Map()));
    for (const c of (pod.spec?.ephemeralContainers ?? []) as Json[]) {
      if (mine.has(c.name)) continue;
      const startedAt = nowIso();
      const containerID = `containerd://${randomBytes(32).toString('hex')}`;
      const base = {
        name: c.name,
        image: c.image,
        imageID: `${String(c.image).replace(/:.*$/, '')}@sha256:${randomBytes(32).toString('hex')}`,
        containerID,
        ready: false,
        restartCount: 0,
        lastState: {},
      };
      mine.set(c.name, { ...base, state: { running: { startedAt } } });
      r.event(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, KUBELET, {
        host: pod.spec?.nodeName,
        fieldPath: `spec.ephemeralContainers{${c.name}}`,
      });
      r.event(pod, 'Normal', 'Created', `Created container${colon} ${c.name}`, KUBELET, {
        host: pod.spec?.nodeName,
        fieldPath: `spec.ephemeralContainers{${c.name}}`,
      });
      r.event(pod, 'Normal', 'Started', `Started container${colon} ${c.name}`, KUBELET, {
        host: pod.spec?.nodeName,
        fieldPath: `spec.ephemeralContainers{${c.name}}`,
      });
      void run(pod, c).then((exitCode) => {
        const m = reported.get(uid);
        if (exitCode === undefined || !m) return;
        m.set(c.name, {
          ...base,
          state: {
            terminated: {
              exitCode,
              reason: exitCode === 0 ? 'Completed' : 'Error',
              startedAt,
              finishedAt: nowIso(),
              containerID,
            },
          },
        });
        r.guard(() => write(key));
      });
    }
    write(key);
  });

  /** Runs the container's command; resolves to its exit code, or undefined if it still runs when the pod goes. */
  async function run(pod: KObj, c: Json): Promise<number | undefined> {
    const uid = pod.metadata.uid!;
    const argv: string[] = [...(c.command ?? []), ...(c.args ?? [])];
    // An interactive debug shell (no command, or a shell reading stdin) waits on its attached terminal.
    if (argv.length === 0 || (c.stdin && /(^|\/)(sh|bash|ash)$/.test(argv[0]) && argv.length === 1)) return undefined;
    let ac = sessions.get(uid);
    if (!ac) sessions.set(uid, (ac = new AbortController()));
    const output: string[] = containerOutput(uid, c.name) ?? [];
    let partial = '';
    const emit = (s: string) => {
      const lines = (partial + s).split('\n');
      partial = lines.pop()!;
      output.push(...lines);
      setContainerOutput(uid, c.name, output);
    };
    const stdin = new InputQueue();
    stdin.end();
    const shell = new Shell(containerView(pod, c.name), { stdout: emit, stderr: emit, stdin, signal: ac.signal });
    let code: number;
    if (!shell.hasBinary(argv[0])) {
      emit(`exec ${argv[0]}: no such file or directory\n`);
      code = 128;
    } else code = await shell.exec(argv);
    if (partial) emit('\n');
    setContainerOutput(uid, c.name, output);
    return ac.signal.aborted ? undefined : code;
  }
}
