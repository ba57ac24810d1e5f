// An xterm.js terminal over a terminal WebSocket (`/api/pod/terminal`, `/api/local/terminal`): JSON frames
// {type:'stdin'|'resize'} out, {type:'stdout'|'stderr'|'exit'|'error'} in.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import type { TerminalServerMessage } from '../../../src/shared/routes/push';
import { api } from '../stores/app';

export function TerminalView(p: {
  route: 'pod.terminal' | 'local.terminal';
  params: Record<string, string | undefined>;
  label: string;
}): JSX.Element {
  let host!: HTMLDivElement;
  const [status, setStatus] = createSignal('Connecting…');
  onMount(() => {
    const css = getComputedStyle(document.body);
    const term = new Terminal({
      cursorBlink: true,
      fontSize: 13,
      fontFamily: css.getPropertyValue('--vscode-editor-font-family') || 'monospace',
      theme: {
        background:
          css.getPropertyValue('--vscode-terminal-background').trim() ||
          css.getPropertyValue('--vscode-editor-background').trim() ||
          '#1e1e1e',
        foreground:
          css.getPropertyValue('--vscode-terminal-foreground').trim() ||
          css.getPropertyValue('--vscode-editor-foreground').trim() ||
          '#cccccc',
      },
      scrollback: 5000,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host);
    try {
      fit.fit();
    } catch {
      // Not laid out yet (hidden tab); the resize observer fits later.
    }
    const ch = api().channel(
      p.route,
      { ...p.params, cols: term.cols, rows: term.rows },
      {
        onState: (s, reason) => {
          if (s === 'open') setStatus('Connected');
          if (s === 'closed') {
            setStatus(`Disconnected${reason ? `: ${reason}` : ''}`);
            term.write(`\r\n\x1b[2m[disconnected${reason ? `: ${reason}` : ''}]\x1b[0m\r\n`);
          }
        },
        onMessage: (data) => {
          let m: TerminalServerMessage;
          try {
            m = JSON.parse(data) as TerminalServerMessage;
          } catch {
            term.write(data);
            return;
          }
          if (m.type === 'stdout' || m.type === 'stderr') term.write(m.data);
          else if (m.type === 'exit') {
            setStatus(`Exited (${m.code})`);
            term.write(
              `\r\n\x1b[2m[process exited with code ${m.code}${m.message ? `: ${m.message}` : ''}]\x1b[0m\r\n`,
            );
          } else if (m.type === 'error') {
            setStatus(`Error: ${m.error.message}`);
            term.write(`\r\n\x1b[31m${m.error.message}\x1b[0m\r\n`);
          }
        },
      },
    );
    const d1 = term.onData((data) => ch.send(JSON.stringify({ type: 'stdin', data })));
    const d2 = term.onResize(({ cols, rows }) => ch.send(JSON.stringify({ type: 'resize', cols, rows })));
    const ro = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        // Hidden: nothing to fit.
      }
    });
    ro.observe(host);
    term.focus();
    onCleanup(() => {
      ro.disconnect();
      d1.dispose();
      d2.dispose();
      ch.close();
      term.dispose();
    });
  });
  return (
    <div class="kg-term-wrap">
      <div class="kg-muted kg-term-status" aria-live="polite" data-testid="terminal-status">
        {p.label} · {status()}
      </div>
      <div ref={host} class="kg-term" data-testid="terminal" />
    </div>
  );
}
