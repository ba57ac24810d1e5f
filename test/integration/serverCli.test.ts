// `kubegraf web --demo --port 0 --no-open` as a child process: one JSON ready line, a real port, demo mode said
// plainly, and the shared route-coverage tool finds the documented routes answered.
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForOutput } from '../helpers/sim';
import { request } from './serverHelpers';
import { readJson } from '../../src/core/store/atomicFile';
import { ROOT, cliArgs } from '../helpers/cli';

// The shared folder beside the repository (CI and developers have it at ../shared).
const TOOL = join(__dirname, '../../../shared/tools/route-coverage.mjs');

describe('kubegraf web (CLI)', function () {
  this.timeout(120_000);
  let child: ChildProcess;
  let ready: { event: string; url: string; token: string };
  let err = '';
  // A data directory the server creates itself, and one that a killed write left a temp file in.
  const dataDir = join(mkdtempSync(join(tmpdir(), 'kubegraf-cli-')), 'data');
  const leftover = join(dataDir, 'left', '.settings.json.0123456789ab.tmp');

  before(async () => {
    assert.ok(existsSync(TOOL), `${TOOL} is missing: the shared folder sits beside the repository`);
    child = spawn(process.execPath, cliArgs('web', '--demo', '--port', '0', '--no-open', '--data-dir', dataDir), {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (d) => (err += d));
    const out = await waitForOutput(child.stdout!, (s) => s.includes('\n'), 60_000);
    ready = JSON.parse(out.trim().split('\n')[0]);
  });
  after(() => {
    child?.kill('SIGTERM');
  });

  it('prints one ready line with the real port and token, and says it is in demo mode', async () => {
    assert.equal(ready.event, 'ready');
    const u = new URL(ready.url);
    assert.equal(u.hostname, '127.0.0.1');
    assert.ok(Number(u.port) > 0);
    assert.equal(u.searchParams.get('token'), ready.token);
    assert.match(err, /DEMO MODE/);
    const st = await request({ base: u.origin, token: ready.token }, 'GET', '/api/status');
    assert.equal(st.body.demo, true);
    assert.equal(st.body.connected, true);
  });

  it('passes the route-coverage tool for the implemented routes', async () => {
    const base = new URL(ready.url).origin;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [TOOL, base, ready.token], { timeout: 100_000 }, (e, so) =>
        e ? reject(e) : resolve(so),
      ),
    );
    const m = /documented routes answered: (\d+)\/(\d+)/.exec(out);
    assert.ok(m, out);
    // Every route this server implements answers; the rest are other engines' (501) or need objects the tool
    // cannot name (it samples pod names for Helm/Argo/CRD instance routes, which then 404 as they should).
    const missing = out.split('\n').find((l) => l.startsWith('missing:')) ?? '';
    for (const p of [
      '/api/pods ',
      '/api/deployments ',
      '/api/status ',
      '/api/v2/clusters ',
      '/api/events ',
      '/api/plugins/helm/releases ',
      '/api/security ',
      'WebSocket /ws ',
      '/api/pod/terminal',
      '/api/local/terminal',
    ])
      assert.ok(!missing.includes(p), `${p} reported missing: ${missing}`);
    assert.ok(Number(m[1]) >= 120, out);
  });

  it('keeps its data private (0700, demo included), and prints the token on stdout only', async () => {
    const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
    assert.equal(mode(dataDir), '700');
    const u = new URL(ready.url);
    const b = await request(
      { base: u.origin, token: ready.token },
      'POST',
      '/api/database/backup/now',
      {},
      { Origin: u.origin },
    );
    assert.equal(b.status, 200, b.text);
    assert.equal(mode(join(dataDir, 'backups')), '700');
    assert.ok(!err.includes(ready.token), 'stderr never shows the token');
  });

  it('sweeps temp files that a killed settings write left behind', async () => {
    mkdirSync(join(dataDir, 'left'), { recursive: true });
    writeFileSync(leftover, '{"half":');
    assert.deepEqual(await readJson(join(dataDir, 'left', 'settings.json'), {}), {});
    assert.deepEqual(readdirSync(join(dataDir, 'left')), []);
  });
});
