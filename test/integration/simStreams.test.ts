// Streaming subresources of `kubegraf sim` as users meet them: kubectl logs / exec / port-forward (1.29, 1.30
// and 1.33: WebSocket and SPDY paths) and client-node's Log, Exec and PortForward classes.
import assert from 'node:assert/strict';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { startTestSim, kubectl, kubectlSpawn, waitForOutput, type Sim } from '../helpers/sim';
import type { KObj } from '../../src/sim/store';

const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

/** A running two-container pod whose "worker" was OOM-killed once. */
function seedPods(sim: Sim): void {
  const rt = sim.ctx.types.get('', 'v1', 'pods')!;
  const pod = (name: string): KObj => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: 'node-1',
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          env: [{ name: 'MODE', value: 'prod' }],
          ports: [{ containerPort: 80, name: 'http' }],
        },
        { name: 'worker', image: 'eclipse-temurin:21-jre' },
      ],
    },
    status: {
      phase: 'Running',
      podIP: '10.244.1.9',
      startTime: ago(600),
      containerStatuses: [
        {
          name: 'nginx',
          ready: true,
          restartCount: 0,
          image: 'nginx:1.27',
          state: { running: { startedAt: ago(600) } },
        },
        {
          name: 'worker',
          ready: true,
          restartCount: 1,
          image: 'eclipse-temurin:21-jre',
          state: { running: { startedAt: ago(60) } },
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, startedAt: ago(600), finishedAt: ago(61) } },
        },
      ],
    },
  });
  sim.ctx.store.create(rt, pod('web'));
  sim.ctx.store.create(rt, pod('doomed'));
}

/** The exit code (null when killed by a signal); rejects if the process outlives `ms`. */
function exited(child: ReturnType<typeof kubectlSpawn>, ms = 10_000): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const t = setTimeout(() => reject(new Error('kubectl did not exit')), ms);
    child.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });
}

const NGINX_ACCESS = /^\d+\.\d+\.\d+\.\d+ - - \[[^\]]+\] "GET \S+ HTTP\/1\.1" \d{3} \d+ "-" "[^"]+"$/;

// 1.29 exercises the SPDY exec path; 1.30 raw-SPDY port-forward; 1.33 WebSocket exec and tunnelled SPDY port-forward.
for (const minor of [29, 30, 33]) {
  describe(`sim streams with kubectl 1.${minor}`, function () {
    this.timeout(60_000);
    let sim: Sim;

    before(async () => {
      sim = await startTestSim({ kubeMinor: minor });
      seedPods(sim);
    });
    after(async () => sim.close());

    it('logs --tail, -c, --timestamps and --previous', async () => {
      const tail = await kubectl(sim, ['logs', 'web', '-c', 'nginx', '--tail', '3']);
      assert.equal(tail.code, 0, tail.stderr);
      const lines = tail.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 3);
      for (const l of lines) assert.match(l, NGINX_ACCESS);

      const ts = await kubectl(sim, ['logs', 'web', '-c', 'nginx', '--tail', '2', '--timestamps']);
      for (const l of ts.stdout.trimEnd().split('\n'))
        assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z \S/);

      const prev = await kubectl(sim, ['logs', 'web', '-c', 'worker', '--previous']);
      assert.equal(prev.code, 0, prev.stderr);
      assert.match(prev.stdout, /Spring Boot/);
      assert.equal(
        prev.stdout.trimEnd().split('\n').pop(),
        'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space',
      );

      const none = await kubectl(sim, ['logs', 'web', '-c', 'nginx', '--previous']);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /previous terminated container "nginx" in pod "web" not found/);
    });

    it('logs -f streams new lines and stops cleanly when killed', async () => {
      const child = kubectlSpawn(sim, ['logs', '-f', 'web', '-c', 'nginx', '--tail', '1']);
      // Speed 10: nginx logs a line every ~150 ms of wall time, so a follow sees several new ones quickly.
      const seen = await waitForOutput(child.stdout!, (all) => all.split('\n').filter(Boolean).length >= 4);
      for (const l of seen.trimEnd().split('\n')) assert.match(l, NGINX_ACCESS);
      child.kill('SIGINT');
      await exited(child);
    });

    it('logs -f ends when the pod is deleted', async () => {
      const child = kubectlSpawn(sim, ['logs', '-f', 'doomed', '-c', 'nginx', '--tail', '1']);
      await waitForOutput(child.stdout!, (all) => all.includes('\n'));
      const rt = sim.ctx.types.get('', 'v1', 'pods')!;
      sim.ctx.store.remove(rt, 'default', 'doomed');
      assert.equal(await exited(child), 0);
    });

    it('exec runs a command, propagates the exit code and reads piped stdin', async () => {
      const r = await kubectl(sim, [
        'exec',
        'web',
        '-c',
        'nginx',
        '--',
        'sh',
        '-c',
        'echo "$HOSTNAME $MODE"; cat /etc/hostname; exit 3',
      ]);
      assert.equal(r.stdout, 'web prod\nweb\n');
      assert.equal(r.code, 3);
      assert.match(r.stderr, /command terminated with exit code 3/);

      const cat = await kubectl(sim, ['exec', '-i', 'web', '-c', 'nginx', '--', 'cat'], {
        stdin: 'hello from stdin\nline two\n',
      });
      assert.equal(cat.code, 0, cat.stderr);
      assert.equal(cat.stdout, 'hello from stdin\nline two\n');

      const missing = await kubectl(sim, ['exec', 'web', '-c', 'nginx', '--', 'sh', '-c', 'nosuchtool']);
      assert.equal(missing.code, 127);
      assert.match(missing.stderr, /sh: nosuchtool: not found/);
    });

    it('port-forward carries an HTTP request to the pod and back', async () => {
      const child = kubectlSpawn(sim, ['port-forward', 'pod/web', ':80']);
      try {
        const out = await waitForOutput(child.stdout!, (all) => /Forwarding from 127\.0\.0\.1:\d+ -> 80/.test(all));
        const port = Number(/127\.0\.0\.1:(\d+)/.exec(out)![1]);
        const body = await new Promise<string>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port, path: '/' }, (res) => {
              let s = '';
              res.on('data', (c) => (s += c));
              res.on('end', () => resolve(`${res.statusCode} ${s}`));
            })
            .on('error', reject);
        });
        assert.match(body, /^200 /);
        assert.match(body, /Hello from web/);
      } finally {
        child.kill('SIGINT');
        await exited(child);
      }
    });
  });
}

describe('sim streams with @kubernetes/client-node', function () {
  this.timeout(60_000);
  let sim: Sim;
  let kc: k8s.KubeConfig;

  before(async () => {
    sim = await startTestSim({ kubeMinor: 33 });
    seedPods(sim);
    kc = new k8s.KubeConfig();
    kc.loadFromFile(sim.kubeconfig);
  });
  after(async () => sim.close());

  const collect = () => {
    let text = '';
    const w = new Writable({
      write(chunk, _enc, cb) {
        text += chunk.toString();
        cb();
      },
    });
    return { w, text: () => text };
  };

  it('Log reads the tail of a container', async () => {
    const out = collect();
    const finished = new Promise((r) => out.w.on('finish', r));
    await new k8s.Log(kc).log('default', 'web', 'nginx', out.w, { tailLines: 5 });
    await finished;
    const lines = out.text().trimEnd().split('\n');
    assert.equal(lines.length, 5);
    for (const l of lines) assert.match(l, NGINX_ACCESS);
  });

  it('the log endpoint refuses to guess a container, as kube-apiserver does', async () => {
    const res = await new Promise<{ code: number; body: string }>((resolve, reject) => {
      https
        .get(
          `${sim.server}/api/v1/namespaces/default/pods/web/log`,
          { ca: sim.caPem, headers: { Authorization: `Bearer ${sim.tokens.admin}` } },
          (r) => {
            let s = '';
            r.on('data', (c) => (s += c));
            r.on('end', () => resolve({ code: r.statusCode ?? 0, body: s }));
          },
        )
        .on('error', reject);
    });
    assert.equal(res.code, 400);
    const status = JSON.parse(res.body);
    assert.equal(status.reason, 'BadRequest');
    assert.equal(status.message, 'a container name must be specified for pod web, choose one of: [nginx worker]');
  });

  it('Exec returns output, stderr and the exit status', async () => {
    const out = collect();
    const err = collect();
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(kc)
        .exec(
          'default',
          'web',
          'nginx',
          ['sh', '-c', 'echo out; echo err >&2; exit 2'],
          out.w,
          err.w,
          null,
          false,
          resolve,
        )
        .catch(reject);
    });
    assert.equal(out.text(), 'out\n');
    assert.equal(err.text(), 'err\n');
    assert.equal(status.status, 'Failure');
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.deepEqual(status.details?.causes, [{ reason: 'ExitCode', message: '2' }]);
  });

  it('Exec feeds stdin and sees it close', async () => {
    const out = collect();
    const stdin = new PassThrough();
    const status = new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(kc).exec('default', 'web', 'nginx', ['cat'], out.w, null, stdin, false, resolve).catch(reject);
    });
    stdin.end('piped through\n');
    assert.equal((await status).status, 'Success');
    assert.equal(out.text(), 'piped through\n');
  });

  it('PortForward tunnels a local socket to the pod', async () => {
    const pf = new k8s.PortForward(kc);
    const server = net.createServer((socket) => void pf.portForward('default', 'web', [80], socket, null, socket));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/api/ping', headers: { Connection: 'close' } }, (res) => {
            let s = '';
            res.on('data', (c) => (s += c));
            res.on('end', () => resolve(s));
          })
          .on('error', reject);
      });
      const answer = JSON.parse(body);
      assert.equal(answer.pod, 'web');
      assert.equal(answer.port, 80);
      assert.equal(answer.path, '/api/ping');
    } finally {
      server.close();
    }
  });
});
