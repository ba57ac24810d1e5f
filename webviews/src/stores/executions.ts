// Executions (fix applications, remediation) streamed from `/api/execution/stream`: a snapshot, then started/output/
// status messages. The execution panel shows the one in focus.
import { createSignal } from 'solid-js';
import type { Execution, ExecutionStreamMessage } from '../../../src/shared/incidents';
import type { Channel } from '../host/transport';
import { api } from './app';

export const [executions, setExecutions] = createSignal<Execution[]>([]);
export const [focusedExecution, setFocusedExecution] = createSignal<string | undefined>();
export const [panelOpen, setPanelOpen] = createSignal(false);
export const [streamState, setStreamState] = createSignal<'connecting' | 'open' | 'closed'>('closed');

let channel: Channel | undefined;
let retry = 0;

function upsert(e: Execution): void {
  setExecutions((xs) => {
    const i = xs.findIndex((x) => x.id === e.id);
    if (i < 0) return [e, ...xs].slice(0, 100);
    const next = xs.slice();
    next[i] = e;
    return next;
  });
}

function update(id: string, f: (e: Execution) => Execution): void {
  setExecutions((xs) => xs.map((x) => (x.id === id ? f(x) : x)));
}

export function ensureExecutionStream(): void {
  if (channel) return;
  channel = api().channel(
    'execution.stream',
    {},
    {
      onState: (s) => {
        setStreamState(s);
        if (s === 'open') retry = 0;
        if (s === 'closed') {
          channel = undefined;
          // Reconnect while the panel is in use; a finished panel just shows what it had.
          if (panelOpen()) setTimeout(ensureExecutionStream, Math.min(10_000, 1000 * 2 ** retry++));
        }
      },
      onMessage: (data) => {
        let m: ExecutionStreamMessage;
        try {
          m = JSON.parse(data) as ExecutionStreamMessage;
        } catch {
          return;
        }
        switch (m.type) {
          case 'snapshot':
            setExecutions(m.executions);
            break;
          case 'started':
            upsert(m.execution);
            break;
          case 'output':
            update(m.executionId, (e) => ({
              ...e,
              output: [...e.output, { time: m.time, stream: m.stream, line: m.line }],
            }));
            break;
          case 'status':
            update(m.executionId, (e) => ({ ...e, status: m.status, summary: m.summary, error: m.error }));
            break;
          case 'verification':
            update(m.executionId, (e) => ({ ...e, verification: m.verification }));
            break;
        }
      },
    },
  );
}

/** Shows an execution in the panel (after a fix was applied); the stream fills in its output. */
export function showExecution(e: Execution): void {
  ensureExecutionStream();
  upsert(e);
  setFocusedExecution(e.id);
  setPanelOpen(true);
}
