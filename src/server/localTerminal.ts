// `/api/local/terminal`: a shell on this machine through node-pty, loaded only here and only when asked for.
import type { SocketPeer } from '../shared/socket';
import type { TerminalClientMessage, TerminalServerMessage } from '../shared/routes/push';
import { availableShells, defaultShell } from '../core/api/system';
import type { UpgradeContext } from './upgrades';

interface Pty {
  onData(fn: (d: string) => void): void;
  onExit(fn: (e: { exitCode: number }) => void): void;
  write(d: string): void;
  resize(c: number, r: number): void;
  kill(): void;
}
type PtyModule = { spawn(file: string, args: string[], o: Record<string, unknown>): Pty };

let loaded: Promise<PtyModule> | undefined;

/** node-pty is native and optional: a missing or broken build is a clear error, not a crash. */
function loadPty(): Promise<PtyModule> {
  const name = 'node-pty';
  return (loaded ??= (import(name) as Promise<PtyModule & { default?: PtyModule }>).then(
    (m) => ((m as { spawn?: unknown }).spawn ? m : m.default!),
    (e: Error) => {
      loaded = undefined;
      throw new Error(
        `the local terminal needs node-pty, which is not available (${e.message.split('\n')[0]}); install it with \`npm install node-pty\``,
      );
    },
  ));
}

const send = (ws: SocketPeer, m: TerminalServerMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m));

export async function localTerminal(
  ws: SocketPeer,
  p: { shell?: string; cols?: number; rows?: number; cwd?: string },
  u: UpgradeContext,
): Promise<void> {
  if (u.deps.accounts && (u.caller as { role?: string }).role !== 'admin') {
    send(ws, {
      type: 'error',
      error: { code: 'forbidden', message: 'only an admin may open a terminal on the server machine' },
    });
    return ws.close(1008, 'forbidden');
  }
  const shells = availableShells();
  const shell = p.shell ?? defaultShell();
  // Only shells this machine lists: the parameter picks one, it cannot name an arbitrary program.
  if (!shell || !shells.some((s) => s.path === shell || s.name === shell)) {
    send(ws, {
      type: 'error',
      error: {
        code: 'badRequest',
        message: `unknown shell "${shell ?? ''}"; available: ${shells.map((s) => s.path).join(', ') || 'none'}`,
      },
    });
    return ws.close(1008, 'bad shell');
  }
  const file = shells.find((s) => s.path === shell || s.name === shell)!.path;
  // Keystrokes sent while node-pty loads are replayed, not lost.
  const early: string[] = [];
  const onEarly = (raw: unknown) => early.push(String(raw));
  ws.on('message', onEarly);
  let pty: PtyModule;
  try {
    pty = await loadPty();
  } catch (e) {
    send(ws, { type: 'error', error: { code: 'unavailable', message: (e as Error).message } });
    return ws.close(1011, 'node-pty unavailable');
  }
  let term: Pty;
  try {
    term = pty.spawn(file, [], {
      name: 'xterm-256color',
      cols: p.cols ?? 80,
      rows: p.rows ?? 24,
      cwd: p.cwd ?? process.env.HOME ?? process.cwd(),
      env: process.env,
    });
  } catch (e) {
    send(ws, {
      type: 'error',
      error: { code: 'unavailable', message: `cannot start ${file}: ${(e as Error).message}` },
    });
    return ws.close(1011, 'spawn failed');
  }
  ws.off('message', onEarly);
  if (ws.readyState !== ws.OPEN) return term.kill();
  term.onData((d) => send(ws, { type: 'stdout', data: d }));
  term.onExit((e) => {
    send(ws, { type: 'exit', code: e.exitCode });
    ws.close(1000, 'exited');
  });
  const apply = (raw: string) => {
    let m: TerminalClientMessage;
    try {
      m = JSON.parse(raw) as TerminalClientMessage;
    } catch {
      return;
    }
    if (m?.type === 'stdin' && typeof m.data === 'string') term.write(m.data);
    else if (
      m?.type === 'resize' &&
      Number.isInteger(m.cols) &&
      Number.isInteger(m.rows) &&
      m.cols > 0 &&
      m.rows > 0 &&
      m.cols <= 1000 &&
      m.rows <= 1000
    )
      term.resize(m.cols, m.rows);
  };
  early.splice(0).forEach(apply);
  ws.on('message', (raw) => apply(raw.toString()));
  ws.on('close', () => term.kill());
}
