// The command table, the generated manifest, the webview HTML/bridge and the pod terminal, without VS Code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ExecExit, ExecSession } from '../../src/core/kube/execSession';
import { KubeError } from '../../src/core/kube/errors';
import { blockedReason, COMMANDS } from '../../src/vscode/commandTable';
import { appHtml, contentSecurityPolicy, missingAppHtml } from '../../src/vscode/dashboardHtml';
import { ExecPty } from '../../src/vscode/execPty';
import { combinedDiff, confirmText, failureLines } from '../../src/vscode/manifestReview';
import { extensionManifest, manifestUpToDate } from '../../src/vscode/manifest';
import type { ApiDeps } from '../../src/core/api/deps';
import { WebviewBridge } from '../../src/vscode/webviewBridge';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as Record<string, any>;

describe('vscode commands and manifest', () => {
  it('package.json carries the manifest generated from the command table', () => {
    assert.ok(manifestUpToDate(pkg), 'package.json is stale: run `npm run manifest`');
  });

  it('has the KubeGraf container with Clusters, Incidents and Port Forwards, every command in the KubeGraf category', () => {
    const m = extensionManifest() as { contributes: any };
    assert.deepEqual(
      m.contributes.viewsContainers.activitybar.map((c: any) => [c.id, c.title]),
      [['kubegraf', 'KubeGraf']],
    );
    assert.deepEqual(
      m.contributes.views.kubegraf.map((v: any) => v.name),
      ['Clusters', 'Incidents', 'Port Forwards'],
    );
    for (const c of m.contributes.commands) assert.equal(c.category, 'KubeGraf', c.command);
    assert.ok(
      m.contributes.commands.some((c: any) => c.command === 'kubegraf.openDashboard' && c.title === 'Open Dashboard'),
    );
    const ids = new Set(COMMANDS.map((c) => c.id));
    assert.equal(ids.size, COMMANDS.length, 'command ids are unique');
    // Every menu entry names a declared command, and tree menus are gated by a when clause.
    for (const [menu, entries] of Object.entries(
      m.contributes.menus as Record<string, Array<{ command: string; when: string }>>,
    )) {
      for (const e of entries) {
        assert.ok(ids.has(e.command), `${menu}: ${e.command}`);
        assert.ok(e.when, `${menu}: ${e.command} has no when clause`);
      }
    }
    assert.ok(Object.keys(m.contributes.configuration.properties).every((k) => k.startsWith('kubegraf.')));
  });

  it('lets commands that need a cluster explain why they cannot run', () => {
    const scale = COMMANDS.find((c) => c.id === 'kubegraf.scale')!;
    assert.match(
      blockedReason(scale, { context: 'prod', connection: { state: 'unreachable', reason: 'connect ECONNREFUSED' } })!,
      /"prod" is unreachable \(connect ECONNREFUSED\)/,
    );
    assert.match(blockedReason(scale, {})!, /no Kubernetes context/);
    assert.equal(blockedReason(scale, { context: 'prod', connection: { state: 'connected' } }), undefined);
    const dash = COMMANDS.find((c) => c.id === 'kubegraf.openDashboard')!;
    assert.equal(
      blockedReason(dash, { context: 'prod', connection: { state: 'unreachable', reason: 'x' } }),
      undefined,
    );
  });
});

describe('vscode apply YAML to cluster', () => {
  it('offers the command on YAML files in the explorer and the YAML editor title, and in the palette', () => {
    const m = extensionManifest() as { contributes: any };
    const cmd = m.contributes.commands.find((c: any) => c.command === 'kubegraf.applyManifest');
    assert.deepEqual([cmd.title, cmd.category], ['Apply YAML to Cluster…', 'KubeGraf']);
    assert.deepEqual(
      m.contributes.menus['explorer/context']
        .filter((e: any) => e.command === 'kubegraf.applyManifest')
        .map((e: any) => e.when),
      ['resourceExtname == .yaml || resourceExtname == .yml'],
    );
    assert.deepEqual(
      m.contributes.menus['editor/title']
        .filter((e: any) => e.command === 'kubegraf.applyManifest')
        .map((e: any) => e.when),
      ['resourceLangId == yaml'],
    );
    assert.ok(
      !m.contributes.menus.commandPalette.some(
        (e: any) => e.command === 'kubegraf.applyManifest' && e.when === 'false',
      ),
    );
    assert.match(
      blockedReason(
        COMMANDS.find((c) => c.id === 'kubegraf.applyManifest')!,
        {},
      )!,
      /Apply YAML to Cluster…: no Kubernetes context/,
    );
  });

  it('names the context and the objects that change in the confirm, and lists failures with their conflicts', () => {
    const results = [
      { doc: 1, line: 1, kind: 'Namespace', apiVersion: 'v1', name: 'shop', action: 'created' as const, diff: '+x' },
      {
        doc: 2,
        line: 5,
        kind: 'ConfigMap',
        apiVersion: 'v1',
        namespace: 'shop',
        name: 'cfg',
        action: 'unchanged' as const,
        diff: '',
      },
      {
        doc: 3,
        line: 9,
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        namespace: 'shop',
        name: 'web',
        action: 'failed' as const,
        diff: '',
        error: {
          code: 'conflict' as const,
          message: 'Apply failed with 1 conflict',
          status: 409,
          conflicts: [{ manager: '"kubectl" using apps/v1', field: '.spec.replicas' }],
        },
      },
    ];
    const c = confirmText('prod', results, false);
    assert.equal(c.message, 'Apply 1 object to context "prod"?');
    assert.match(c.detail, /^1 created, 0 configured, 1 unchanged, 1 failed\./);
    assert.match(c.detail, /\+ Namespace shop/);
    assert.match(c.detail, /1 object cannot be applied \(see the review\): Deployment shop\/web/);
    assert.deepEqual(failureLines(results), [
      '  Deployment shop/web (document 3, line 9): Apply failed with 1 conflict [HTTP 409]',
      '    .spec.replicas is owned by "kubectl" using apps/v1',
    ]);
    const diff = combinedDiff('prod', results);
    assert.match(
      diff,
      /# Deployment shop\/web \(document 3, line 9\): failed — Apply failed with 1 conflict\n# {3}conflict: \.spec\.replicas is owned by "kubectl" using apps\/v1/,
    );
  });
});

describe('vscode webview html and bridge', () => {
  it('allows only nonce scripts and extension resources', () => {
    const csp = contentSecurityPolicy('vscode-resource:', 'abc');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    const page = missingAppHtml('vscode-resource:');
    assert.doesNotMatch(page, /<script/);
    assert.match(page, /npm run build/);
  });

  it("rewrites the Solid app's asset URLs through asWebviewUri and adds the nonce to its scripts", () => {
    const index =
      '<!doctype html><html><head><script type="module" src="/assets/index-1.js"></script><link rel="stylesheet" href="./assets/index-1.css"></head><body><div id="root"></div></body></html>';
    const html = appHtml(index, (p) => `https://webview/${p}`, 'https://webview', 'N', { transport: 'webview' });
    assert.match(html, /src="https:\/\/webview\/assets\/index-1\.js"/);
    assert.match(html, /href="https:\/\/webview\/assets\/index-1\.css"/);
    assert.match(html, /<script nonce="N" type="module"/);
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('index-1.js'));
    assert.match(html, /window\.__KUBEGRAF__ = \{"transport":"webview"\}/);
  });

  it("answers the Solid app's route calls through the route table: results, validation and engine errors as values", async () => {
    const posted: any[] = [];
    const deps = { demo: true } as unknown as ApiDeps;
    const bridge = new WebviewBridge({
      post: (m) => posted.push(m),
      deps: () => deps,
      tables: {
        json: {
          'pods.list': (async (p: unknown, d: ApiDeps) => ({ params: p, demo: d.demo })) as never,
          'contexts.list': (async () => {
            throw new KubeError('unreachable', 'connect ECONNREFUSED');
          }) as never,
        },
        stream: {},
        socket: {},
        raw: {},
      },
    });
    assert.equal(await bridge.receive({ type: 'api.request', reqId: 1, id: 'pods.list', params: {} }), true);
    assert.equal(posted[0].ok, true);
    assert.equal(posted[0].result.demo, true);
    await bridge.receive({ type: 'api.request', reqId: 2, id: 'contexts.list', params: {} });
    assert.deepEqual(posted[1], {
      type: 'api.response',
      reqId: 2,
      ok: false,
      error: { code: 'unreachable', message: 'connect ECONNREFUSED', status: 503 },
    });
    await bridge.receive({ type: 'api.request', reqId: 3, id: 'no.such.route', params: {} });
    assert.equal(posted[2].error.code, 'notFound');
    // pod.details needs a namespace and a name: refused before any handler runs.
    await bridge.receive({ type: 'api.request', reqId: 4, id: 'pod.details', params: {} });
    assert.equal(posted[3].error.code, 'badRequest');
    assert.equal(posted[3].error.status, 400);
    // In plain words naming the field, as the HTTP server words it: never the validator's or the route's text.
    assert.equal(posted[3].error.message, 'Name is required');
    // A documented route this process has no handler for says so.
    await bridge.receive({ type: 'api.request', reqId: 5, id: 'nodes.list', params: {} });
    assert.equal(posted[4].error.code, 'notImplemented');
    assert.equal(await bridge.receive({ type: 'something.else' }), false);
  });

  it('runs a push channel over stream messages, both ways, and ends it when the webview closes it', async () => {
    const posted: any[] = [];
    const seen: string[] = [];
    let closed = false;
    const bridge = new WebviewBridge({
      post: (m) => posted.push(m),
      deps: () => ({}) as ApiDeps,
      tables: {
        json: {},
        stream: {},
        socket: {
          ws: ((ws: any) => {
            ws.send(JSON.stringify({ type: 'hello' }));
            ws.on('message', (raw: Buffer) => seen.push(String(raw)));
            ws.on('close', () => (closed = true));
          }) as never,
        },
        raw: {},
      },
    });
    await bridge.receive({ type: 'stream.open', streamId: 7, id: 'ws', params: {} });
    assert.deepEqual(posted.slice(0, 2), [
      { type: 'stream.opened', streamId: 7 },
      { type: 'stream.message', streamId: 7, data: '{"type":"hello"}' },
    ]);
    await bridge.receive({ type: 'stream.send', streamId: 7, data: '{"type":"subscribe","kind":"pods"}' });
    assert.deepEqual(seen, ['{"type":"subscribe","kind":"pods"}']);
    await bridge.receive({ type: 'stream.close', streamId: 7 });
    assert.equal(closed, true);
    await bridge.receive({ type: 'stream.open', streamId: 8, id: 'ws.metrics', params: {} });
    assert.equal(posted.at(-1).type, 'stream.closed');
    assert.match(posted.at(-1).reason, /metrics engine does not answer this socket/);
  });
});

class FakeSession implements ExecSession {
  written: string[] = [];
  sizes: Array<[number, number]> = [];
  ended = false;
  closed = false;
  private out = new PassThrough();
  private resolveExit!: (e: ExecExit) => void;
  readonly exit = new Promise<ExecExit>((r) => (this.resolveExit = r));
  write(d: string | Buffer): void {
    this.written.push(String(d));
  }
  end(): void {
    this.ended = true;
  }
  resize(c: number, r: number): void {
    this.sizes.push([c, r]);
  }
  onStdout(fn: (d: Buffer) => void): () => void {
    this.out.on('data', fn);
    return () => this.out.off('data', fn);
  }
  onStderr(): () => void {
    return () => undefined;
  }
  close(): void {
    this.closed = true;
  }
  emit(s: string): void {
    this.out.write(s);
  }
  finish(e: ExecExit): void {
    this.resolveExit(e);
  }
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('vscode pod terminal', () => {
  it('streams output, forwards typing and resizes, then shows the exit code and closes on a key', async () => {
    const s = new FakeSession();
    const pty = new ExecPty(
      { context: 'c', namespace: 'ns', pod: 'p', container: 'app', command: ['sh'] },
      async () => s,
    );
    const out: string[] = [];
    let closedWith: number | void | undefined;
    let closed = false;
    pty.onDidWrite((d) => out.push(d));
    pty.onDidClose((c) => {
      closed = true;
      closedWith = c;
    });
    pty.handleInput('typed early\r');
    pty.open({ columns: 120, rows: 40 });
    await tick();
    assert.deepEqual(s.written, ['typed early\r'], 'input typed while connecting is not lost');
    assert.deepEqual(s.sizes[0], [120, 40]);
    s.emit('hello\r\n');
    await tick();
    assert.ok(out.join('').includes('hello'));
    pty.setDimensions({ columns: 80, rows: 20 });
    assert.deepEqual(s.sizes.at(-1), [80, 20]);
    s.finish({ code: 3, message: 'command terminated with non-zero exit code' });
    await tick();
    assert.match(out.join(''), /process exited with code 3/);
    assert.equal(closed, false, 'the terminal stays open so the exit code can be read');
    pty.handleInput('x');
    assert.equal(closed, true);
    assert.equal(closedWith, 3);
  });

  it('says why it could not connect', async () => {
    const pty = new ExecPty({ context: 'c', namespace: 'ns', pod: 'gone', command: ['sh'] }, async () => {
      throw new KubeError('notFound', 'pods "gone" not found');
    });
    const out: string[] = [];
    pty.onDidWrite((d) => out.push(d));
    pty.open(undefined);
    await tick();
    assert.match(out.join(''), /Could not open a terminal in ns\/gone: pods "gone" not found/);
    assert.equal(pty.exit?.code, 1);
  });

  it('closes the stream when the user closes the terminal', async () => {
    const s = new FakeSession();
    const pty = new ExecPty({ context: 'c', namespace: 'ns', pod: 'p', command: ['sh'] }, async () => s);
    pty.open(undefined);
    await tick();
    pty.close();
    assert.ok(s.ended && s.closed);
  });
});
