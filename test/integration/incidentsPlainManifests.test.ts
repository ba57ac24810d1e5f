// The incident engine finds every pod reason and workload problem its rules claim to detect from plain manifests
// applied to the empty scenario: no fault annotations, only what a user would write. The simulated kubelet derives
// each failure from the spec (see README, "What a pod's spec decides").
//
// Rule conditions no pod or workload spec can express, and therefore not covered here:
// - node_not_ready, node_pressure: a node's health is the kubelet's report, not anything a manifest says;
// - pod_evicted: the kubelet evicts under node pressure or for local-storage use over a limit, and use is not spec;
// - sandbox_create_failed: the CNI plugin or the runtime failing to set up the pod's network;
// - pvc_lost: a bound claim whose PersistentVolume was deleted behind its back (a deletion, not a spec);
// - oom_killed declares memory use with a `stress --vm-bytes` command (the Kubernetes docs' example): use is not a
//   spec field, and the simulator keeps the `sim.kubegraf.io/memory-need` annotation for other programs.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeEngine } from '../../src/core/kube/engine';
import { KubeGrafStore } from '../../src/core/store/store';
import { IncidentEngine } from '../../src/core/incidents/engine';
import type { Incident } from '../../src/shared/incidents';
import { kubectl, kubectlOk, startTestSim, type Sim } from '../helpers/sim';

type Json = Record<string, unknown>;

const pod = (name: string, container: Json, spec: Json = {}): Json => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'plain' },
  spec: { containers: [{ name: 'main', ...container }], ...spec },
});
const deployment = (name: string, container: Json, spec: Json = {}): Json => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'plain' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', ...container }] } },
    ...spec,
  },
});
const job = (name: string, command: string[], spec: Json = {}): Json => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'plain' },
  spec: {
    backoffLimit: 0,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox:1.36', command }] } },
    ...spec,
  },
});

/** One manifest per finding: [incident type, subject kind, subject name, what its root cause says, manifests]. */
const CASES: Array<[string, string, string, RegExp, Json[]]> = [
  [
    'pod_crash_loop',
    'Pod',
    'crasher',
    /exits with code 1/,
    [pod('crasher', { image: 'busybox:1.36', command: ['sh', '-c', 'echo dying; exit 1'] })],
  ],
  [
    'oom_killed',
    'Pod',
    'memory-hog',
    /memory limit of 100Mi/,
    [
      pod('memory-hog', {
        image: 'polinux/stress',
        command: ['stress'],
        args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'],
        resources: { limits: { memory: '100Mi' } },
      }),
    ],
  ],
  [
    'image_pull_error',
    'Pod',
    'unpullable',
    /registry\.invalid\/nope:missing cannot be pulled/,
    [pod('unpullable', { image: 'registry.invalid/nope:missing' })],
  ],
  ['invalid_image', 'Pod', 'bad-name', /repository name must be lowercase/, [pod('bad-name', { image: 'Nginx:1.27' })]],
  [
    'container_config_error',
    'Pod',
    'no-config',
    /configmap "app-config" not found/,
    [pod('no-config', { image: 'nginx:1.27', envFrom: [{ configMapRef: { name: 'app-config' } }] })],
  ],
  [
    'missing_config_reference',
    'Pod',
    'no-secret',
    /Secret "db-credentials"/,
    [
      pod('no-secret', {
        image: 'nginx:1.27',
        env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } }],
      }),
    ],
  ],
  [
    'container_create_error',
    'Pod',
    'no-command',
    /no command specified/,
    [pod('no-command', { image: 'gcr.io/distroless/static:nonroot' })],
  ],
  [
    'run_container_error',
    'Pod',
    'no-shell',
    /exec: "sh": executable file not found/,
    [pod('no-shell', { image: 'gcr.io/distroless/static:nonroot', command: ['sh', '-c', 'echo hi'] })],
  ],
  [
    'lifecycle_hook_failed',
    'Pod',
    'bad-hook',
    /Exec lifecycle hook/,
    [
      pod('bad-hook', {
        image: 'nginx:1.27',
        lifecycle: { postStart: { exec: { command: ['sh', '-c', 'cat /etc/app/ready'] } } },
      }),
    ],
  ],
  [
    'volume_mount_failed',
    'Pod',
    'no-volume',
    /configmap "web-files" not found/,
    [pod('no-volume', { image: 'nginx:1.27' }, { volumes: [{ name: 'files', configMap: { name: 'web-files' } }] })],
  ],
  [
    'pod_unschedulable',
    'Pod',
    'too-big',
    /Insufficient cpu/,
    [pod('too-big', { image: 'nginx:1.27', resources: { requests: { cpu: '500' } } })],
  ],
  [
    'pod_failed',
    'Pod',
    'one-shot',
    /exit 2/,
    [pod('one-shot', { image: 'busybox:1.36', command: ['sh', '-c', 'exit 2'] }, { restartPolicy: 'Never' })],
  ],
  [
    'readiness_probe_failed',
    'Pod',
    'wrong-port',
    /connect: connection refused/,
    [
      pod('wrong-port', {
        image: 'nginx:1.27',
        readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 2 },
      }),
    ],
  ],
  [
    'high_restart_count',
    'Pod',
    'restarts',
    /restarted/,
    [
      pod('restarts', {
        image: 'busybox:1.36',
        command: ['sh', '-c', 'echo started; sleep 20; exit 1'],
      }),
    ],
  ],
  ['pod_stuck_terminating', 'Pod', 'stuck', /Finalizers example\.com\/block/, []],
  [
    'rollout_stuck',
    'Deployment',
    'bad-rollout',
    /ProgressDeadlineExceeded|progress/i,
    [deployment('bad-rollout', { image: 'nginx:nope' }, { progressDeadlineSeconds: 3 })],
  ],
  [
    'replicas_unavailable',
    'Deployment',
    'never-ready',
    /Fewer pods are available/,
    [deployment('never-ready', { image: 'nginx:1.27', readinessProbe: { tcpSocket: { port: 9000 } } })],
  ],
  ['job_failed', 'Job', 'fails', /BackoffLimitExceeded/, [job('fails', ['sh', '-c', 'exit 3'])]],
  [
    'cronjob_failing',
    'CronJob',
    'nightly',
    /BackoffLimitExceeded/,
    [
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'nightly', namespace: 'plain' },
        spec: { schedule: '* * * * *', jobTemplate: { spec: (job('x', ['sh', '-c', 'exit 1']) as Json).spec } },
      },
    ],
  ],
  [
    'cronjob_suspended',
    'CronJob',
    'paused',
    /suspend/,
    [
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'paused', namespace: 'plain' },
        spec: { schedule: '0 3 * * *', suspend: true, jobTemplate: { spec: (job('y', ['true']) as Json).spec } },
      },
    ],
  ],
  [
    'service_no_endpoints',
    'Service',
    'orphan',
    /No pod .* matches the selector app=nothing/,
    [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'orphan', namespace: 'plain' },
        spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] },
      },
    ],
  ],
  [
    'ingress_missing_service',
    'Ingress',
    'front',
    /missing-svc does not exist/,
    [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'front', namespace: 'plain' },
        spec: {
          rules: [
            {
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: 'missing-svc', port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      },
    ],
  ],
  [
    'pvc_pending',
    'PersistentVolumeClaim',
    'scratch',
    /StorageClass "fast-ssd" does not exist/,
    [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'scratch', namespace: 'plain' },
        spec: {
          storageClassName: 'fast-ssd',
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
        },
      },
    ],
  ],
  [
    'hpa_at_max',
    'HorizontalPodAutoscaler',
    'busy',
    /maxReplicas=1/,
    [
      deployment('busy', { image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }),
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'busy', namespace: 'plain' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'busy' },
          minReplicas: 1,
          maxReplicas: 1,
          metrics: [
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 5 } } },
          ],
        },
      },
    ],
  ],
  [
    'hpa_unable_to_scale',
    'HorizontalPodAutoscaler',
    'lost',
    /unable to get the target's current scale/,
    [
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'lost', namespace: 'plain' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gone' }, maxReplicas: 3 },
      },
    ],
  ],
  [
    'pdb_no_disruptions',
    'PodDisruptionBudget',
    'strict',
    /minAvailable=1/,
    [
      deployment('guarded', { image: 'nginx:1.27' }),
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'strict', namespace: 'plain' },
        spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } },
      },
    ],
  ],
];

describe('incident engine on plain manifests (empty scenario, no fault annotations)', function () {
  this.timeout(180_000);
  let sim: Sim;
  let kube: KubeEngine;
  let store: KubeGrafStore;
  let engine: IncidentEngine;

  before(async () => {
    sim = await startTestSim({ scenario: 'empty', speed: 10 });
    kube = new KubeEngine({ files: [sim.kubeconfig], watchFiles: false });
    store = await KubeGrafStore.open({ dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-plain-')) });
    engine = new IncidentEngine({
      kube,
      store,
      rules: { stableMs: 1000, holdMs: 1500, highRestarts: 2, stuckTerminatingMs: 1000 },
      sweepMs: 300,
    });
    await engine.start(sim.contexts.admin);
    await kubectlOk(sim, ['create', 'namespace', 'plain']);
  });
  after(async () => {
    await engine?.close();
    await kube?.close();
    await store?.close();
    await sim?.close();
  });

  it('finds every pod reason and workload problem its rules claim, from plain manifests', async () => {
    const items = CASES.flatMap((c) => c[4]);
    await kubectlOk(sim, ['apply', '-f', '-'], { stdin: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
    // A pod kept by a finalizer nobody removes, deleted: it stays Terminating.
    await kubectlOk(sim, ['apply', '-f', '-'], {
      stdin: JSON.stringify({
        ...pod('stuck', { image: 'nginx:1.27' }),
        metadata: { name: 'stuck', namespace: 'plain', finalizers: ['example.com/block'] },
      }),
    });
    await kubectlOk(sim, ['wait', '--for=condition=Ready', 'pod/stuck', '-n', 'plain', '--timeout=30s']);
    await kubectlOk(sim, ['delete', 'pod', 'stuck', '-n', 'plain', '--wait=false']);

    const all = (): Incident[] => engine.list({ context: sim.contexts.admin, status: 'all' }).incidents;
    const missing = new Set(CASES.map((c) => c[0]));
    const end = Date.now() + 150_000;
    while (missing.size && Date.now() < end) {
      for (const [type, kind, name] of CASES)
        if (
          all().some(
            (i) =>
              i.type === type &&
              i.resource.kind === kind &&
              i.resource.name === name &&
              i.resource.namespace === 'plain',
          )
        )
          missing.delete(type);
      if (missing.size) await new Promise((r) => setTimeout(r, 250));
    }
    assert.deepEqual([...missing], [], `not found: ${[...missing].join(', ')}`);
    for (const [type, kind, name, cause] of CASES) {
      const inc = all().find((i) => i.type === type && i.resource.kind === kind && i.resource.name === name)!;
      assert.match(`${inc.rootCause} ${inc.description}`, cause, `${type}: ${inc.rootCause}`);
    }
    // No fault annotation anywhere: the failures came from the specs.
    const pods = JSON.parse(await kubectlOk(sim, ['get', 'pods', '-n', 'plain', '-o', 'json'])).items as Json[];
    for (const p of pods)
      assert.ok(
        !Object.keys((p.metadata as { annotations?: Json }).annotations ?? {}).some((a) =>
          a.startsWith('sim.kubegraf.io/'),
        ),
      );
    await kubectl(sim, [
      'patch',
      'pod',
      'stuck',
      '-n',
      'plain',
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    ]);
  });
});
