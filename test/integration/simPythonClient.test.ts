// A second real client library against `kubegraf sim`: the official Python client (Debian's python3-kubernetes), run
// by test/clients/python_client_check.py. It spells parameters its own way (watch=True, stdout=True, _continue) and
// execs over a v4.channel.k8s.io WebSocket; whatever it cannot do here is a simulator bug.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startTestSim, type Sim } from '../helpers/sim';

/** Debian's interpreter: a pyenv `python3` on PATH does not see Debian's dist-packages. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, '..', 'clients', 'python_client_check.py');

function runScript(sim: Sim): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      PYTHON,
      [SCRIPT, sim.kubeconfig, sim.contexts.admin],
      { timeout: 150_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('sim with the official Python client', function () {
  this.timeout(180_000);
  let sim: Sim;
  let seen: any;

  before(async () => {
    sim = await startTestSim({ kubeMinor: 33 });
    const r = await runScript(sim);
    assert.equal(r.code, 0, `python client check failed:\n${r.stderr}\n${r.stdout}`);
    seen = JSON.parse(r.stdout.trim().split('\n').pop()!);
  });
  after(() => sim.close());

  it('reads the server version', () => {
    assert.equal(seen.version, '33');
  });

  it('lists, and pages with limit and _continue', () => {
    const all = ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4'];
    assert.deepEqual(seen.list, all);
    assert.deepEqual(seen.pages, [['cm-0', 'cm-1'], ['cm-2', 'cm-3'], ['cm-4']]);
  });

  it('watches with watch=True: changes after a resourceVersion, or the current state first', () => {
    assert.deepEqual(seen.watch, [['MODIFIED', 'cm-0']]);
    assert.deepEqual(
      seen.watchInitial,
      ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4'].map((n) => ['ADDED', n]),
    );
  });

  it('execs over the v4 WebSocket with stdout=True and reads logs', () => {
    assert.equal(seen.exec, 'hello from python\n');
    assert.ok(seen.logs.length > 0 && seen.logs.length <= 5, JSON.stringify(seen.logs));
  });

  it('scales through the scale subresource with a JSON patch', () => {
    assert.deepEqual(seen.scale, { kind: 'V1Scale', replicas: 3 });
    assert.equal(seen.scaledSpec, 3);
  });

  it('gets a 409 Conflict for an update with a stale resourceVersion', () => {
    assert.deepEqual(seen.conflict, { status: 409, reason: 'Conflict' });
  });

  it('sees a deleted namespace terminate, then disappear', () => {
    assert.equal(seen.nsPhase, 'Terminating');
    assert.equal(seen.nsGone, true);
  });
});
