// The execution panel: status, live stdout/stderr, summary (duration, exit code, resources changed), history.
import { createEffect, createMemo, For, Show, type JSX } from 'solid-js';
import {
  executions,
  focusedExecution,
  panelOpen,
  setFocusedExecution,
  setPanelOpen,
  streamState,
} from '../stores/executions';
import { Badge } from '../ui/button';
import { FixOutcomeBadge, outcomeWords } from './fixOutcome';

const tone = (s: string) => (s === 'succeeded' ? 'ok' : s === 'failed' ? 'danger' : s === 'running' ? 'info' : 'muted');

export function ExecutionPanel(): JSX.Element {
  const current = createMemo(() => executions().find((e) => e.id === focusedExecution()) ?? executions()[0]);
  let out: HTMLPreElement | undefined;
  createEffect(() => {
    void current()?.output.length; // track the output so each new line scrolls
    if (out) out.scrollTop = out.scrollHeight;
  });
  return (
    <Show when={panelOpen()}>
      <section class="kg-exec" aria-label="Execution panel" data-testid="execution-panel">
        <header class="kg-exec-head">
          <strong>Execution</strong>
          <Show when={current()} fallback={<span class="kg-muted">Nothing has run yet.</span>}>
            {(e) => (
              <>
                <Badge tone={tone(e().status)} testId="execution-status">
                  {e().status}
                </Badge>
                <FixOutcomeBadge v={e().verification} />
                <span>
                  {e().action}
                  {e().target
                    ? ` · ${e().target?.kind}/${e().target?.namespace ? `${e().target?.namespace}/` : ''}${e().target?.name}`
                    : ''}
                </span>
                <span class="kg-muted">
                  {e().status === 'running'
                    ? 'running…'
                    : `${(e().summary.duration / 1000).toFixed(1)} s · exit ${e().summary.exitCode ?? '-'} · ${e().summary.resourcesChanged} changed`}
                </span>
              </>
            )}
          </Show>
          <Show when={executions().length > 1}>
            <select
              aria-label="Execution history"
              value={current()?.id ?? ''}
              onChange={(ev) => setFocusedExecution(ev.currentTarget.value)}
            >
              <For each={executions()}>
                {(e) => (
                  <option value={e.id}>
                    {e.startedAt.slice(11, 19)} {e.action} ({e.status}
                    {e.verification && e.verification.outcome !== 'superseded'
                      ? `, ${outcomeWords(e.verification.outcome)}`
                      : ''}
                    )
                  </option>
                )}
              </For>
            </select>
          </Show>
          <span class="kg-muted">{streamState() === 'open' ? 'live' : streamState()}</span>
          <button class="kg-icon-btn" aria-label="Close execution panel" onClick={() => setPanelOpen(false)}>
            ✕
          </button>
        </header>
        <pre ref={out} class="kg-exec-out" tabIndex={0} data-testid="execution-output">
          <For each={current()?.output ?? []}>
            {(l) => <div class={l.stream === 'stderr' ? 'kg-stderr' : ''}>{l.line}</div>}
          </For>
          <Show when={current()?.error}>
            <div class="kg-stderr">{current()?.error}</div>
          </Show>
        </pre>
      </section>
    </Show>
  );
}
