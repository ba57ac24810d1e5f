// Real kubectl against `kubegraf sim`: the core API, at the oldest and newest kubectl the machine's dispatcher has
// (it picks the binary from the server's /version), found next to the dispatcher's real path at test time.
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  KUBECTL,
  eventually,
  startTestSim,
  kubectl,
  kubectlOk,
  kubectlSpawn,
  waitForOutput,
  type Sim,
} from '../helpers/sim';

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: team-a, labels: {app: web, tier: front}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: "nginx:1.27"}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: team-a, labels: {app: web}}
data: {color: blue}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other, namespace: team-b}
data: {}
`;

/** The minor versions the kubectl dispatcher can run: its `kubectl.1.NN` siblings. */
function installedMinors(): number[] {
  const dir = dirname(realpathSync(KUBECTL));
  const minors = readdirSync(dir)
    .map((f) => /^kubectl\.1\.(\d+)$/.exec(f)?.[1])
    .filter((m): m is string => !!m)
    .map(Number)
    .sort((a, b) => a - b);
  if (!minors.length) throw new Error(`no kubectl.1.NN binaries next to ${realpathSync(KUBECTL)}`);
  return [...new Set([minors[0], minors[minors.length - 1]])];
}

for (const minor of installedMinors()) {
  describe(`sim with kubectl 1.${minor}`, function () {
    let sim: Sim;
    const dir = mkdtempSync(join(tmpdir(), 'kubegraf-test-'));

    before(async () => {
      sim = await startTestSim({ kubeMinor: minor });
      writeFileSync(
        join(dir, 'ns-a.json'),
        JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }),
      );
      writeFileSync(
        join(dir, 'ns-b.json'),
        JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } }),
      );
      writeFileSync(join(dir, 'app.yaml'), MANIFEST);
      await kubectlOk(sim, ['create', '-f', join(dir, 'ns-a.json'), '-f', join(dir, 'ns-b.json')]);
      await kubectlOk(sim, ['create', '-f', join(dir, 'app.yaml')]);
    });
    after(() => sim.close());

    it('reports the chosen server version', async () => {
      const out = await kubectlOk(sim, ['version', '-o', 'json']);
      assert.equal(JSON.parse(out).serverVersion.minor, String(minor));
    });

    it('gets across all namespaces with server-side columns', async () => {
      const out = await kubectlOk(sim, ['get', 'configmaps', '-A']);
      const lines = out.trim().split('\n');
      assert.match(lines[0], /^NAMESPACE\s+NAME\s+DATA\s+AGE$/);
      assert.ok(
        lines.some((l) => /^team-a\s+settings\s+1\s+\d+s$/.test(l)),
        out,
      );
      assert.ok(
        lines.some((l) => /^team-b\s+other\s+0\s+/.test(l)),
        out,
      );
    });

    it('shows -o wide columns and labels', async () => {
      const out = await kubectlOk(sim, ['get', 'deploy', '-n', 'team-a', '-o', 'wide', '--show-labels']);
      assert.match(out, /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\s+LABELS/);
      assert.match(out, /web\s+\d\/2\s+\d+\s+\d+\s+\S+\s+nginx\s+nginx:1\.27\s+app=web\s+app=web,tier=front/);
    });

    it('prints -o yaml with server-set metadata', async () => {
      const out = await kubectlOk(sim, ['get', 'cm', 'settings', '-n', 'team-a', '-o', 'yaml']);
      assert.match(out, /^apiVersion: v1\n/);
      assert.match(out, /color: blue/);
      assert.match(out, /uid: [0-9a-f-]{36}/);
      assert.match(out, /resourceVersion: "\d+"/);
    });

    it('filters by label and field selectors', async () => {
      const byLabel = await kubectlOk(sim, ['get', 'cm', '-A', '-l', 'app in (web,api)', '-o', 'name']);
      assert.deepEqual(byLabel.trim().split('\n'), ['configmap/settings']);
      const byField = await kubectlOk(sim, [
        'get',
        'cm',
        '-A',
        '--field-selector',
        'metadata.namespace!=team-a',
        '-o',
        'name',
      ]);
      assert.ok(byField.includes('configmap/other') && !byField.includes('settings'), byField);
    });

    it('pages lists with continue tokens', async () => {
      for (let i = 0; i < 7; i++)
        await kubectlOk(sim, ['create', '-f', '-'], {
          stdin: JSON.stringify({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: `page-${i}`, namespace: 'team-b' },
          }),
        });
      const r = await kubectl(sim, ['get', 'cm', '-n', 'team-b', '--chunk-size=3', '-o', 'name', '-v=6']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((r.stderr.match(/configmaps\?continue=/g) ?? []).length, 2, 'three pages: two follow-up requests');
      const names = r.stdout.split('\n').filter((l) => l.startsWith('configmap/'));
      assert.equal(names.length, 8);
      assert.equal(new Set(names).size, 8);
    });

    it('streams changes with get -w', async () => {
      const w = kubectlSpawn(sim, ['get', 'cm', '-n', 'team-b', '-w', '-o', 'name']);
      try {
        await waitForOutput(w.stdout!, (s) => s.includes('configmap/other'));
        const seen = waitForOutput(w.stdout!, (s) => s.includes('configmap/watched'));
        await kubectlOk(sim, ['create', '-f', '-'], {
          stdin: JSON.stringify({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'watched', namespace: 'team-b' },
          }),
        });
        await seen;
      } finally {
        w.kill();
      }
    });

    it('lists api-resources from discovery', async () => {
      const out = await kubectlOk(sim, ['api-resources']);
      assert.match(out, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      assert.match(out, /^nodes\s+no\s+v1\s+false\s+Node$/m);
      assert.match(out, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    });

    it('explains a missing object the way a real server does', async () => {
      const r = await kubectl(sim, ['get', 'pod', 'nope', '-n', 'team-a']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), 'Error from server (NotFound): pods "nope" not found');
      const d = await kubectl(sim, ['delete', 'cm', 'ghost', '-n', 'team-a']);
      assert.equal(d.stderr.trim(), 'Error from server (NotFound): configmaps "ghost" not found');
    });

    it('rejects an unknown kind', async () => {
      const r = await kubectl(sim, ['get', 'flurbs']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /the server doesn't have a resource type "flurbs"/);
    });

    it('forbids the viewer from writing', async () => {
      const r = await kubectl(sim, ['delete', 'cm', 'settings', '-n', 'team-a'], { viewer: true });
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /Error from server \(Forbidden\): configmaps "settings" is forbidden: User "viewer" cannot delete resource "configmaps" in API group "" in the namespace "team-a"/,
      );
      const still = await kubectlOk(sim, ['get', 'cm', 'settings', '-n', 'team-a', '-o', 'name'], { viewer: true });
      assert.equal(still.trim(), 'configmap/settings');
    });

    it('deletes and the object is gone', async () => {
      await kubectlOk(sim, ['delete', 'cm', 'other', '-n', 'team-b']);
      const r = await kubectl(sim, ['get', 'cm', 'other', '-n', 'team-b']);
      assert.match(r.stderr, /NotFound/);
    });

    it("prints an unreachable, cordoned node as NotReady,SchedulingDisabled and jobs with this version's columns", async () => {
      await kubectlOk(sim, ['annotate', 'node', 'node-1', 'sim.kubegraf.io/fault=notready']);
      await kubectlOk(sim, ['cordon', 'node-1']);
      await eventually(async () =>
        /^node-1\s+NotReady,SchedulingDisabled\s+<none>\s+\S+\s+v1\./m.test(await kubectlOk(sim, ['get', 'nodes'])),
      );
      await kubectlOk(sim, ['create', 'job', 'once', '-n', 'team-a', '--image=busybox']);
      const out = await kubectlOk(sim, ['get', 'jobs', '-n', 'team-a']);
      // The API server's job printer has a STATUS column from 1.30 on.
      assert.match(
        out.split('\n')[0],
        minor >= 30 ? /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/ : /^NAME\s+COMPLETIONS\s+DURATION\s+AGE$/,
      );
      assert.match(out, minor >= 30 ? /^once\s+Running\s+0\/1\s+/m : /^once\s+0\/1\s+/m);
    });
  });
}
