// The engines opened over a host's own Kubernetes engine (the VS Code extension host): the host connects lazily,
// so opening the dashboard's engines connects the current context, and closing them leaves the host's engine running.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeEngine } from '../../src/core/kube/engine';
import { openDeps } from '../../src/core/api/deps';
import { CLUSTER_HANDLERS } from '../../src/core/api/cluster';
import { startTestSim, eventually, type Sim } from '../helpers/sim';

describe('engines over a host-owned Kubernetes engine (simulator)', function () {
  this.timeout(60_000);
  let sim: Sim;
  let engine: KubeEngine;
  before(async () => {
    sim = await startTestSim();
    engine = new KubeEngine({ files: [sim.kubeconfig], watchFiles: false });
  });
  after(async () => {
    await engine?.close();
    await sim?.close();
  });

  it('connects the current context the host has not connected yet, so /api/status says connected', async () => {
    const current = engine.currentContext();
    assert.equal(engine.context(current).connection.state, 'idle', 'the host connects lazily');
    const deps = await openDeps({
      engine,
      dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-deps-')),
      kubeconfigFiles: [sim.kubeconfig],
    });
    try {
      const status = await eventually(async () => {
        const s = await CLUSTER_HANDLERS.status({} as never, deps, { face: 'webview' });
        return s.connected ? s : undefined;
      }, 20_000);
      assert.equal(status.context, current);
      assert.equal(status.connection.state, 'connected');
    } finally {
      await deps.close();
    }
    assert.equal(
      engine.context(current).connection.state,
      'connected',
      "closing the engines leaves the host's connection alone",
    );
  });
});
