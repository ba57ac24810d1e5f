// `kubegraf sim` as users' scripts run it: one JSON ready line, a kubeconfig kubectl accepts, clean exit on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { KUBECTL } from '../helpers/sim';
import { cliArgs } from '../helpers/cli';

describe('kubegraf sim (the command)', function () {
  this.timeout(30_000);

  it('prints one ready line with the real port, writes both contexts, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubegraf-cli-'));
    const kubeconfig = join(dir, 'kc.yaml');
    const child = spawn(
      process.execPath,
      cliArgs('sim', '--port', '0', '--scenario', 'empty', '--kube-minor', '31', '--kubeconfig-out', kubeconfig),
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines: string[] = [];
    const first = await new Promise<string>((ok, fail) => {
      child.once('exit', (c) => fail(new Error(`exited early with ${c}`)));
      createInterface(child.stdout!).on('line', (l) => {
        lines.push(l);
        if (lines.length === 1) ok(l);
      });
    });
    const ready = JSON.parse(first);
    assert.equal(ready.event, 'ready');
    assert.equal(ready.kubeconfig, kubeconfig);
    const port = Number(new URL(ready.server).port);
    assert.ok(port > 0, 'the line carries the real port');
    assert.match(readFileSync(kubeconfig, 'utf8'), /certificate-authority-data: /);
    const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache') };
    const contexts = execFileSync(KUBECTL, ['config', 'get-contexts', '-o', 'name'], { env })
      .toString()
      .trim()
      .split('\n')
      .sort();
    assert.deepEqual(contexts, ['kubegraf-sim', 'kubegraf-sim-viewer']);
    const version = JSON.parse(execFileSync(KUBECTL, ['version', '-o', 'json'], { env }).toString());
    assert.equal(version.serverVersion.minor, '31');
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal(lines.length, 1, 'exactly one line on stdout');
  });

  it('refuses bad options with a readable message and exit code 2', () => {
    let err: { status?: number; stderr?: Buffer } = {};
    try {
      execFileSync(process.execPath, cliArgs('sim', '--scenario', 'prod'), { stdio: 'pipe' });
    } catch (e) {
      err = e as typeof err;
    }
    assert.equal(err.status, 2);
    assert.match(String(err.stderr), /--scenario must be demo, empty or scale, got "prod"/);
  });

  it('--help describes every option of both commands on stdout and exits 0', () => {
    const web = execFileSync(process.execPath, cliArgs('web', '--help'), { stdio: 'pipe' }).toString();
    for (const flag of [
      '--port',
      '--host',
      '--tls-cert',
      '--tls-key',
      '--kubeconfig',
      '--context',
      '--demo',
      '--data-dir',
      '--no-open',
    ])
      assert.match(web, new RegExp(`\\n  ${flag} `), `kubegraf web --help explains ${flag}`);
    assert.match(web, /~\/\.kubegraf/, 'says where data is kept');
    assert.match(web, /Ctrl\+C/, 'says how to stop');
    const sim = execFileSync(process.execPath, cliArgs('sim', '--help'), { stdio: 'pipe' }).toString();
    for (const flag of ['--port', '--scenario', '--kube-minor', '--kubeconfig-out', '--speed'])
      assert.match(sim, new RegExp(`\\n  ${flag} `), `kubegraf sim --help explains ${flag}`);
    const top = execFileSync(process.execPath, cliArgs('--help'), { stdio: 'pipe' }).toString();
    assert.match(top, /--tls-cert FILE --tls-key FILE/);
  });
});
