// A pod terminal: the shape of vscode.Pseudoterminal over the engine's exec stream, with resize and the exit code.
// It needs no native module (the extension host may run a different Node ABI), and imports nothing from `vscode`, so
// it is unit-tested with a fake session.
import type { ExecExit, ExecSession } from '../core/kube/execSession';

type Listener<T> = (e: T) => unknown;

/** The minimal `vscode.Event` contract: subscribe, get a disposable back. */
export class SimpleEmitter<T> {
  private readonly fns = new Set<Listener<T>>();
  readonly event = (fn: Listener<T>): { dispose(): void } => {
    this.fns.add(fn);
    return { dispose: () => this.fns.delete(fn) };
  };
  fire(e: T): void {
    for (const f of [...this.fns]) f(e);
  }
}

export interface Dimensions {
  columns: number;
  rows: number;
}

export interface ExecTarget {
  context: string;
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
}

export type StartExec = (t: ExecTarget, size: Dimensions | undefined) => Promise<ExecSession>;

/** Terminals want CRLF; a container's tty already sends it, but error text from us does not. */
const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

export class ExecPty {
  private readonly writeEmitter = new SimpleEmitter<string>();
  private readonly closeEmitter = new SimpleEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private session?: ExecSession;
  private pendingInput: string[] = [];
  private closed = false;
  /** Set once the command ended: what the user saw as the final line. */
  exit?: ExecExit;

  constructor(
    private readonly target: ExecTarget,
    private readonly start: StartExec,
  ) {}

  open(initial: Dimensions | undefined): void {
    const where = `${this.target.namespace}/${this.target.pod}${this.target.container ? ` (${this.target.container})` : ''}`;
    this.writeEmitter.fire(crlf(`Connecting to ${where} in ${this.target.context}…\n`));
    this.start(this.target, initial).then(
      (s) => {
        if (this.closed) {
          s.close();
          return;
        }
        this.session = s;
        s.onStdout((d) => this.writeEmitter.fire(d.toString('utf8')));
        s.onStderr((d) => this.writeEmitter.fire(crlf(d.toString('utf8'))));
        for (const i of this.pendingInput) s.write(i);
        this.pendingInput = [];
        if (initial) s.resize(initial.columns, initial.rows);
        void s.exit.then((e) => this.finish(e));
      },
      (e: unknown) => {
        const msg = e instanceof Error ? e.message : String(e);
        this.writeEmitter.fire(crlf(`\nCould not open a terminal in ${where}: ${msg}\n`));
        this.finish({ code: 1, message: msg });
      },
    );
  }

  private finish(e: ExecExit): void {
    if (this.exit) return;
    this.exit = e;
    // The terminal stays open so the user can read the end of the session and its exit code; a key closes it.
    if (!this.closed)
      this.writeEmitter.fire(
        crlf(
          `\n[process exited with code ${e.code}${e.message && e.code !== 0 ? `: ${e.message}` : ''}] Press any key to close the terminal.\n`,
        ),
      );
  }

  handleInput(data: string): void {
    if (this.exit) {
      if (!this.closed) {
        this.closed = true;
        this.closeEmitter.fire(this.exit.code);
      }
      return;
    }
    if (this.session) this.session.write(data);
    else this.pendingInput.push(data);
  }

  setDimensions(d: Dimensions): void {
    this.session?.resize(d.columns, d.rows);
  }

  /** The user closed the terminal: end the remote process's stdin and the stream. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.session?.end();
      this.session?.close();
    } catch {
      // The stream may already be gone; closing is best-effort.
    }
  }
}
