// Exec streams for terminals: stdin in, stdout/stderr out, resize, and the exit code from the server's status.
import { PassThrough, Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import { KubeError, toKubeError } from './errors';

export interface ExecOptions {
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
  tty?: boolean;
  stdin?: boolean;
  cols?: number;
  rows?: number;
}

export interface ExecExit {
  code: number;
  message?: string;
}

export interface ExecSession {
  write(data: string | Buffer): void;
  /** Closes stdin (EOF). */
  end(): void;
  resize(cols: number, rows: number): void;
  onStdout(fn: (d: Buffer) => void): () => void;
  onStderr(fn: (d: Buffer) => void): () => void;
  /** Resolves with the command's exit code once the server reports it (or the stream closes). */
  readonly exit: Promise<ExecExit>;
  close(): void;
}

/** A Writable that client-node treats as a terminal: it has rows/columns and emits 'resize'. */
class TerminalSink extends Writable {
  columns: number;
  rows: number;
  private fns = new Set<(d: Buffer) => void>();
  constructor(cols: number, rows: number, tty: boolean) {
    super();
    this.columns = cols;
    this.rows = rows;
    // Only terminals get resize events; without a tty the server has no size to set.
    if (!tty) {
      delete (this as Partial<TerminalSink>).columns;
      delete (this as Partial<TerminalSink>).rows;
    }
  }
  on$(fn: (d: Buffer) => void): () => void {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    for (const f of this.fns) f(chunk);
    cb();
  }
}

function exitFromStatus(s: V1Status): ExecExit {
  if (s.status === 'Success') return { code: 0 };
  const cause = s.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = cause?.message !== undefined ? Number(cause.message) : 1;
  return { code: Number.isFinite(code) ? code : 1, message: s.message };
}

export async function startExec(kc: KubeConfig, o: ExecOptions): Promise<ExecSession> {
  const tty = o.tty ?? false;
  const stdout = new TerminalSink(o.cols ?? 80, o.rows ?? 24, tty);
  const stderr = new TerminalSink(0, 0, false);
  const stdin = o.stdin === false ? null : new PassThrough();
  let resolveExit!: (e: ExecExit) => void;
  const exit = new Promise<ExecExit>((r) => (resolveExit = r));
  const exec = new Exec(kc);
  let ws;
  try {
    ws = await exec.exec(
      o.namespace,
      o.pod,
      o.container ?? '',
      o.command,
      stdout,
      tty ? null : stderr,
      stdin,
      tty,
      (s) => resolveExit(exitFromStatus(s)),
    );
  } catch (e) {
    throw toKubeError(e);
  }
  // client-node queues the initial terminal size on a stream that flushes on a later tick: let it go out before
  // the caller's first keystrokes, so the first command already sees the right size.
  if (tty) await new Promise((r) => setImmediate(r));
  ws.on('close', () =>
    resolveExit({ code: -1, message: 'the connection closed before the command reported its exit' }),
  );
  ws.on('error', () => resolveExit({ code: -1, message: 'the connection failed' }));
  return {
    write: (d) => {
      if (!stdin) throw new KubeError('badRequest', 'this exec session has no stdin');
      stdin.write(d);
    },
    end: () => stdin?.end(),
    resize: (cols, rows) => {
      if (!tty) return;
      stdout.columns = cols;
      stdout.rows = rows;
      stdout.emit('resize');
    },
    onStdout: (fn) => stdout.on$(fn),
    onStderr: (fn) => stderr.on$(fn),
    exit,
    close: () => ws.close(),
  };
}
