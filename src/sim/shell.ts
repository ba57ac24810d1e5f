// A tiny shell that runs "inside" a simulated container. Everything is in-process and virtual:
// nothing here may ever touch the host's processes or files.
import type { KObj } from './store';
import { appKind } from './logs';
import { containerFiles } from './containers';
import { runTar } from './tar';

/** What a command can see of its container. */
export interface ContainerView {
  pod: string;
  namespace: string;
  container: string;
  image: string;
  podIP: string;
  /** argv of the container's main process (PID 1). */
  cmdline: string[];
  env: Record<string, string>;
  uid: number;
  /** Images without a shell or coreutils (distroless) can only run their own binary. */
  distroless: boolean;
  /** The pod's uid: the container's files live as long as the pod (containers.ts). */
  podUid?: string;
}

export function containerView(pod: KObj, container: string): ContainerView {
  const spec =
    [
      ...(pod.spec?.containers ?? []),
      ...(pod.spec?.initContainers ?? []),
      ...(pod.spec?.ephemeralContainers ?? []),
    ].find((c: { name: string }) => c.name === container) ?? {};
  const image: string = spec.image ?? 'busybox';
  const namespace = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOSTNAME: pod.spec?.hostname ?? pod.metadata.name,
    HOME: '/root',
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: 'tcp://10.96.0.1:443',
  };
  for (const e of spec.env ?? []) {
    // valueFrom (secrets, fieldRefs) resolves at container start in a real kubelet; a placeholder keeps the name visible.
    env[e.name] =
      e.value ??
      (e.valueFrom?.fieldRef?.fieldPath === 'metadata.name'
        ? pod.metadata.name
        : e.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace'
          ? namespace
          : '');
  }
  const uid = Number(spec.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser ?? 0);
  const cmdline = [...(spec.command ?? defaultCommand(image)), ...(spec.args ?? [])];
  return {
    pod: pod.metadata.name,
    namespace,
    container,
    image,
    podIP: pod.status?.podIP ?? '10.244.0.10',
    cmdline,
    env,
    uid,
    distroless: /distroless|scratch/.test(image),
    podUid: pod.metadata.uid,
  };
}

function defaultCommand(image: string): string[] {
  switch (appKind(image)) {
    case 'nginx':
      return ['nginx', '-g', 'daemon off;'];
    case 'postgres':
      return ['postgres'];
    case 'mysql':
      return ['mysqld'];
    case 'redis':
      return ['redis-server', '*:6379'];
    case 'python':
      return ['python', 'app.py'];
    case 'node':
      return ['node', 'server.js'];
    case 'java':
      return ['java', '-jar', '/app/app.jar'];
    case 'coredns':
      return ['/coredns', '-conf', '/etc/coredns/Corefile'];
    case 'shell':
      return ['sh'];
    default:
      return ['/app/server'];
  }
}

/** Buffered input with an end: the container's stdin. */
export class InputQueue {
  private chunks: string[] = [];
  private ended = false;
  private waiter?: () => void;

  push(data: string): void {
    this.chunks.push(data);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** The next chunk, or null at end of input. */
  async read(): Promise<string | null> {
    while (this.chunks.length === 0) {
      if (this.ended) return null;
      await new Promise<void>((r) => (this.waiter = r));
    }
    return this.chunks.shift()!;
  }

  async readLine(): Promise<string | null> {
    let acc = '';
    for (;;) {
      const i = acc.indexOf('\n');
      if (i >= 0) {
        if (i + 1 < acc.length) this.chunks.unshift(acc.slice(i + 1));
        return acc.slice(0, i);
      }
      const c = await this.read();
      if (c === null) return acc === '' ? null : acc;
      acc += c;
    }
  }

  async readAll(): Promise<string> {
    let s = '';
    for (let c = await this.read(); c !== null; c = await this.read()) s += c;
    return s;
  }
}

export interface ShellIO {
  stdout(s: string): void;
  stderr(s: string): void;
  stdin: InputQueue;
  /** Aborted when the session goes away, so sleeps and reads do not outlive it. */
  signal?: AbortSignal;
  /** Waits `ms` of simulated time (default: wall time); the container's main process sleeps on the simulator's clock. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Runs the image's own program (nginx, postgres, …) when a script starts it. Without it the shell refuses (an exec
   * next to the running app); the container's main process passes one that runs until the container is killed.
   */
  app?: (argv: string[]) => Promise<number>;
}

type Part = { lit: string } | { var: string };
type Word = Part[];
/** `>file`, `>>file`, `2>file`, `>&2`, `2>&1`. */
interface Redirect {
  fd: 1 | 2;
  path?: Word;
  toFd?: 1 | 2;
  append: boolean;
}
interface Command {
  words: Word[];
  redirects: Redirect[];
}
interface Pipeline {
  cmds: Command[];
  op: ';' | '&&' | '||';
}
/** A parsed script: pipelines and the compound commands (while/until, for, if) built from them. */
type Item =
  | { kind: 'pipe'; cmds: Command[]; op: Pipeline['op'] }
  | { kind: 'loop'; until: boolean; cond: Item[]; body: Item[]; op: Pipeline['op'] }
  | { kind: 'for'; name: string; words: Word[]; body: Item[]; op: Pipeline['op'] }
  | { kind: 'if'; branches: Array<{ cond: Item[]; body: Item[] }>; otherwise?: Item[]; op: Pipeline['op'] };

class ExitSignal {
  constructor(readonly code: number) {}
}

const FILES = (v: ContainerView, osRelease: string): Record<string, string> => ({
  '/etc/hostname': `${v.env.HOSTNAME}\n`,
  '/etc/hosts': `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${v.podIP}\t${v.env.HOSTNAME}\n`,
  '/etc/resolv.conf': `search ${v.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`,
  '/etc/os-release': osRelease,
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
  '/proc/1/cmdline': v.cmdline.join('\0') + '\0',
  '/proc/version': 'Linux version 6.1.0-sim (builder@kubegraf) (gcc 12.2.0) #1 SMP PREEMPT_DYNAMIC\n',
  '/var/run/secrets/kubernetes.io/serviceaccount/namespace': v.namespace,
  '/var/run/secrets/kubernetes.io/serviceaccount/token': 'eyJhbGciOiJSUzI1NiIsImtpZCI6InNpbSJ9.c2ltdWxhdGVk.c2lt',
  '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt':
    '-----BEGIN CERTIFICATE-----\nMIIBsimulated\n-----END CERTIFICATE-----\n',
});

const ALPINE =
  'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\nHOME_URL="https://alpinelinux.org/"\n';
const DEBIAN =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\n';

const BINARIES = [
  ':',
  '[',
  'cat',
  'cd',
  'clear',
  'date',
  'echo',
  'env',
  'exit',
  'export',
  'false',
  'grep',
  'head',
  'hostname',
  'id',
  'ls',
  'printenv',
  'ps',
  'mkdir',
  'printf',
  'pwd',
  'rm',
  'sh',
  'bash',
  'sleep',
  'stty',
  'tar',
  'test',
  'touch',
  'true',
  'uname',
  'whoami',
];

export class Shell {
  cwd = '/';
  lastStatus = 0;
  private vars: Record<string, string>;
  private files: Record<string, string>;
  private readonly startedAt = Date.now();
  private sleeping?: AbortController;

  /**
   * `files` is the container's filesystem when several shells share it (the main process, exec probes, kubectl exec):
   * pass the same object to each; an empty one is filled with the usual files.
   */
  constructor(
    readonly view: ContainerView,
    private readonly io: ShellIO,
    private readonly now: () => Date = () => new Date(),
    files?: Record<string, string>,
  ) {
    this.vars = { ...view.env, PWD: '/', SHELL: '/bin/sh', USER: view.uid === 0 ? 'root' : String(view.uid) };
    // The kubelet's running instance shares its filesystem (process, probes, kubectl exec); else the runtime's own.
    const init = () => FILES(view, /alpine|busybox/.test(view.image) ? ALPINE : DEBIAN);
    this.files = files ?? containerFiles(view.podUid, view.container, init);
    if (Object.keys(this.files).length === 0) Object.assign(this.files, init());
  }

  /** The terminal's size, as a resize message on the exec stream sets it (what `stty size` and $COLUMNS show). */
  resize(cols: number, rows: number): void {
    this.vars.COLUMNS = String(cols);
    this.vars.LINES = String(rows);
  }

  /** Whether argv[0] exists in this image (kubectl exec of a missing binary fails before anything runs). */
  hasBinary(name: string): boolean {
    const base = name.replace(/^.*\//, '');
    if (this.view.distroless) return this.view.cmdline[0] === name;
    return (
      BINARIES.includes(base) ||
      base === this.view.cmdline[0]?.replace(/^.*\//, '') ||
      base === defaultCommand(this.view.image)[0].replace(/^.*\//, '')
    );
  }

  /** Runs argv as `kubectl exec -- argv` would; returns the exit code. */
  async exec(argv: string[]): Promise<number> {
    try {
      return await this.runCommand(argv, this.io.stdin, this.io.stdout, this.io.stderr);
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
  }

  /** Runs one command line; `exit` ends the session by throwing ExitSignal out of runScript. */
  async runLine(line: string, out: (s: string) => void = this.io.stdout): Promise<number> {
    let items: Item[];
    try {
      items = structure(parse(line));
    } catch (e) {
      this.io.stderr(`sh: syntax error: ${(e as Error).message}\n`);
      return (this.lastStatus = 2);
    }
    return this.runItems(items, out);
  }

  private async runItems(items: Item[], out: (s: string) => void): Promise<number> {
    for (const it of items) {
      if (it.op === '&&' && this.lastStatus !== 0) continue;
      if (it.op === '||' && this.lastStatus === 0) continue;
      this.lastStatus = await this.runItem(it, out);
    }
    return this.lastStatus;
  }

  private async runItem(it: Item, out: (s: string) => void): Promise<number> {
    switch (it.kind) {
      case 'pipe':
        return this.runPipeline(it.cmds, out);
      case 'if': {
        for (const b of it.branches) if ((await this.runItems(b.cond, out)) === 0) return this.runItems(b.body, out);
        return it.otherwise ? this.runItems(it.otherwise, out) : 0;
      }
      case 'for': {
        let status = 0;
        for (const v of it.words.flatMap((w) => this.expand(w).split(/\s+/).filter(Boolean))) {
          this.vars[it.name] = v;
          status = await this.runItems(it.body, out);
          await this.breathe();
        }
        return status;
      }
      case 'loop': {
        let status = 0;
        for (;;) {
          const c = await this.runItems(it.cond, out);
          if ((c === 0) === it.until) return status;
          status = await this.runItems(it.body, out);
          await this.breathe();
        }
      }
    }
  }

  private spins = 0;
  /** A loop without sleeps must not starve the event loop, and ends when its session does. */
  private async breathe(): Promise<void> {
    if (this.io.signal?.aborted) throw new ExitSignal(143);
    if (++this.spins % 200 === 0) await new Promise((r) => setTimeout(r, 20));
    else await new Promise((r) => setImmediate(r));
  }

  /** Reads commands from stdin until EOF or `exit`: `sh` with no arguments. */
  async runScript(prompt?: () => string): Promise<number> {
    try {
      for (;;) {
        if (prompt) this.io.stdout(prompt());
        const line = await this.io.stdin.readLine();
        if (line === null) return this.lastStatus;
        await this.runLine(line);
      }
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
  }

  /** ^C: cuts short whatever is waiting (only sleep ever waits on its own). */
  interrupt(): void {
    this.sleeping?.abort();
  }

  prompt(): string {
    return `${this.cwd} ${this.view.uid === 0 ? '#' : '$'} `;
  }

  private async runPipeline(cmds: Command[], out: (s: string) => void): Promise<number> {
    let input: InputQueue = this.io.stdin;
    let status = 0;
    for (let i = 0; i < cmds.length; i++) {
      const last = i === cmds.length - 1;
      const c = cmds[i];
      const argv = c.words.map((w) => this.expand(w));
      // Leading NAME=value words set shell variables (no per-command environment here).
      while (argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0])) {
        const a = argv.shift()!;
        const eq = a.indexOf('=');
        this.vars[a.slice(0, eq)] = a.slice(eq + 1);
      }
      if (argv.length === 0) continue;
      let buf = '';
      const sinks: Record<1 | 2, (s: string) => void> = {
        1: last ? out : (s: string) => (buf += s),
        2: this.io.stderr,
      };
      for (const r of c.redirects) {
        if (r.toFd) {
          sinks[r.fd] = sinks[r.toFd];
          continue;
        }
        const path = this.resolve(this.expand(r.path!));
        if (path === '/dev/null') sinks[r.fd] = () => {};
        else {
          if (!r.append) this.files[path] = '';
          sinks[r.fd] = (s: string) => (this.files[path] = (this.files[path] ?? '') + s);
        }
      }
      status = await this.runCommand(argv, input, sinks[1], sinks[2]);
      if (!last) {
        input = new InputQueue();
        input.push(buf);
        input.end();
      }
    }
    return status;
  }

  private expand(w: Word): string {
    return w
      .map((p) =>
        'lit' in p ? p.lit : p.var === '?' ? String(this.lastStatus) : p.var === '$' ? '1' : (this.vars[p.var] ?? ''),
      )
      .join('');
  }

  private resolve(p: string): string {
    const abs = p.startsWith('/') ? p : `${this.cwd === '/' ? '' : this.cwd}/${p}`;
    const out: string[] = [];
    for (const seg of abs.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') out.pop();
      else out.push(seg);
    }
    return '/' + out.join('/');
  }

  /** Directory listing derived from the virtual files plus the usual top-level layout. */
  private entries(dir: string): string[] | undefined {
    const base = ['bin', 'dev', 'etc', 'home', 'lib', 'proc', 'root', 'run', 'sbin', 'sys', 'tmp', 'usr', 'var'];
    const names = new Set<string>(dir === '/' ? base : []);
    const prefix = dir === '/' ? '/' : dir + '/';
    for (const f of Object.keys(this.files)) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]);
    if (dir === '/bin') BINARIES.forEach((b) => names.add(b));
    if (
      names.size === 0 &&
      !['/tmp', '/home', '/root', '/dev', '/sys', '/run', '/usr', '/lib', '/sbin', '/var/log'].includes(dir)
    )
      return undefined;
    return [...names].sort();
  }

  private async runCommand(
    argv: string[],
    stdin: InputQueue,
    out: (s: string) => void,
    err: (s: string) => void,
  ): Promise<number> {
    const [cmd, ...args] = argv;
    const name = cmd.replace(/^(\/usr)?\/s?bin\//, '');
    if (!this.hasBinary(cmd)) {
      err(`sh: ${cmd}: not found\n`);
      return 127;
    }
    switch (name) {
      case 'true':
      case ':':
        return 0;
      case 'test':
        return testExpr(args, (p) => this.resolve(p) in this.files || !!this.entries(this.resolve(p)));
      case '[':
        if (args[args.length - 1] !== ']') {
          err('sh: missing ]\n');
          return 2;
        }
        return testExpr(args.slice(0, -1), (p) => this.resolve(p) in this.files || !!this.entries(this.resolve(p)));
      case 'touch':
        for (const a of args) this.files[this.resolve(a)] ??= '';
        return 0;
      case 'mkdir':
        return 0;
      case 'rm': {
        const force = args.some((a) => /^-\w*f/.test(a));
        let rc = 0;
        for (const a of args.filter((x) => !x.startsWith('-'))) {
          const path = this.resolve(a);
          if (path in this.files) delete this.files[path];
          else if (!force) {
            err(`rm: can't remove '${a}': No such file or directory\n`);
            rc = 1;
          }
        }
        return rc;
      }
      case 'printf': {
        let i = 0;
        const fmt = args[0] ?? '';
        out(
          fmt
            .replace(/%[sd]/g, () => args[++i] ?? '')
            .replace(/\\n/g, '\n')
            .replace(/\\t/g, '\t'),
        );
        return 0;
      }
      case 'false':
        return 1;
      case 'exit':
        throw new ExitSignal(args[0] === undefined ? this.lastStatus : Number(args[0]) & 255 || 0);
      case 'echo': {
        let nl = true;
        let esc = false;
        while (args[0] === '-n' || args[0] === '-e') {
          if (args.shift() === '-n') nl = false;
          else esc = true;
        }
        let s = args.join(' ');
        if (esc) s = s.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
        out(s + (nl ? '\n' : ''));
        return 0;
      }
      case 'pwd':
        out(this.cwd + '\n');
        return 0;
      case 'cd': {
        const to = this.resolve(args[0] ?? this.vars.HOME ?? '/');
        if (!this.entries(to)) {
          err(`sh: cd: can't cd to ${args[0]}: No such file or directory\n`);
          return 2;
        }
        this.cwd = this.vars.PWD = to;
        return 0;
      }
      case 'hostname':
        out(this.vars.HOSTNAME + '\n');
        return 0;
      case 'stty':
        if (args[0] === 'size') {
          if (!this.vars.COLUMNS) {
            err('stty: standard input: Not a tty\n');
            return 1;
          }
          out(`${this.vars.LINES} ${this.vars.COLUMNS}\n`);
          return 0;
        }
        err(`stty: unsupported here: ${args.join(' ')}\n`);
        return 1;
      case 'whoami':
        if (this.view.uid !== 0) {
          err(`whoami: unknown uid ${this.view.uid}\n`);
          return 1;
        }
        out('root\n');
        return 0;
      case 'id':
        out(
          this.view.uid === 0
            ? 'uid=0(root) gid=0(root) groups=0(root)\n'
            : `uid=${this.view.uid} gid=${this.view.uid} groups=${this.view.uid}\n`,
        );
        return 0;
      case 'env':
      case 'printenv': {
        if (args.length) {
          const missing = args.filter((a) => !(a in this.vars));
          for (const a of args) if (a in this.vars) out(this.vars[a] + '\n');
          return missing.length ? 1 : 0;
        }
        for (const [k, v] of Object.entries(this.vars)) if (k !== 'SHELL' && k !== 'USER') out(`${k}=${v}\n`);
        return 0;
      }
      case 'export':
        for (const a of args) {
          const eq = a.indexOf('=');
          if (eq > 0) this.vars[a.slice(0, eq)] = a.slice(eq + 1);
        }
        return 0;
      case 'date':
        out(
          this.now()
            .toUTCString()
            .replace(
              /^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/,
              (_m, wd, d, mon, y, hms) => `${wd} ${mon} ${d.replace(/^0/, ' ')} ${hms} UTC ${y}`,
            ) + '\n',
        );
        return 0;
      case 'uname':
        out(
          args.includes('-a')
            ? `Linux ${this.vars.HOSTNAME} 6.1.0-sim #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux\n`
            : 'Linux\n',
        );
        return 0;
      case 'clear':
        out('\x1b[H\x1b[2J');
        return 0;
      case 'ps': {
        const up = Math.floor((Date.now() - this.startedAt) / 60000);
        out(
          `PID   USER     TIME  COMMAND\n    1 ${this.view.uid === 0 ? 'root' : this.view.uid}      0:0${up % 10} ${this.view.cmdline.join(' ')}\n   42 root      0:00 sh\n   57 root      0:00 ps ${args.join(' ')}\n`,
        );
        return 0;
      }
      case 'sleep': {
        const secs = args[0] === 'infinity' ? Infinity : sleepSeconds(args[0]);
        if (Number.isNaN(secs) || secs < 0) {
          err(`sleep: invalid number '${args[0] ?? ''}'\n`);
          return 1;
        }
        const ac = (this.sleeping = new AbortController());
        const stop = () => ac.abort();
        this.io.signal?.addEventListener('abort', stop);
        if (this.io.signal?.aborted) ac.abort();
        if (secs === Infinity) await new Promise<void>((r) => ac.signal.addEventListener('abort', () => r()));
        else if (this.io.sleep) await this.io.sleep(secs * 1000, ac.signal);
        else await abortableDelay(secs * 1000, ac.signal);
        this.io.signal?.removeEventListener('abort', stop);
        this.sleeping = undefined;
        return ac.signal.aborted ? 130 : 0;
      }
      case 'ls':
        return this.ls(args, out, err);
      case 'cat': {
        if (args.length === 0 || (args.length === 1 && args[0] === '-')) {
          for (let c = await stdin.read(); c !== null; c = await stdin.read()) out(c);
          return 0;
        }
        let rc = 0;
        for (const a of args) {
          const p = this.resolve(a);
          if (p in this.files) out(this.files[p]);
          else {
            err(`cat: ${a}: ${this.entries(p) ? 'Is a directory' : 'No such file or directory'}\n`);
            rc = 1;
          }
        }
        return rc;
      }
      case 'head':
      case 'grep':
        return this.filter(name, args, stdin, out, err);
      case 'tar':
        return runTar(args, { files: this.files, isDir: (p) => !!this.entries(p), stdin, out, err }, this.cwd);
      case 'sh':
      case 'bash': {
        if (args[0] === '-c') {
          if (args[1] === undefined) {
            err(`${name}: -c: option requires an argument\n`);
            return 2;
          }
          // A child shell: its `exit` ends it, not the caller.
          const sub = new Shell(this.view, { ...this.io, stdin, stdout: out, stderr: err }, this.now, this.files);
          sub.cwd = this.cwd;
          Object.assign(sub.vars, this.vars);
          try {
            return await sub.runLine(args[1], out);
          } catch (e) {
            if (e instanceof ExitSignal) return e.code;
            throw e;
          }
        }
        if (args.length) {
          err(`${name}: can't open '${args[0]}': No such file or directory\n`);
          return 2;
        }
        // A nested non-interactive shell reading the rest of stdin.
        const sub = new Shell(this.view, { ...this.io, stdin, stdout: out, stderr: err }, this.now, this.files);
        sub.cwd = this.cwd;
        return sub.runScript();
      }
      default:
        if (this.io.app) return this.io.app(argv);
        // The image's own binary: it would run the app again; a short refusal is closer to reality than silence.
        err(`${cmd}: address already in use\n`);
        return 1;
    }
  }

  private ls(args: string[], out: (s: string) => void, err: (s: string) => void): number {
    const flags = args.filter((a) => a.startsWith('-')).join('');
    const paths = args.filter((a) => !a.startsWith('-'));
    let rc = 0;
    for (const a of paths.length ? paths : ['.']) {
      const p = this.resolve(a);
      if (p in this.files) {
        out(
          flags.includes('l')
            ? `-rw-r--r--    1 root     root     ${String(this.files[p].length).padStart(8)} Jan  1 00:00 ${a}\n`
            : a + '\n',
        );
        continue;
      }
      const names = this.entries(p);
      if (!names) {
        err(`ls: ${a}: No such file or directory\n`);
        rc = 1;
        continue;
      }
      if (paths.length > 1) out(`${a}:\n`);
      const all = flags.includes('a') ? ['.', '..', ...names] : names;
      if (flags.includes('l')) {
        out(`total ${all.length * 4}\n`);
        for (const n of all) {
          const f = this.files[p === '/' ? `/${n}` : `${p}/${n}`];
          out(
            f !== undefined
              ? `-rw-r--r--    1 root     root     ${String(f.length).padStart(8)} Jan  1 00:00 ${n}\n`
              : `drwxr-xr-x    2 root     root         4096 Jan  1 00:00 ${n}\n`,
          );
        }
      } else if (all.length) out(all.join(flags.includes('1') ? '\n' : '  ') + '\n');
    }
    return rc;
  }

  private async filter(
    name: string,
    args: string[],
    stdin: InputQueue,
    out: (s: string) => void,
    err: (s: string) => void,
  ): Promise<number> {
    const opts = args.filter((a) => a.startsWith('-'));
    const rest = args.filter((a) => !a.startsWith('-'));
    let text: string;
    const file = name === 'grep' ? rest[1] : rest[0];
    if (file !== undefined) {
      const p = this.resolve(file);
      if (!(p in this.files)) {
        err(`${name}: ${file}: No such file or directory\n`);
        return name === 'grep' ? 2 : 1;
      }
      text = this.files[p];
    } else text = await stdin.readAll();
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (name === 'head') {
      const n = Number((opts.find((o) => /^-n?\d+$/.test(o)) ?? '-10').replace(/^-n?/, ''));
      for (const l of lines.slice(0, n)) out(l + '\n');
      return 0;
    }
    if (rest[0] === undefined) {
      err('Usage: grep [-iv] PATTERN [FILE]\n');
      return 2;
    }
    const re = new RegExp(rest[0], opts.some((o) => o.includes('i')) ? 'i' : '');
    const invert = opts.some((o) => o.includes('v'));
    const hits = lines.filter((l) => re.test(l) !== invert);
    for (const l of hits) out(l + '\n');
    return hits.length ? 0 : 1;
  }
}

function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}

/** Splits a command line into pipelines joined by ; && ||, honouring quotes, escapes and $VAR. */
function parse(line: string): Pipeline[] {
  const pipelines: Pipeline[] = [];
  let cmds: Command[] = [];
  let words: Word[] = [];
  let word: Word | undefined;
  let redirects: Redirect[] = [];
  let pending: Redirect | undefined;
  let op: Pipeline['op'] = ';';
  const lit = (s: string) => {
    word ??= [];
    const last = word[word.length - 1];
    if (last && 'lit' in last) last.lit += s;
    else word.push({ lit: s });
  };
  const endWord = () => {
    if (!word) return;
    if (pending) {
      redirects.push({ ...pending, path: word });
      pending = undefined;
    } else words.push(word);
    word = undefined;
  };
  const endCmd = () => {
    endWord();
    if (pending) throw new Error('unexpected end of redirection');
    if (words.length || redirects.length) cmds.push({ words, redirects });
    words = [];
    redirects = [];
  };
  const endPipeline = (next: Pipeline['op']) => {
    endCmd();
    if (cmds.length) pipelines.push({ cmds, op });
    else if (next !== ';') throw new Error(`unexpected "${next}"`);
    cmds = [];
    op = next;
  };
  const readVar = (i: number): [Part, number] => {
    if (line[i] === '{') {
      const end = line.indexOf('}', i);
      if (end < 0) throw new Error('bad substitution');
      return [{ var: line.slice(i + 1, end) }, end + 1];
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[?$])/.exec(line.slice(i));
    return m ? [{ var: m[1] }, i + m[1].length] : [{ lit: '$' }, i];
  };
  const pushPart = (p: Part) => ('lit' in p ? lit(p.lit) : (word ??= []).push(p));
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      i++;
    } else if (ch === '#' && !word) {
      // A comment runs to the end of its line.
      const nl = line.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
    } else if (ch === '\n') {
      // A line break ends a command, unless nothing is pending (blank lines, or after `&&` / `||`).
      if (word || words.length || redirects.length || cmds.length) endPipeline(';');
      i++;
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated quoted string');
      lit(line.slice(i + 1, end));
      i = end + 1;
    } else if (ch === '"') {
      i++;
      word ??= [];
      while (line[i] !== '"') {
        if (i >= line.length) throw new Error('unterminated quoted string');
        if (line[i] === '\\' && '"\\$`'.includes(line[i + 1] ?? '')) {
          lit(line[i + 1]);
          i += 2;
        } else if (line[i] === '$') {
          const [p, next] = readVar(i + 1);
          pushPart(p);
          i = next;
        } else lit(line[i++]);
      }
      i++;
    } else if (ch === '\\') {
      lit(line[i + 1] ?? '');
      i += 2;
    } else if (ch === '$') {
      const [p, next] = readVar(i + 1);
      pushPart(p);
      i = next;
    } else if (ch === ';') {
      endPipeline(';');
      i++;
    } else if (line.startsWith('&&', i)) {
      endPipeline('&&');
      i += 2;
    } else if (line.startsWith('||', i)) {
      endPipeline('||');
      i += 2;
    } else if (ch === '|') {
      endCmd();
      i++;
    } else if (ch === '>') {
      // "2>" names the descriptor: a word that is exactly one digit right before '>'.
      let fd: 1 | 2 = 1;
      if (word && word.length === 1 && 'lit' in word[0] && /^[12]$/.test(word[0].lit) && /[12]/.test(line[i - 1])) {
        fd = Number(word[0].lit) as 1 | 2;
        word = undefined;
      }
      endWord();
      const append = line[i + 1] === '>';
      i += append ? 2 : 1;
      const dup = /^&([12])/.exec(line.slice(i));
      if (dup) {
        redirects.push({ fd, toFd: Number(dup[1]) as 1 | 2, append });
        i += 2;
      } else pending = { fd, append };
    } else if (ch === '&') {
      throw new Error('background jobs are not supported');
    } else lit(line[i++]);
  }
  endPipeline(';');
  return pipelines;
}

const KEYWORDS = new Set(['while', 'until', 'do', 'done', 'for', 'if', 'then', 'elif', 'else', 'fi']);

function keywordOf(p: Pipeline): string | undefined {
  const w = p.cmds[0]?.words[0];
  return w && w.length === 1 && 'lit' in w[0] && KEYWORDS.has(w[0].lit) ? w[0].lit : undefined;
}

/** The pipeline without its leading keyword (`do echo hi` → `echo hi`), or nothing if that was all of it. */
function afterKeyword(p: Pipeline): Pipeline | undefined {
  const [first, ...more] = p.cmds;
  const words = first.words.slice(1);
  if (words.length === 0 && first.redirects.length === 0 && more.length === 0) return undefined;
  return { cmds: [{ words, redirects: first.redirects }, ...more], op: ';' };
}

/** Builds while/until, for and if from the flat pipelines `parse` returns (keywords start pipelines). */
function structure(ps: Pipeline[]): Item[] {
  const q = [...ps];
  let pos = 0;
  const enter = (p: Pipeline) => {
    pos++;
    const rest = afterKeyword(p);
    if (rest) q.splice(pos, 0, rest);
  };
  const list = (stops: string[]): [Item[], string] => {
    const out: Item[] = [];
    while (pos < q.length) {
      const p = q[pos];
      const kw = keywordOf(p);
      if (kw && stops.includes(kw)) {
        enter(p);
        return [out, kw];
      }
      if (kw === 'while' || kw === 'until') {
        enter(p);
        const [cond] = list(['do']);
        const [body] = list(['done']);
        out.push({ kind: 'loop', until: kw === 'until', cond, body, op: p.op });
      } else if (kw === 'for') {
        pos++;
        const ws = p.cmds[0].words;
        const name = ws[1]?.map((x) => ('lit' in x ? x.lit : '')).join('') ?? '';
        if (!/^[A-Za-z_]\w*$/.test(name)) throw new Error(`bad for loop variable "${name}"`);
        const isIn = ws[2]?.length === 1 && 'lit' in ws[2][0] && ws[2][0].lit === 'in';
        list(['do']);
        const [body] = list(['done']);
        out.push({ kind: 'for', name, words: isIn ? ws.slice(3) : [], body, op: p.op });
      } else if (kw === 'if') {
        enter(p);
        const branches: Array<{ cond: Item[]; body: Item[] }> = [];
        let otherwise: Item[] | undefined;
        for (let more = true; more;) {
          const [cond] = list(['then']);
          const [body, stop] = list(['elif', 'else', 'fi']);
          branches.push({ cond, body });
          if (stop === 'else') [otherwise] = list(['fi']);
          more = stop === 'elif';
        }
        out.push({ kind: 'if', branches, otherwise, op: p.op });
      } else if (kw) {
        throw new Error(`unexpected "${kw}"`);
      } else {
        out.push({ kind: 'pipe', cmds: p.cmds, op: p.op });
        pos++;
      }
    }
    if (stops.length) throw new Error(`unexpected end of file (expecting "${stops[0]}")`);
    return [out, ''];
  };
  return list([])[0];
}

/** `sleep 5`, `sleep 0.5`, `sleep 2m` (GNU and busybox suffixes s, m, h, d). */
function sleepSeconds(arg: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg ?? '');
  if (!m) return NaN;
  return Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
}

/** `test` / `[`: files (-f -e -d), strings (-z -n = !=), integers (-eq -ne -lt -le -gt -ge) and `!`. */
function testExpr(args: string[], exists: (p: string) => boolean): number {
  if (args[0] === '!') return testExpr(args.slice(1), exists) === 0 ? 1 : 0;
  const [a, op, b] = args;
  let ok: boolean;
  if (args.length === 0) ok = false;
  else if (args.length === 1) ok = a !== '';
  else if (args.length === 2)
    ok = a === '-z' ? op === '' : a === '-n' ? op !== '' : ['-f', '-e', '-d', '-r', '-s'].includes(a) && exists(op);
  else {
    const x = Number(a);
    const y = Number(b);
    const ops: Record<string, boolean> = {
      '=': a === b,
      '==': a === b,
      '!=': a !== b,
      '-eq': x === y,
      '-ne': x !== y,
      '-lt': x < y,
      '-le': x <= y,
      '-gt': x > y,
      '-ge': x >= y,
    };
    if (!(op in ops)) return 2;
    ok = ops[op];
  }
  return ok ? 0 : 1;
}

/**
 * The terminal's line discipline for `-t` sessions: echo, erase, ^C, ^D and CRLF output, which a real
 * pty does in the kernel. Raw keystrokes go in; whole lines come out on `lines`.
 */
export class LineDiscipline {
  readonly lines = new InputQueue();
  private line = '';
  private escape = 0;

  constructor(
    private readonly echo: (s: string) => void,
    private readonly onInterrupt: () => void,
  ) {}

  input(data: string): void {
    for (const ch of data) {
      // Escape sequences (arrow keys) are dropped whole: there is no history or cursor movement here.
      if (this.escape) {
        if (this.escape === 1 && ch === '[') this.escape = 2;
        else if (this.escape === 1 || /[A-Za-z~]/.test(ch)) this.escape = 0;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        this.echo('\r\n');
        this.lines.push(this.line + '\n');
        this.line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line) {
          this.line = this.line.slice(0, -1);
          this.echo('\b \b');
        }
      } else if (ch === '\x03') {
        this.echo('^C\r\n');
        this.line = '';
        this.onInterrupt();
      } else if (ch === '\x15') {
        this.echo('\b \b'.repeat(this.line.length));
        this.line = '';
      } else if (ch === '\x04') {
        if (this.line === '') this.lines.end();
      } else if (ch === '\x1b') {
        this.escape = 1;
      } else if (ch >= ' ') {
        this.line += ch;
        this.echo(ch);
      }
    }
  }

  end(): void {
    this.lines.end();
  }
}

/** A pty turns "\n" into "\r\n" on output. */
export const toCrlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
