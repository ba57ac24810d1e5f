// tar inside a simulated container: what `kubectl cp` runs, over the container's in-memory files.
import assert from 'node:assert/strict';
import { InputQueue } from '../../src/sim/shell';
import { runTar } from '../../src/sim/tar';

function host(files: Record<string, string>, input?: string) {
  const stdin = new InputQueue();
  if (input !== undefined) stdin.push(input);
  stdin.end();
  let out = '';
  let err = '';
  const isDir = (p: string) =>
    ['/', '/tmp'].includes(p) || Object.keys(files).some((f) => f.startsWith(p === '/' ? '/' : p + '/'));
  return {
    h: { files, isDir, stdin, out: (s: string) => (out += s), err: (s: string) => (err += s) },
    out: () => out,
    err: () => err,
  };
}

describe('sim tar', () => {
  it('archives a directory and extracts it elsewhere, contents intact', async () => {
    const src = host({ '/etc/hostname': 'box\n', '/etc/ssl/ca.pem': 'PEM ✓\n' });
    assert.equal(await runTar(['cf', '-', '/etc'], src.h, '/'), 0);
    assert.match(src.err(), /Removing leading `\/' from member names/);
    const dst = host({}, src.out());
    assert.equal(await runTar(['xmf', '-', '-C', '/tmp'], dst.h, '/'), 0, dst.err());
    assert.deepEqual(dst.h.files, { '/tmp/etc/hostname': 'box\n', '/tmp/etc/ssl/ca.pem': 'PEM ✓\n' });
    const list = host({}, src.out());
    assert.equal(await runTar(['-tf', '-'], list.h, '/'), 0);
    assert.deepEqual(list.out().trim().split('\n'), ['etc/', 'etc/hostname', 'etc/ssl/', 'etc/ssl/ca.pem']);
  });

  it('fails as GNU tar does on a missing path, a missing -C directory, a missing mode and garbage input', async () => {
    const missing = host({});
    assert.equal(await runTar(['cf', '-', '/nope'], missing.h, '/'), 2);
    assert.match(missing.err(), /tar: \/nope: Cannot stat: No such file or directory/);
    const noDir = host({}, '');
    assert.equal(await runTar(['xf', '-', '-C', '/srv'], noDir.h, '/'), 2);
    assert.match(noDir.err(), /tar: \/srv: Cannot open: No such file or directory/);
    const noMode = host({});
    assert.equal(await runTar(['-f', '-'], noMode.h, '/'), 2);
    assert.match(noMode.err(), /You must specify one of the/);
    const garbage = host({}, 'this is not a tar archive at all, not even close'.repeat(20));
    assert.equal(await runTar(['xf', '-'], garbage.h, '/'), 2);
    assert.match(garbage.err(), /This does not look like a tar archive/);
  });
});
