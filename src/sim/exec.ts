// pods/exec and pods/attach: the remotecommand protocol over WebSocket (v5/v4.channel.k8s.io, kubectl 1.30+
// and client-node) and over SPDY/3.1 (kubectl 1.29 and older). Commands run in the built-in virtual shell.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ResourceRequest, SimContext } from './context';
import type { KObj } from './store';
import { StatusError, badRequest } from './status';
import { Params, execParams } from './params';
import { InputQueue, LineDiscipline, Shell, containerView, toCrlf } from './shell';
import { containerRun, logSource, resolveContainer } from './logs';
import { acceptSpdy, makeWss, refuseUpgrade, type SpdyStream } from './portforward';

interface ExecOptions {
  command: string[];
  container: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** How a session talks to its client, whatever the wire protocol. */
interface Transport {
  write(stream: 'stdout' | 'stderr', data: string): void;
  /** Sends the final Status and hangs up. */
  finish(status: Record<string, unknown>): void;
}

interface Session {
  stdin(data: string): void;
  stdinEnd(): void;
  resize(cols: number, rows: number): void;
  /** The client went away. */
  abort(): void;
}

const SUCCESS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };

function exitStatus(argv: string[], code: number): Record<string, unknown> {
  if (code === 0) return SUCCESS;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

function notFoundInImage(argv0: string, container: string): Record<string, unknown> {
  const message = `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${container}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv0}": executable file not found in $PATH: unknown`;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

function parseOptions(r: ResourceRequest, pod: KObj, attach: boolean): ExecOptions {
  const p = execParams(Params.of(r.url));
  const opts: ExecOptions = { ...p, container: resolveContainer(pod, p.container ?? null) };
  if (!attach && opts.command.length === 0) throw badRequest('you must specify at least one command for the container');
  if (!opts.stdin && !opts.stdout && !opts.stderr)
    throw badRequest('you must specify at least one of stdin, stdout, stderr');
  if (pod.metadata.deletionTimestamp) throw badRequest(`pod ${pod.metadata.name} is terminating`);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed')
    throw badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const st = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find(
    (s: { name: string }) => s.name === opts.container,
  );
  const running = st ? !!st.state?.running : phase === undefined || phase === 'Running';
  if (!running) throw badRequest(`container not found ("${opts.container}")`);
  return opts;
}

/** Resize messages are JSON `{"Width":80,"Height":24}` (any key case); SPDY may carry several in one frame, newline-separated. */
function resizeFrom(d: Buffer, session: Session): void {
  for (const line of d.toString().split('\n')) {
    if (!line.trim()) continue;
    try {
      // Go's JSON decoding matches keys case-insensitively: client-node sends {"width","height"}.
      const size = JSON.parse(line) as Record<string, unknown>;
      const get = (k: string) => Object.entries(size).find(([key]) => key.toLowerCase() === k)?.[1];
      const w = get('width');
      const h = get('height');
      if (Number.isInteger(w) && Number.isInteger(h) && (w as number) > 0 && (h as number) > 0)
        session.resize(w as number, h as number);
    } catch {
      // a malformed resize is ignored, as the kubelet does
    }
  }
}

const INTERACTIVE_SHELL = /^(\/bin\/|\/usr\/bin\/)?(sh|bash|ash)$/;

/** `files`: the running container's filesystem (what its process and probes see), when the kubelet has one. */
function startExec(
  pod: KObj,
  opts: ExecOptions,
  t: Transport,
  now: () => Date,
  files?: Record<string, string>,
): Session {
  const ac = new AbortController();
  const raw = new InputQueue();
  if (!opts.stdin) raw.end();
  const out = (s: string) => {
    if (opts.stdout) t.write('stdout', opts.tty ? toCrlf(s) : s);
  };
  // A tty has one output stream: stderr goes to the terminal too.
  const err = (s: string) => (opts.tty ? out(s) : opts.stderr && t.write('stderr', s));
  let shell: Shell | undefined = undefined;
  const ld = opts.tty
    ? new LineDiscipline(
        (s) => opts.stdout && t.write('stdout', s),
        () => shell?.interrupt(),
      )
    : undefined;
  if (ld && !opts.stdin) ld.end();
  shell = new Shell(
    containerView(pod, opts.container),
    { stdout: out, stderr: err, stdin: ld ? ld.lines : raw, signal: ac.signal },
    now,
    files,
  );
  const argv = opts.command;
  let done = false;
  const finish = (status: Record<string, unknown>) => {
    if (done) return;
    done = true;
    t.finish(status);
  };
  void (async () => {
    if (!shell.hasBinary(argv[0])) return finish(notFoundInImage(argv[0], opts.container));
    const interactive = INTERACTIVE_SHELL.test(argv[0]) && argv.slice(1).every((a) => a === '-i' || a === '-l');
    const code = interactive
      ? await shell.runScript(opts.tty ? () => shell!.prompt() : undefined)
      : await shell.exec(argv);
    if (interactive && opts.tty && code === 0 && !ac.signal.aborted) out('exit\n');
    finish(exitStatus(argv, code));
  })().catch((e) => finish({ ...SUCCESS, status: 'Failure', reason: 'InternalError', message: String(e), code: 500 }));
  return {
    stdin: (d) => (ld ? ld.input(d) : raw.push(d)),
    stdinEnd: () => (ld ? ld.end() : raw.end()),
    resize: (cols, rows) => opts.tty && shell?.resize(cols, rows),
    abort: () => {
      done = true;
      ac.abort();
      ld?.end();
      raw.end();
    },
  };
}

/** attach: the main process's output from now on (its stdin is not ours to read from here). */
function startAttach(pod: KObj, opts: ExecOptions, t: Transport, wallNow: () => number, ctx: SimContext): Session {
  let run;
  try {
    run = containerRun(pod, opts.container, false, wallNow(), ctx.clock.speed);
  } catch (e) {
    t.finish({ ...SUCCESS, status: 'Failure', reason: 'BadRequest', message: (e as Error).message, code: 400 });
    return { stdin: () => {}, stdinEnd: () => {}, resize: () => {}, abort: () => {} };
  }
  const log = logSource(run, ctx);
  let sent = log.count(wallNow());
  const timer = setInterval(() => {
    const upto = log.count(wallNow());
    for (let i = sent; i < upto; i++) {
      const text = log.line(i).text + '\n';
      if (opts.stdout) t.write('stdout', opts.tty ? toCrlf(text) : text);
    }
    sent = upto;
  }, 250);
  return { stdin: () => {}, stdinEnd: () => {}, resize: () => {}, abort: () => clearInterval(timer) };
}

export function installExec(ctx: SimContext): void {
  const { wss, upgrade } = makeWss();
  /** Hang-ups for every open session, so stopping the simulator ends them. */
  const live = new Set<() => void>();
  ctx.onClose(() => {
    for (const hangup of live) hangup();
    wss.close();
  });
  // Wall-clock timestamps, as in logs.ts: the clock's speed shows as the apps' output rate.
  const wallNow = () => Date.now();

  for (const sub of ['exec', 'attach'] as const) {
    ctx.upgrades.set(`pods/${sub}`, (r: ResourceRequest, socket: Duplex, head: Buffer) => {
      const req = r.req;
      let pod: KObj;
      let opts: ExecOptions;
      try {
        const found = ctx.store.get('pods', r.namespace, r.name!);
        if (!found)
          throw new StatusError(404, 'NotFound', `pods "${r.name}" not found`, { name: r.name, kind: 'pods' });
        pod = found;
        opts = parseOptions(r, pod, sub === 'attach');
      } catch (e) {
        return refuseUpgrade(socket, e instanceof StatusError ? e : badRequest(String(e)));
      }
      const start = (t: Transport, hangup: () => void) => {
        const s =
          sub === 'exec'
            ? startExec(
                pod,
                opts,
                t,
                () => new Date(wallNow()),
                ctx.processes?.files(pod.metadata.uid!, opts.container),
              )
            : startAttach(pod, opts, t, wallNow, ctx);
        const end = () => {
          live.delete(end);
          s.abort();
          hangup();
        };
        live.add(end);
        return { session: s, end };
      };
      const upgradeType = String(req.headers.upgrade ?? '').toLowerCase();

      if (upgradeType === 'websocket') {
        const offered = String(req.headers['sec-websocket-protocol'] ?? '')
          .split(',')
          .map((p) => p.trim());
        const proto = ['v5.channel.k8s.io', 'v4.channel.k8s.io'].find((p) => offered.includes(p));
        if (!proto)
          return refuseUpgrade(
            socket,
            badRequest('websocket subprotocol must be one of v5.channel.k8s.io, v4.channel.k8s.io'),
          );
        upgrade(req, socket, head, proto, (ws: WebSocket) => {
          const frame = (ch: number, data: string | Buffer) => {
            if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([ch]), Buffer.from(data)]));
          };
          const { session, end } = start(
            {
              write: (stream, data) => frame(stream === 'stdout' ? 1 : 2, data),
              finish: (status) => {
                frame(3, JSON.stringify(status));
                ws.close(1000);
              },
            },
            () => ws.close(1000),
          );
          ws.on('message', (d: Buffer) => {
            if (d.length === 0) return;
            if (d[0] === 0) session.stdin(d.subarray(1).toString());
            else if (d[0] === 4) resizeFrom(d.subarray(1), session);
            else if (d[0] === 255 && d[1] === 0) session.stdinEnd(); // v5: the client closed stdin
          });
          ws.on('close', end);
        });
        return;
      }

      if (upgradeType === 'spdy/3.1') {
        const versions = String(req.headers['x-stream-protocol-version'] ?? '')
          .split(',')
          .map((v) => v.trim());
        const version = ['v4.channel.k8s.io'].find((v) => versions.includes(v));
        if (!version)
          return refuseUpgrade(
            socket,
            badRequest('unable to negotiate protocol: the client must offer v4.channel.k8s.io'),
          );
        const spdy = acceptSpdy(socket, head, { 'X-Stream-Protocol-Version': version });
        const streams: Record<string, SpdyStream> = {};
        const wanted = [
          'error',
          ...(opts.stdin ? ['stdin'] : []),
          ...(opts.stdout ? ['stdout'] : []),
          ...(opts.stderr && !opts.tty ? ['stderr'] : []),
          ...(opts.tty ? ['resize'] : []),
        ];
        let session: Session | undefined;
        let end: (() => void) | undefined;
        const begin = () => {
          if (session) return;
          clearTimeout(timeout);
          ({ session, end } = start(
            {
              write: (stream, data) => streams[stream]?.write(data),
              finish: (status) => {
                // v4 reports the outcome as a Status on the error stream; success may be silent.
                if (status.status !== 'Success') streams.error?.write(JSON.stringify(status));
                for (const s of Object.values(streams)) s.end();
                spdy.close();
              },
            },
            () => spdy.close(),
          ));
          streams.stdin?.on('data', (d: Buffer) => session!.stdin(d.toString()));
          streams.stdin?.on('end', () => session!.stdinEnd());
          streams.resize?.on('data', (d: Buffer) => resizeFrom(d, session!));
        };
        // kubectl opens every stream it asked for before it reads anything; start once they are all here.
        const timeout = setTimeout(begin, 5000);
        spdy.on('stream', (s: SpdyStream) => {
          streams[s.headers.streamtype] = s;
          if (wanted.every((w) => streams[w])) begin();
        });
        spdy.on('close', () => {
          clearTimeout(timeout);
          end?.();
        });
        return;
      }
      refuseUpgrade(socket, badRequest('unsupported upgrade: use websocket (v5.channel.k8s.io) or SPDY/3.1'));
    });
  }
}
