// Real kubectl 1.33 against `kubegraf sim`: the verbs beyond get/apply that lean on server behaviour —
// garbage collection (delete --cascade), eviction and drain, can-i --list, cp, wait, debug, events, watch, explain.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:https';
import { join } from 'node:path';
import {
  eventually,
  kubectl,
  kubectlOk,
  kubectlSpawn,
  simAdmin,
  startTestSim,
  waitForOutput,
  type Sim,
} from '../helpers/sim';

const MINOR = 33;

function deployment(name: string, replicas: number, image = 'nginx:1.27'): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
    },
  });
}

/** A DELETE with a DeleteOptions body (kubectl sends only propagationPolicy); rejects with the Status on failure. */
function deleteWith(sim: Sim, path: string, body?: unknown): Promise<void> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.server}${path}`,
      {
        method: 'DELETE',
        ca: sim.caPem,
        headers: {
          Authorization: `Bearer ${sim.tokens.admin}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let s = '';
        res.on('data', (c) => (s += c));
        res.on('end', () => ((res.statusCode ?? 500) >= 400 ? reject(new Error(`${res.statusCode} ${s}`)) : resolve()));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function create(sim: Sim, obj: unknown): Promise<void> {
  await kubectlOk(sim, ['create', '-f', '-'], { stdin: typeof obj === 'string' ? obj : JSON.stringify(obj) });
}

async function names(sim: Sim, kind: string, selector: string): Promise<string[]> {
  const out = await kubectlOk(sim, ['get', kind, '-l', selector, '-o', 'name']);
  return out.split('\n').filter(Boolean);
}

async function jsonOf(sim: Sim, ...args: string[]): Promise<Record<string, any>> {
  return JSON.parse(await kubectlOk(sim, ['get', ...args, '-o', 'json']));
}

async function readyDeployment(sim: Sim, name: string, replicas: number): Promise<void> {
  await create(sim, deployment(name, replicas));
  await kubectlOk(sim, ['wait', '--for=condition=Available', `deploy/${name}`, '--timeout=30s'], { timeoutMs: 40_000 });
  await eventually(async () => (await names(sim, 'pods', `app=${name}`)).length === replicas);
}

describe(`kubectl ${MINOR} verbs that lean on the server`, function () {
  this.timeout(120_000);
  let sim: Sim;
  before(async () => {
    sim = await startTestSim({ kubeMinor: MINOR });
  });
  after(() => sim.close());

  describe('garbage collection', () => {
    it('delete --cascade=orphan leaves the ReplicaSet and pods, without the reference to the deployment', async () => {
      await readyDeployment(sim, 'orphaned', 2);
      const out = await kubectlOk(sim, ['delete', 'deploy/orphaned', '--cascade=orphan']);
      assert.match(out, /deployment.apps "orphaned" deleted/);
      await eventually(async () => (await kubectl(sim, ['get', 'deploy/orphaned'])).code !== 0);
      const rs = await jsonOf(sim, 'rs', '-l', 'app=orphaned');
      assert.equal(rs.items.length, 1);
      assert.equal(rs.items[0].metadata.ownerReferences, undefined);
      assert.equal(rs.items[0].metadata.deletionTimestamp, undefined);
      const pods = await jsonOf(sim, 'pods', '-l', 'app=orphaned');
      assert.equal(pods.items.length, 2);
      for (const p of pods.items) assert.equal(p.metadata.ownerReferences[0].kind, 'ReplicaSet');
      // Nothing comes to collect them later either.
      await kubectlOk(sim, ['get', `rs/${rs.items[0].metadata.name}`]);
    });

    it('delete --cascade=background (the default) removes the deployment, then its ReplicaSets and pods', async () => {
      await readyDeployment(sim, 'background', 2);
      await kubectlOk(sim, ['delete', 'deploy/background', '--cascade=background']);
      await eventually(async () => (await names(sim, 'rs', 'app=background')).length === 0);
      await eventually(async () => (await names(sim, 'pods', 'app=background')).length === 0);
      await readyDeployment(sim, 'default-cascade', 1);
      await kubectlOk(sim, ['delete', 'deploy/default-cascade']);
      await eventually(async () => (await names(sim, 'rs,pods', 'app=default-cascade')).length === 0);
    });

    it('delete --cascade=foreground returns once the dependents are gone', async () => {
      await readyDeployment(sim, 'foreground', 2);
      await kubectlOk(sim, ['delete', 'deploy/foreground', '--cascade=foreground'], { timeoutMs: 40_000 });
      assert.notEqual((await kubectl(sim, ['get', 'deploy/foreground'])).code, 0);
      await eventually(async () => (await names(sim, 'rs,pods', 'app=foreground')).length === 0);
    });

    it('foreground deletion waits, with its finalizer, for a dependent that blocks owner deletion', async () => {
      await create(sim, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fg-owner', namespace: 'default' } });
      const owner = await jsonOf(sim, 'cm/fg-owner');
      const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'fg-owner', uid: owner.metadata.uid };
      await create(sim, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'fg-blocker',
          namespace: 'default',
          finalizers: ['example.com/hold'],
          ownerReferences: [{ ...ref, blockOwnerDeletion: true }],
        },
      });
      await create(sim, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'fg-other', namespace: 'default', ownerReferences: [ref] },
      });
      await kubectlOk(sim, ['delete', 'cm/fg-owner', '--cascade=foreground', '--wait=false']);
      await eventually(async () => (await kubectl(sim, ['get', 'cm/fg-other'])).code !== 0);
      const waiting = await jsonOf(sim, 'cm/fg-owner');
      assert.ok(waiting.metadata.deletionTimestamp);
      assert.deepEqual(waiting.metadata.finalizers, ['foregroundDeletion']);
      const blocker = await jsonOf(sim, 'cm/fg-blocker');
      assert.ok(blocker.metadata.deletionTimestamp);
      // The owner stays while the blocking dependent does.
      await kubectlOk(sim, ['get', 'cm/fg-owner']);
      await kubectlOk(sim, ['patch', 'cm/fg-blocker', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
      await eventually(async () => (await kubectl(sim, ['get', 'cm/fg-owner'])).code !== 0);
      assert.notEqual((await kubectl(sim, ['get', 'cm/fg-blocker'])).code, 0);
    });

    it('honours orphanDependents, propagationPolicy as a query parameter, and an orphan finalizer set beforehand', async () => {
      const owned = async (owner: string, dep: string, ownerFinalizers?: string[]) => {
        await create(sim, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: owner, namespace: 'default', ...(ownerFinalizers ? { finalizers: ownerFinalizers } : {}) },
        });
        const uid = (await jsonOf(sim, `cm/${owner}`)).metadata.uid;
        await create(sim, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: dep,
            namespace: 'default',
            ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid }],
          },
        });
      };
      const path = (n: string) => `/api/v1/namespaces/default/configmaps/${n}`;
      const orphaned = async (dep: string) => {
        const d = await jsonOf(sim, `cm/${dep}`);
        return d.metadata.ownerReferences === undefined;
      };

      await owned('od-owner', 'od-dep');
      await deleteWith(sim, path('od-owner'), { orphanDependents: true });
      await eventually(async () => (await kubectl(sim, ['get', 'cm/od-owner'])).code !== 0);
      assert.ok(await orphaned('od-dep'));

      await owned('q-owner', 'q-dep');
      await deleteWith(sim, `${path('q-owner')}?propagationPolicy=Orphan`);
      await eventually(async () => (await kubectl(sim, ['get', 'cm/q-owner'])).code !== 0);
      assert.ok(await orphaned('q-dep'));

      await owned('f-owner', 'f-dep', ['orphan']);
      await kubectlOk(sim, ['delete', 'cm/f-owner', '--wait=false']);
      await eventually(async () => (await kubectl(sim, ['get', 'cm/f-owner'])).code !== 0);
      assert.ok(await orphaned('f-dep'));

      await owned('bg-owner', 'bg-dep');
      await deleteWith(sim, path('bg-owner'), { orphanDependents: false });
      await eventually(async () => (await kubectl(sim, ['get', 'cm/bg-dep'])).code !== 0);

      await assert.rejects(
        deleteWith(sim, path('od-dep'), { propagationPolicy: 'Sometimes' }),
        /422 .*Unsupported value: \\"Sometimes\\": supported values: \\"Foreground\\", \\"Background\\", \\"Orphan\\"/,
      );
      await assert.rejects(
        deleteWith(sim, path('od-dep'), { propagationPolicy: 'Orphan', orphanDependents: true }),
        /422 .*orphanDependents and deletionPropagation cannot be both set/,
      );
      await kubectlOk(sim, ['get', 'cm/od-dep']);
    });

    it('keeps a dependent that still has another owner, dropping the reference to the one gone', async () => {
      await create(sim, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two-a', namespace: 'default' } });
      await create(sim, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two-b', namespace: 'default' } });
      const refs = await Promise.all(
        ['two-a', 'two-b'].map(async (n) => ({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: n,
          uid: (await jsonOf(sim, `cm/${n}`)).metadata.uid,
        })),
      );
      await create(sim, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'two-dep', namespace: 'default', ownerReferences: refs },
      });
      await kubectlOk(sim, ['delete', 'cm/two-a']);
      await eventually(async () => (await jsonOf(sim, 'cm/two-dep')).metadata.ownerReferences.length === 1);
      assert.equal((await jsonOf(sim, 'cm/two-dep')).metadata.ownerReferences[0].name, 'two-b');
    });
  });

  describe('access', () => {
    it('auth can-i --list shows the admin everything and the viewer its read rules', async () => {
      const admin = await kubectlOk(sim, ['auth', 'can-i', '--list']);
      assert.match(admin, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
      assert.match(admin, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
      const viewer = await kubectlOk(sim, ['auth', 'can-i', '--list', '-n', 'default'], { viewer: true });
      assert.match(viewer, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
      assert.match(viewer, /^deployments\.apps\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
      assert.match(viewer, /^selfsubjectrulesreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
      assert.match(viewer, /^pods\/log\s+\[\]\s+\[\]\s+\[get\]$/m);
      assert.doesNotMatch(viewer, /^secrets\s/m);
      assert.doesNotMatch(viewer, /^\*\.\*/m);
    });
  });

  describe('a running pod', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubegraf-verbs-'));
    before(async () => {
      await create(sim, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'box', namespace: 'default', labels: { app: 'box' } },
        spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
      });
      await kubectlOk(sim, ['wait', '--for=jsonpath={.status.phase}=Running', 'pod/box', '--timeout=30s'], {
        timeoutMs: 40_000,
      });
    });

    it('kubectl cp copies a file and a directory out of the pod', async () => {
      const r = await kubectl(sim, ['cp', 'box:/etc/hostname', join(dir, 'hostname')]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(join(dir, 'hostname'), 'utf8'), 'box\n');
      await kubectlOk(sim, ['cp', 'box:/etc', join(dir, 'etc')]);
      assert.equal(readFileSync(join(dir, 'etc', 'hostname'), 'utf8'), 'box\n');
      assert.match(readFileSync(join(dir, 'etc', 'resolv.conf'), 'utf8'), /nameserver 10\.96\.0\.10/);
      await kubectl(sim, ['cp', 'box:/nope/file', join(dir, 'nope')]);
      assert.ok(!existsSync(join(dir, 'nope')));
    });

    it('kubectl cp copies a local file into the pod, where later execs (and cp back) find it', async () => {
      writeFileSync(join(dir, 'notes.txt'), 'line one\nline two ✓\n');
      await kubectlOk(sim, ['cp', join(dir, 'notes.txt'), 'box:/tmp/notes.txt']);
      assert.equal(await kubectlOk(sim, ['exec', 'box', '--', 'cat', '/tmp/notes.txt']), 'line one\nline two ✓\n');
      assert.match(await kubectlOk(sim, ['exec', 'box', '--', 'ls', '/tmp']), /notes\.txt/);
      await kubectlOk(sim, ['cp', 'box:/tmp/notes.txt', join(dir, 'back.txt')]);
      assert.equal(readFileSync(join(dir, 'back.txt'), 'utf8'), 'line one\nline two ✓\n');
    });

    it('kubectl wait for a condition, a jsonpath value and a deletion', async () => {
      await kubectlOk(sim, ['wait', '--for=condition=Ready', 'pod/box', '--timeout=20s']);
      const out = await kubectlOk(sim, ['wait', '--for=jsonpath={.spec.containers[0].name}=main', 'pod/box']);
      assert.match(out, /pod\/box condition met/);
      await create(sim, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'doomed', namespace: 'default' },
        spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
      });
      // -v=6 logs each request once answered: delete only when kubectl watches the pod (a pod gone before it
      // looked is "nothing to wait for", which prints nothing).
      const waiting = kubectlSpawn(sim, ['wait', '--for=delete', 'pod/doomed', '--timeout=30s', '-v=6']);
      let stdout = '';
      waiting.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      const exit = new Promise<number | null>((resolve) => waiting.on('close', (code) => resolve(code)));
      await waitForOutput(waiting.stderr!, (all) => /pods\?[^\s"]*watch=true[^\n]*200/.test(all), 30_000);
      await kubectlOk(sim, ['delete', 'pod/doomed', '--wait=false']);
      assert.equal(await exit, 0);
      assert.match(stdout, /pod\/doomed condition met/);
      const timeout = await kubectl(sim, ['wait', '--for=condition=Ready=false', 'pod/box', '--timeout=1s']);
      assert.notEqual(timeout.code, 0);
      assert.match(timeout.stderr, /timed out waiting for the condition on pods\/box/);
    });

    it('kubectl debug adds an ephemeral container that runs its command, with logs and status', async () => {
      const r = await kubectl(sim, [
        'debug',
        'pod/box',
        '--image=busybox',
        '-c',
        'dbg',
        '--profile=general',
        '--',
        'sh',
        '-c',
        'echo hi from debug',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const pod = await jsonOf(sim, 'pod/box');
      const spec = pod.spec.ephemeralContainers.find((c: { name: string }) => c.name === 'dbg');
      assert.deepEqual(spec.command, ['sh', '-c', 'echo hi from debug']);
      assert.equal(spec.terminationMessagePolicy, 'File');
      const done = await eventually(async () => {
        const st = (await jsonOf(sim, 'pod/box')).status.ephemeralContainerStatuses?.[0];
        return st?.state?.terminated ? st : undefined;
      });
      assert.equal(done.name, 'dbg');
      assert.equal(done.state.terminated.reason, 'Completed');
      assert.equal(done.state.terminated.exitCode, 0);
      assert.equal(await kubectlOk(sim, ['logs', 'pod/box', '-c', 'dbg']), 'hi from debug\n');
      // The pod's own containers and status are untouched.
      assert.equal((await jsonOf(sim, 'pod/box')).status.phase, 'Running');

      const again = await kubectl(sim, [
        'debug',
        'pod/box',
        '--image=busybox',
        '-c',
        'dbg',
        '--profile=general',
        '--',
        'true',
      ]);
      assert.notEqual(again.code, 0);
      assert.match(
        again.stderr,
        /The Pod "box" is invalid: spec.ephemeralContainers\[0\]: Forbidden: existing ephemeral containers "dbg" may not be changed/,
      );
      const viewer = await kubectl(sim, ['debug', 'pod/box', '--image=busybox', '-c', 'dbg2', '--profile=general'], {
        viewer: true,
      });
      assert.notEqual(viewer.code, 0);
      assert.match(viewer.stderr, /cannot patch resource "pods\/ephemeralcontainers"/);
    });

    it('kubectl events --for shows the events of that object only', async () => {
      const out = await eventually(async () => {
        const o = await kubectlOk(sim, ['events', '--for', 'pod/box']);
        return /Started container: dbg/.test(o) ? o : undefined;
      });
      const lines = out.trim().split('\n');
      assert.match(lines[0], /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
      for (const l of lines.slice(1)) assert.match(l, /\sPod\/box\s/);
      assert.ok(
        lines.some((l) => /Normal\s+Started\s+Pod\/box\s+Started container: main/.test(l)),
        out,
      );
      assert.doesNotMatch(out, /doomed/);
    });
  });

  describe('watch', () => {
    it('get pods --watch prints the table, then a row per change; --output-watch-events names the event', async () => {
      await create(sim, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'w-first', namespace: 'default', labels: { app: 'watched' } },
        spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
      });
      const plain = kubectlSpawn(sim, ['get', 'pods', '-l', 'app=watched', '--watch']);
      const events = kubectlSpawn(sim, ['get', 'pods', '-l', 'app=watched', '--watch', '--output-watch-events']);
      try {
        const head = await waitForOutput(plain.stdout!, (s) => /w-first/.test(s));
        assert.match(head.split('\n')[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
        const headE = await waitForOutput(events.stdout!, (s) => /w-first/.test(s));
        assert.match(headE.split('\n')[0], /^EVENT\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
        assert.match(headE, /^ADDED\s+w-first\s+/m);
        const later = waitForOutput(events.stdout!, (s) => /^MODIFIED\s+w-second\s+1\/1\s+Running\s/m.test(s), 30_000);
        const laterPlain = waitForOutput(plain.stdout!, (s) => /^w-second\s+1\/1\s+Running\s/m.test(s), 30_000);
        await create(sim, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'w-second', namespace: 'default', labels: { app: 'watched' } },
          spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
        });
        const seen = await later;
        assert.match(seen, /^ADDED\s+w-second\s+0\/1\s+Pending\s/m);
        await laterPlain;
        const gone = waitForOutput(events.stdout!, (s) => /^DELETED\s+w-second\s/m.test(s), 30_000);
        await kubectlOk(sim, ['delete', 'pod/w-second', '--grace-period=0', '--force']);
        await gone;
      } finally {
        plain.kill();
        events.kill();
      }
    });
  });

  describe('explain', () => {
    it('explains built-in fields from OpenAPI v3', async () => {
      const out = await kubectlOk(sim, ['explain', 'deployment.spec.replicas']);
      assert.match(out, /^GROUP:\s+apps$/m);
      assert.match(out, /^KIND:\s+Deployment$/m);
      assert.match(out, /^VERSION:\s+v1$/m);
      assert.match(out, /^FIELD: replicas <integer>$/m);
      assert.match(out, /DESCRIPTION:\n\s+Number of desired pods/);
      const pod = await kubectlOk(sim, ['explain', 'pods.spec.ephemeralContainers']);
      assert.match(pod, /^FIELD: ephemeralContainers <\[\]EphemeralContainer>$/m);
    });

    it("explains a custom resource from its CRD's schema", async () => {
      await create(sim, {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  description: 'A widget.',
                  properties: {
                    spec: {
                      type: 'object',
                      description: 'What the widget should be.',
                      required: ['size'],
                      properties: {
                        size: { type: 'integer', description: 'How big.' },
                        color: { type: 'string', description: 'Its colour.' },
                      },
                    },
                  },
                },
              },
            },
          ],
        },
      });
      const out = await eventually(async () => {
        const r = await kubectl(sim, ['explain', 'widget.spec']);
        return r.code === 0 ? r.stdout : undefined;
      });
      assert.match(out, /^GROUP:\s+example\.com$/m);
      assert.match(out, /^KIND:\s+Widget$/m);
      assert.match(out, /^FIELD: spec <Object>$/m);
      assert.match(out, /What the widget should be\./);
      assert.match(out, /^\s+color\s+<string>\n\s+Its colour\./m);
      assert.match(out, /^\s+size\s+<integer> -required-\n\s+How big\./m);
    });
  });
});

describe(`kubectl ${MINOR} drain and the eviction API`, function () {
  this.timeout(120_000);
  let sim: Sim;
  before(async () => {
    sim = await startTestSim({ kubeMinor: MINOR });
  });
  after(() => sim.close());

  const evictionPath = (pod: string) => `/api/v1/namespaces/default/pods/${pod}/eviction`;
  const eviction = (pod: string) => ({
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: pod, namespace: 'default' },
  });
  const pdb = (name: string, app: string, minAvailable: number) => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default' },
    spec: { minAvailable, selector: { matchLabels: { app } } },
  });

  it('answers 429 with the disruption budget cause when no disruption is allowed', async () => {
    await readyDeployment(sim, 'guarded', 2);
    await create(sim, pdb('guarded-pdb', 'guarded', 2));
    await eventually(async () => (await jsonOf(sim, 'pdb/guarded-pdb')).status?.currentHealthy === 2);
    const [pod] = (await names(sim, 'pods', 'app=guarded')).map((n) => n.replace('pod/', ''));
    await assert.rejects(simAdmin(sim, 'POST', evictionPath(pod), eviction(pod)), (e: Error) => {
      assert.match(e.message, /: 429 /);
      const status = JSON.parse(e.message.slice(e.message.indexOf('{')));
      assert.equal(status.reason, 'TooManyRequests');
      assert.equal(status.message, "Cannot evict pod as it would violate the pod's disruption budget.");
      assert.equal(status.details.causes[0].reason, 'DisruptionBudget');
      assert.match(
        status.details.causes[0].message,
        /The disruption budget guarded-pdb needs 2 healthy pods and has 2 currently/,
      );
      return true;
    });
    await kubectlOk(sim, ['get', `pod/${pod}`]);
    assert.equal((await jsonOf(sim, 'pdb/guarded-pdb')).status.disruptionsAllowed, 0);
  });

  it('drain is blocked by the budget, retries, and gives up at --timeout', async () => {
    const r = await kubectl(sim, ['drain', 'node-1', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=5s'], {
      timeoutMs: 40_000,
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stdout, /node\/node-1 cordoned/);
    assert.match(
      r.stderr,
      /error when evicting pods\/"guarded-[a-z0-9-]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./,
    );
    assert.match(r.stderr, /global timeout reached: 5s/);
    assert.equal((await names(sim, 'pods', 'app=guarded')).length, 2);
    assert.equal((await jsonOf(sim, 'node/node-1')).spec.unschedulable, true);
  });

  it('drain evicts every pod once the budget allows it, and uncordon undoes the cordon', async () => {
    await kubectlOk(sim, ['delete', 'pdb/guarded-pdb']);
    const before = await names(sim, 'pods', 'app=guarded');
    const r = await kubectl(
      sim,
      ['drain', 'node-1', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s'],
      { timeoutMs: 70_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    for (const p of before) assert.match(r.stdout, new RegExp(`${p} evicted`));
    assert.match(r.stdout, /node\/node-1 drained/);
    for (const p of before) assert.notEqual((await kubectl(sim, ['get', p])).code, 0);
    // Replacements wait, unschedulable, until the node is uncordoned.
    await eventually(async () => (await names(sim, 'pods', 'app=guarded')).length === 2);
    const pending = await jsonOf(sim, 'pods', '-l', 'app=guarded');
    for (const p of pending.items) assert.equal(p.spec.nodeName, undefined);
    await kubectlOk(sim, ['uncordon', 'node-1']);
    await kubectlOk(sim, ['wait', '--for=condition=Available', 'deploy/guarded', '--timeout=30s'], {
      timeoutMs: 40_000,
    });
  });
});

describe(`kubectl ${MINOR} explain on the demo cluster's CRDs`, function () {
  this.timeout(60_000);
  let sim: Sim;
  before(async () => {
    sim = await startTestSim({ kubeMinor: MINOR, scenario: 'demo' });
  });
  after(() => sim.close());

  it("explains an Argo CD Application's spec from its CRD", async () => {
    const out = await kubectlOk(sim, ['explain', 'application.spec']);
    assert.match(out, /^GROUP:\s+argoproj\.io$/m);
    assert.match(out, /^KIND:\s+Application$/m);
    assert.match(out, /^VERSION:\s+v1alpha1$/m);
    assert.match(out, /^FIELD: spec <Object>$/m);
    assert.match(out, /^\s+destination\s+<Object>$/m);
    assert.match(out, /^\s+project\s+<string>$/m);
    const repo = await kubectlOk(sim, ['explain', 'applications.spec.source.repoURL']);
    assert.match(repo, /^FIELD: repoURL <string>$/m);
    assert.match(repo, /RepoURL is the URL to the repository/);
  });
});
