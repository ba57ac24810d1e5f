import assert from 'node:assert/strict';
import { InputQueue, LineDiscipline, Shell, containerView, toCrlf } from '../../src/sim/shell';
import type { KObj } from '../../src/sim/store';

const pod: KObj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-7d9f8-abcde', namespace: 'shop' },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        env: [
          { name: 'MODE', value: 'prod' },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ],
      },
    ],
  },
  status: { podIP: '10.244.1.7' },
};

async function run(line: string, stdin = ''): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const q = new InputQueue();
  if (stdin) q.push(stdin);
  q.end();
  const sh = new Shell(
    containerView(pod, 'web'),
    { stdout: (s) => (out += s), stderr: (s) => (err += s), stdin: q },
    () => new Date('2026-03-04T05:06:07Z'),
  );
  const code = await sh.exec(['sh', '-c', line]);
  return { out, err, code };
}

describe('sim shell', () => {
  it('runs builtins with quoting, variables and sequencing', async () => {
    assert.deepEqual(await run('echo "hello  $MODE" \'$MODE\'; hostname && pwd'), {
      out: 'hello  prod $MODE\nweb-7d9f8-abcde\n/\n',
      err: '',
      code: 0,
    });
    assert.equal((await run('cd /etc && pwd; cat hostname')).out, '/etc\nweb-7d9f8-abcde\n');
    assert.equal((await run('false || echo rescued; false && echo never')).out, 'rescued\n');
    assert.equal((await run('date')).out, 'Wed Mar  4 05:06:07 UTC 2026\n');
    assert.equal((await run('X=1; echo $X${X}')).out, '11\n');
  });

  it('shows the container environment and virtual files', async () => {
    const env = (await run('env')).out;
    assert.match(env, /^MODE=prod$/m);
    assert.match(env, /^POD=web-7d9f8-abcde$/m);
    assert.match(env, /^HOSTNAME=web-7d9f8-abcde$/m);
    assert.match(env, /^KUBERNETES_SERVICE_HOST=10\.96\.0\.1$/m);
    assert.match((await run('cat /etc/os-release')).out, /Debian/);
    assert.equal((await run('cat /proc/1/cmdline')).out, 'nginx\0-g\0daemon off;\0');
    assert.equal((await run('cat /var/run/secrets/kubernetes.io/serviceaccount/namespace')).out, 'shop');
    assert.match((await run('ls /')).out, /bin {2}dev {2}etc/);
    assert.equal((await run('env | grep MODE')).out, 'MODE=prod\n');
    assert.equal((await run('echo saved > /tmp/x; echo more >> /tmp/x; cat /tmp/x')).out, 'saved\nmore\n');
    assert.deepEqual(await run('echo oops >&2; cat /nope 2>/dev/null; cat /nope 2>&1'), {
      out: 'cat: /nope: No such file or directory\n',
      err: 'oops\n',
      code: 1,
    });
  });

  it('reports failures the way busybox sh does', async () => {
    assert.deepEqual(await run('nosuchcmd'), { out: '', err: 'sh: nosuchcmd: not found\n', code: 127 });
    assert.equal((await run('exit 3')).code, 3);
    assert.equal((await run('echo a; exit 4; echo b')).out, 'a\n');
    const cat = await run('cat /nope');
    assert.equal(cat.code, 1);
    assert.equal(cat.err, 'cat: /nope: No such file or directory\n');
    assert.equal((await run('echo "unterminated')).code, 2);
  });

  it('cat copies stdin, and sh reads a script from stdin', async () => {
    assert.equal((await run('cat', 'hello\nworld\n')).out, 'hello\nworld\n');
    assert.equal((await run('sh', 'echo one\nexit 5\necho two\n')).out, 'one\n');
    assert.equal((await run('sh', 'echo one\nexit 5\n')).code, 5);
  });

  it('sleep waits and an aborted session cuts it short', async () => {
    const ac = new AbortController();
    const q = new InputQueue();
    const sh = new Shell(containerView(pod, 'web'), {
      stdout: () => {},
      stderr: () => {},
      stdin: q,
      signal: ac.signal,
    });
    const t0 = Date.now();
    const p = sh.exec(['sleep', '30']);
    setTimeout(() => ac.abort(), 50);
    assert.equal(await p, 130);
    assert.ok(Date.now() - t0 < 5000);
    const t1 = Date.now();
    await new Shell(containerView(pod, 'web'), { stdout: () => {}, stderr: () => {}, stdin: q }).exec(['sleep', '0.2']);
    assert.ok(Date.now() - t1 >= 190);
  });

  it('runs scripts with loops, conditionals, line breaks, test and files, sleeping through the given clock', async () => {
    let out = '';
    const slept: number[] = [];
    const stdin = new InputQueue();
    stdin.end();
    const sh = new Shell(containerView(pod, 'web'), {
      stdout: (s) => (out += s),
      stderr: (s) => (out += s),
      stdin,
      sleep: async (ms) => void slept.push(ms),
    });
    const script = [
      'for x in a b; do echo $x; done',
      'until [ -f /tmp/ready ]; do touch /tmp/ready; sleep 2; done',
      'if test -f /tmp/ready; then echo ready; else echo no; fi',
      'rm /tmp/ready && cat /tmp/ready || echo gone',
      'sh -c "exit 3"; echo child $?',
      'while true; do sleep 1m; exit 4; done',
    ].join('\n');
    assert.equal(await sh.exec(['sh', '-c', script]), 4);
    assert.equal(out, 'a\nb\nready\ncat: /tmp/ready: No such file or directory\ngone\nchild 3\n');
    assert.deepEqual(slept, [2000, 60000]);
  });

  it('a distroless image has no shell', async () => {
    const dl: KObj = {
      ...pod,
      spec: { containers: [{ name: 'app', image: 'gcr.io/distroless/static', command: ['/server'] }] },
    };
    const sh = new Shell(containerView(dl, 'app'), { stdout: () => {}, stderr: () => {}, stdin: new InputQueue() });
    assert.equal(sh.hasBinary('sh'), false);
    assert.equal(sh.hasBinary('/server'), true);
  });

  it('the tty line discipline echoes, erases and ends on ^D', async () => {
    let echoed = '';
    let interrupts = 0;
    const ld = new LineDiscipline(
      (s) => (echoed += s),
      () => interrupts++,
    );
    ld.input('lx\x7fs\r');
    ld.input('junk\x03');
    ld.input('\x1b[Apwd\r\x04');
    assert.equal(await ld.lines.readLine(), 'ls');
    assert.equal(await ld.lines.readLine(), 'pwd');
    assert.equal(await ld.lines.readLine(), null);
    assert.equal(interrupts, 1);
    assert.equal(echoed, 'lx\b \bs\r\njunk^C\r\npwd\r\n');
    assert.equal(toCrlf('a\nb\r\n'), 'a\r\nb\r\n');
  });
});
