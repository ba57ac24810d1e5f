// The engine's contexts against the simulator: admin and viewer, switching, dead and silent clusters that delay no
// one, exec plugin approval, and kubeconfig files re-read when they change.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeEngine } from '../../src/core/kube/engine';
import { KubeError } from '../../src/core/kube/errors';
import { MemoryApprovalStore } from '../../src/core/kube/kubeconfig';
import type { ExecApprovalRequest } from '../../src/shared/kube';
import { startTestSim, eventually, type Sim } from '../helpers/sim';

describe('engine contexts (simulator)', function () {
  this.timeout(60_000);
  let sim: Sim;
  let silent: Server;
  const held: Socket[] = [];
  let dir: string;
  let extra: string;
  const engines: KubeEngine[] = [];
  const engine = (o: ConstructorParameters<typeof KubeEngine>[0]) => {
    const e = new KubeEngine({ probeTimeoutMs: 4000, watchFiles: false, ...o });
    engines.push(e);
    return e;
  };

  const extraConfig = (silentPort: number, more = '') => `apiVersion: v1
kind: Config
clusters:
- name: dead
  cluster: {server: https://127.0.0.1:1, insecure-skip-tls-verify: true}
- name: silent
  cluster: {server: https://127.0.0.1:${silentPort}, insecure-skip-tls-verify: true}
users:
- name: nobody
  user: {token: nope}
- name: exec-admin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /bin/sh
      args: ["-c", "echo '{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"${sim.tokens.admin}\\"}}'"]
contexts:
- name: dead
  context: {cluster: dead, user: nobody}
- name: silent
  context: {cluster: silent, user: nobody}
- name: sim-exec
  context: {cluster: kubegraf-sim, user: exec-admin}
${more}`;

  before(async () => {
    sim = await startTestSim();
    // Accepts TCP connections and never answers: a cluster behind a VPN that went away.
    silent = createServer((s) => {
      held.push(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    dir = mkdtempSync(join(tmpdir(), 'kubegraf-engine-ctx-'));
    extra = join(dir, 'extra.yaml');
    writeFileSync(extra, extraConfig((silent.address() as AddressInfo).port));
  });

  after(async () => {
    await Promise.all(engines.map((e) => e.close()));
    held.forEach((s) => s.destroy());
    silent.close();
    await sim.close();
  });

  it('lists every context with reachability, version and counts; dead and silent ones never hold up the rest', async () => {
    const e = engine({ files: [sim.kubeconfig, extra] });
    assert.deepEqual(e.contextNames(), [sim.contexts.admin, sim.contexts.viewer, 'dead', 'silent', 'sim-exec']);
    assert.equal(e.currentContext(), sim.contexts.admin);
    const silentDone = e.connect('silent');
    const deadDone = e.connect('dead');
    const [admin, viewer] = await Promise.all([e.connect(sim.contexts.admin), e.connect(sim.contexts.viewer)]);
    // The healthy contexts are ready while the silent one is still waiting for its answer.
    assert.equal(e.context('silent').connection.state, 'connecting');
    for (const c of [admin, viewer]) {
      assert.equal(c.connection.state, 'connected');
      assert.equal(c.serverVersion, 'v1.32.0');
      assert.equal(c.nodeCount, sim.ctx.store.count('nodes'));
      assert.equal(c.namespaceCount, sim.ctx.store.count('namespaces'));
      assert.equal(c.server, sim.server);
    }
    assert.equal(admin.current, true);
    assert.equal(viewer.current, false);
    assert.equal(admin.namespace, 'default');

    await deadDone;
    const dead = e.context('dead');
    assert.equal(dead.connection.state, 'unreachable');
    assert.ok(
      dead.connection.state === 'unreachable' &&
        dead.connection.code === 'unreachable' &&
        /ECONNREFUSED/.test(dead.connection.reason),
      JSON.stringify(dead.connection),
    );
    await silentDone;
    const s = e.context('silent').connection;
    assert.ok(s.state === 'unreachable' && s.code === 'timeout' && /no answer/.test(s.reason), JSON.stringify(s));
  });

  it('switches the current context and tells subscribers', async () => {
    const e = engine({ files: [sim.kubeconfig, extra] });
    const seen: string[] = [];
    e.events.on('contexts', (list) => seen.push(list.find((c) => c.current)!.name));
    const info = await e.switchContext(sim.contexts.viewer);
    assert.equal(info.current, true);
    assert.equal(info.connection.state, 'connected');
    assert.equal(e.currentContext(), sim.contexts.viewer);
    assert.equal(e.contexts().find((c) => c.name === sim.contexts.admin)!.current, false);
    assert.ok(seen.includes(sim.contexts.viewer));
    await assert.rejects(e.switchContext('nope'), (err: KubeError) => err.code === 'notFound');
  });

  it('asks before running an exec credential plugin, with the exact command, and remembers the answer per context', async () => {
    const store = new MemoryApprovalStore();
    const asked: ExecApprovalRequest[] = [];
    const refuse = engine({
      files: [sim.kubeconfig, extra],
      approvals: store,
      approveExec: (r) => (asked.push(r), false),
    });
    const refused = await refuse.connect('sim-exec');
    assert.ok(
      refused.connection.state === 'unreachable' && refused.connection.code === 'notApproved',
      JSON.stringify(refused.connection),
    );
    assert.equal(asked.length, 1);
    assert.equal(asked[0].context, 'sim-exec');
    assert.equal(asked[0].command, '/bin/sh');
    assert.match(asked[0].commandLine, /^\/bin\/sh -c 'echo /);
    assert.ok(asked[0].commandLine.includes(sim.tokens.admin));

    const approve = engine({
      files: [sim.kubeconfig, extra],
      approvals: store,
      approveExec: (r) => (asked.push(r), true),
    });
    assert.equal((await approve.connect('sim-exec')).connection.state, 'connected');
    assert.equal(asked.length, 2);
    // The plugin's token works for real requests too.
    assert.equal(
      await approve.actions('sim-exec').canI({ verb: 'delete', resource: 'pods', namespace: 'default' }),
      true,
    );

    const later = engine({
      files: [sim.kubeconfig, extra],
      approvals: store,
      approveExec: () => assert.fail('must not ask again'),
    });
    assert.equal((await later.connect('sim-exec')).connection.state, 'connected');
    assert.deepEqual(store.get('sim-exec'), [asked[0].commandLine]);
    // Approval is per context: an unapproved store asks again.
    const fresh = engine({ files: [sim.kubeconfig, extra], approveExec: () => false });
    assert.equal((await fresh.connect('sim-exec')).connection.state, 'unreachable');
  });

  it('re-reads kubeconfig files when they change', async () => {
    const e = engine({ files: [sim.kubeconfig, extra], watchFiles: true });
    const events: number[] = [];
    e.events.on('contexts', (l) => events.push(l.length));
    const tmp = join(dir, 'extra.yaml.tmp');
    writeFileSync(
      tmp,
      extraConfig(
        (silent.address() as AddressInfo).port,
        `- name: late\n  context: {cluster: kubegraf-sim, user: nobody}\n`,
      ),
    );
    renameSync(tmp, extra);
    await eventually(() => e.contextNames().includes('late'), 10_000);
    assert.ok(events.includes(6));
    const late = await e.connect('late');
    // A wrong token is a real 401 from the server, reported as unreachable with why.
    assert.equal(late.connection.state, 'unreachable');
    writeFileSync(extra, extraConfig((silent.address() as AddressInfo).port));
  });
});
