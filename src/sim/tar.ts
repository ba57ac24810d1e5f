// `tar` inside a simulated container, enough for `kubectl cp` (which runs `tar cf - <path>` to copy from a pod and
// `tar xmf - -C <dir>` to copy to one) over the container's in-memory files. The archive format is tar-stream's.
// Files are text (the shell's file system holds strings), so archives carry UTF-8 content.
import { extract, pack } from 'tar-stream';
import type { InputQueue } from './shell';

/** What tar sees of the shell it runs in. */
export interface TarHost {
  files: Record<string, string>;
  isDir(p: string): boolean;
  stdin: InputQueue;
  out(s: string): void;
  err(s: string): void;
}

interface TarArgs {
  mode?: 'c' | 'x' | 't';
  file?: string;
  dir?: string;
  verbose: boolean;
  paths: string[];
}

/** An absolute, normalized path for `p` relative to `cwd`. */
function resolve(p: string, cwd: string): string {
  const out: string[] = [];
  for (const seg of (p.startsWith('/') ? p : `${cwd}/${p}`).split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

const USAGE = "tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\n";

function parseArgs(args: string[]): TarArgs | string {
  const a: TarArgs = { verbose: false, paths: [] };
  const rest = [...args];
  // The first word may be old-style bundled letters without a dash: `tar cf - x`.
  if (rest.length && /^[a-zA-Z]+$/.test(rest[0])) rest[0] = '-' + rest[0];
  while (rest.length) {
    const w = rest.shift()!;
    if (w === '--') {
      a.paths.push(...rest.splice(0));
      break;
    }
    if (w.startsWith('--')) {
      const [name, value] = w.slice(2).split('=', 2);
      if (name === 'directory') a.dir = value ?? rest.shift();
      else if (name === 'file') a.file = value ?? rest.shift();
      else if (name === 'create' || name === 'extract' || name === 'list')
        a.mode = name === 'create' ? 'c' : name === 'extract' ? 'x' : 't';
      else if (name === 'verbose') a.verbose = true;
      // --no-same-permissions, --no-same-owner, --touch and the like change nothing for in-memory files.
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      for (let i = 1; i < w.length; i++) {
        const ch = w[i];
        if (ch === 'c' || ch === 'x' || ch === 't') {
          if (a.mode && a.mode !== ch)
            return "tar: You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option\n";
          a.mode = ch;
        } else if (ch === 'v') a.verbose = true;
        else if (ch === 'f' || ch === 'C') {
          const v = i + 1 < w.length ? w.slice(i + 1) : rest.shift();
          if (v === undefined) return `tar: option requires an argument -- '${ch}'\n`;
          if (ch === 'f') a.file = v;
          else a.dir = v;
          break;
        } else if (ch === 'z' || ch === 'j' || ch === 'J') return 'tar: compressed archives are not supported here\n';
        // m (keep no mtime), p, o and the like: nothing to do in memory.
      }
      continue;
    }
    a.paths.push(w);
  }
  return a;
}

/** Runs `tar` with `args`; returns its exit status. */
export async function runTar(args: string[], h: TarHost, cwd: string): Promise<number> {
  const a = parseArgs(args);
  if (typeof a === 'string') {
    h.err(a + "Try 'tar --help' or 'tar --usage' for more information.\n");
    return 2;
  }
  if (!a.mode) {
    h.err(USAGE + "Try 'tar --help' or 'tar --usage' for more information.\n");
    return 2;
  }
  const base = a.dir !== undefined ? resolve(a.dir, cwd) : cwd;
  if (a.dir !== undefined && !h.isDir(base)) {
    h.err(`tar: ${a.dir}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n`);
    return 2;
  }
  const toArchive = a.file === undefined || a.file === '-';
  if (a.mode === 'c') return create(a, h, base, toArchive);
  let archive: Buffer;
  if (toArchive) archive = Buffer.from(await h.stdin.readAll(), 'utf8');
  else {
    const p = resolve(a.file!, cwd);
    if (!(p in h.files)) {
      h.err(`tar: ${a.file}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n`);
      return 2;
    }
    archive = Buffer.from(h.files[p], 'utf8');
  }
  return readArchive(archive, a, h, base);
}

async function create(a: TarArgs, h: TarHost, base: string, toStdout: boolean): Promise<number> {
  if (a.paths.length === 0) {
    h.err('tar: Cowardly refusing to create an empty archive\n');
    return 2;
  }
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    p.on('end', () => resolve());
    p.on('error', reject);
  });
  const mtime = new Date();
  let failed = false;
  let warnedSlash = false;
  const listed: string[] = [];
  const add = (name: string, content?: string) => {
    listed.push(name);
    if (content === undefined) p.entry({ name, type: 'directory', mode: 0o755, mtime });
    else p.entry({ name, type: 'file', mode: 0o644, mtime }, content);
  };
  for (const given of a.paths) {
    const abs = resolve(given, base);
    let member = given.replace(/^\.\/+/, '');
    if (member.startsWith('/')) {
      member = member.replace(/^\/+/, '');
      if (!warnedSlash) h.err("tar: Removing leading `/' from member names\n");
      warnedSlash = true;
    }
    member = member.replace(/\/+$/, '');
    if (abs in h.files) {
      add(member || '.', h.files[abs]);
      continue;
    }
    if (!h.isDir(abs)) {
      h.err(`tar: ${given}: Cannot stat: No such file or directory\n`);
      failed = true;
      continue;
    }
    const prefix = abs === '/' ? '/' : abs + '/';
    const under = Object.keys(h.files)
      .filter((f) => f.startsWith(prefix))
      .sort();
    const join = (rel: string) => (member ? `${member}/${rel}` : rel);
    add(member ? `${member}/` : './');
    const dirs = new Set<string>();
    for (const f of under) {
      const rel = f.slice(prefix.length);
      const parts = rel.split('/');
      for (let i = 1; i < parts.length; i++) {
        const d = parts.slice(0, i).join('/');
        if (!dirs.has(d)) {
          dirs.add(d);
          add(join(d) + '/');
        }
      }
      add(join(rel), h.files[f]);
    }
  }
  p.finalize();
  await ended;
  const archive = Buffer.concat(chunks);
  if (a.verbose) (toStdout ? h.err : h.out)(listed.map((n) => n + '\n').join(''));
  if (toStdout) h.out(archive.toString('utf8'));
  else h.files[resolve(a.file!, base)] = archive.toString('utf8');
  if (failed) h.err('tar: Exiting with failure status due to previous errors\n');
  return failed ? 2 : 0;
}

async function readArchive(archive: Buffer, a: TarArgs, h: TarHost, base: string): Promise<number> {
  const ex = extract();
  const entries: Array<{ name: string; type: string; content: string }> = [];
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: unknown) => parts.push(c as Buffer));
      stream.on('end', () => {
        entries.push({ name: header.name, type: header.type, content: Buffer.concat(parts).toString('utf8') });
        next();
      });
      stream.on('error', reject);
    });
    ex.on('finish', () => resolve());
    ex.on('error', reject);
  });
  ex.end(archive);
  try {
    await done;
  } catch {
    h.err('tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\n');
    return 2;
  }
  if (archive.length > 0 && entries.length === 0 && archive.some((b) => b !== 0)) {
    h.err('tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\n');
    return 2;
  }
  let failed = false;
  for (const e of entries) {
    if (a.mode === 't' || a.verbose) h.out(e.name + '\n');
    if (a.mode !== 'x' || e.type !== 'file') continue;
    const target = resolve(e.name.replace(/^\/+/, ''), base);
    if (h.isDir(target)) {
      h.err(`tar: ${e.name}: Cannot open: Is a directory\n`);
      failed = true;
      continue;
    }
    h.files[target] = e.content;
  }
  if (failed) h.err('tar: Exiting with failure status due to previous errors\n');
  return failed ? 2 : 0;
}
