// Spawned processes get argument arrays that no release name can turn into flags: a `helm` on PATH that records its
// argv shows `--` before every positional argument, and a release whose decoded name is `--kubeconfig=…` is refused
// before anything runs. Rollback and uninstall are native, so they never spawn helm at all.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { helmRelease } from '../../src/sim/scenarios/seed';
import { api, startHarness, type Harness } from './serverHelpers';
import { runHelm } from '../../src/core/integrations/helm';
import type { ApiDeps } from '../../src/core/api/deps';

describe('kubegraf web: arguments of spawned processes (helm)', function () {
  this.timeout(60_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  const dir = mkdtempSync(join(tmpdir(), 'kubegraf-fake-helm-'));
  const argvFile = join(dir, 'argv');
  const saved = { PATH: process.env.PATH, HELM_ARGV_FILE: process.env.HELM_ARGV_FILE };

  before(async () => {
    writeFileSync(join(dir, 'helm'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$HELM_ARGV_FILE"\n');
    chmodSync(join(dir, 'helm'), 0o755);
    process.env.PATH = `${dir}${delimiter}${process.env.PATH}`;
    process.env.HELM_ARGV_FILE = argvFile;
    h = await startHarness();
    A = api(h);
    const secret = helmRelease('shop', '--kubeconfig=/tmp/stolen', 1, {
      chart: 'evil',
      version: '1.0.0',
      appVersion: '1',
      status: 'deployed',
      description: 'Install complete',
      deployedAt: '2026-01-01T00:00:00Z',
      firstDeployedAt: '2026-01-01T00:00:00Z',
    }) as { metadata: { name: string; labels: Record<string, string> } };
    secret.metadata.name = 'sh.helm.release.v1.evil.v1';
    secret.metadata.labels.name = 'evil';
    h.sim.ctx.store.create(h.sim.ctx.types.get('', 'v1', 'secrets')!, secret as never);
  });

  after(async () => {
    process.env.PATH = saved.PATH;
    if (saved.HELM_ARGV_FILE === undefined) delete process.env.HELM_ARGV_FILE;
    else process.env.HELM_ARGV_FILE = saved.HELM_ARGV_FILE;
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a release name that is not a Kubernetes name, and runs nothing', async () => {
    const r = await A.post('/api/apps/uninstall', { name: '--kubeconfig=/tmp/stolen' });
    assert.equal(r.status, 400, r.text);
    assert.match(r.body.error.message, /not a valid Helm release name/);
    assert.equal(existsSync(argvFile), false, 'helm never ran');
  });

  it('ends the flags with -- before the release and the chart', async () => {
    await runHelm({ kubeconfigFiles: [h.sim.kubeconfig] } as ApiDeps, 'kubegraf-sim', {
      command: 'install',
      release: 'shop',
      namespace: 'shop',
      rest: ['oci://registry.example.com/charts/shop'],
      flags: ['--wait'],
    });
    const argv = readFileSync(argvFile, 'utf8').trim().split('\n');
    assert.equal(argv[0], 'install');
    assert.deepEqual(argv.slice(argv.indexOf('--')), ['--', 'shop', 'oci://registry.example.com/charts/shop']);
    assert.ok(argv.includes('--namespace=shop'), argv.join(' '));
    rmSync(argvFile);
  });

  it('rolls back and uninstalls without running helm, even when it is on PATH', async () => {
    const rb = await A.post('/api/plugins/helm/rollback', { name: 'shop', namespace: 'shop', revision: 1 });
    assert.equal(rb.status, 200, rb.text);
    const un = await A.post('/api/apps/uninstall', { name: 'shop', namespace: 'shop' });
    assert.equal(un.status, 200, un.text);
    assert.equal(existsSync(argvFile), false, 'helm never ran');
  });
});
