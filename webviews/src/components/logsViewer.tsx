// Pod logs: follow (streamed lines), search, container picker, merged logs of several pods (a workload), download.
import { createEffect, createMemo, createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import type { LogLineDto } from '../../../src/shared/routes/cluster';
import { api } from '../stores/app';
import { Button } from '../ui/button';
import { toApiError, type ApiError } from '../host/apiError';
import { ErrorState } from '../ui/states';
import type { Channel } from '../host/transport';

const MAX_LINES = 20_000;

export interface LogTarget {
  namespace: string;
  pods: string[];
  containers: string[];
}

export function LogsViewer(p: { target: LogTarget; initialContainer?: string }): JSX.Element {
  const [container, setContainer] = createSignal(p.initialContainer ?? '');
  const [follow, setFollow] = createSignal(true);
  const [query, setQuery] = createSignal('');
  const [lines, setLines] = createSignal<LogLineDto[]>([]);
  const [error, setError] = createSignal<ApiError | undefined>();
  const [state, setState] = createSignal<'connecting' | 'open' | 'closed'>('connecting');
  let box!: HTMLDivElement;
  let pending: LogLineDto[] = [];
  let frame = 0;
  const flush = () => {
    frame = 0;
    const add = pending;
    pending = [];
    setLines((l) => {
      const next = l.concat(add);
      return next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
    });
    if (follow()) box.scrollTop = box.scrollHeight;
  };
  const push = (l: LogLineDto) => {
    pending.push(l);
    if (!frame) frame = requestAnimationFrame(flush);
  };
  let channels: Channel[] = [];
  const stop = () => {
    for (const c of channels) c.close();
    channels = [];
  };
  const start = () => {
    stop();
    setLines([]);
    setError(undefined);
    const merged = p.target.pods.length > 1;
    const c = container() || undefined;
    if (!follow()) {
      setState('connecting');
      Promise.all(
        p.target.pods.slice(0, 20).map((pod) =>
          api().call('pod.logs', {
            namespace: p.target.namespace,
            name: pod,
            container: c,
            tailLines: 1000,
            timestamps: merged,
          }),
        ),
      )
        .then((rs) => {
          const all = rs.flatMap((r) => r.lines);
          if (merged) all.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
          setLines(all);
          setState('closed');
        })
        .catch((e) => {
          setError(toApiError(e));
          setState('closed');
        });
      return;
    }
    let open = 0;
    for (const pod of p.target.pods.slice(0, 20)) {
      channels.push(
        api().channel(
          'pod.logs',
          { namespace: p.target.namespace, name: pod, container: c, follow: true, tailLines: 200 },
          {
            onMessage: (data) => {
              try {
                const m = JSON.parse(data) as Partial<LogLineDto> & { error?: { message: string; code: string } };
                if (m.error) setError(toApiError(m.error));
                else push({ pod: m.pod ?? pod, container: m.container ?? c ?? '', time: m.time, text: m.text ?? '' });
              } catch {
                push({ pod, container: c ?? '', text: data });
              }
            },
            onState: (s, reason) => {
              if (s === 'open') open++;
              setState(s === 'open' || open > 0 ? 'open' : s);
              if (s === 'closed' && reason && reason !== 'ended' && !lines().length)
                setError(toApiError({ code: 'stream', message: reason }));
            },
          },
        ),
      );
    }
  };
  createEffect(() => {
    container();
    follow();
    start();
  });
  onCleanup(() => {
    stop();
    if (frame) cancelAnimationFrame(frame);
  });
  const shown = createMemo(() => {
    const q = query().toLowerCase();
    return q ? lines().filter((l) => l.text.toLowerCase().includes(q)) : lines();
  });
  const merged = () => p.target.pods.length > 1;
  const download = () => {
    const text =
      lines()
        .map((l) => `${merged() ? `[${l.pod}] ` : ''}${l.time ? `${l.time} ` : ''}${l.text}`)
        .join('\n') + '\n';
    api().saveFile(`${p.target.pods.length === 1 ? p.target.pods[0] : 'logs'}.log`, text, 'text/plain');
  };
  return (
    <div class="kg-logs" data-testid="logs">
      <div class="kg-toolbar">
        <Show when={p.target.containers.length > 1}>
          <label>
            Container{' '}
            <select
              value={container()}
              onChange={(e) => setContainer(e.currentTarget.value)}
              data-testid="logs-container"
            >
              <option value="">(default)</option>
              <For each={p.target.containers}>{(c) => <option value={c}>{c}</option>}</For>
            </select>
          </label>
        </Show>
        <label class="kg-check">
          <input
            type="checkbox"
            checked={follow()}
            onChange={(e) => setFollow(e.currentTarget.checked)}
            data-testid="logs-follow"
          />{' '}
          Follow
        </label>
        <input
          class="kg-input"
          type="search"
          placeholder="Search logs"
          aria-label="Search logs"
          value={query()}
          onInput={(e) => setQuery(e.currentTarget.value)}
          data-testid="logs-search"
        />
        <span class="kg-muted" aria-live="polite">
          {shown().length} lines
          {follow()
            ? state() === 'open'
              ? ' · streaming'
              : state() === 'connecting'
                ? ' · connecting'
                : ' · stopped'
            : ''}
        </span>
        <Button onClick={download} disabled={!lines().length} testId="logs-download">
          Download
        </Button>
      </div>
      <Show when={error()}>{(e) => <ErrorState error={e()} what="the logs" retry={start} />}</Show>
      <div ref={box} class="kg-logbox" tabIndex={0} role="log" aria-label="Log lines" data-testid="log-lines">
        <Show
          when={shown().length}
          fallback={<p class="kg-muted">{state() === 'connecting' ? 'Waiting for log lines…' : 'No log lines.'}</p>}
        >
          <For each={shown().slice(-5000)}>
            {(l) => (
              <div class="kg-logline">
                <Show when={merged()}>
                  <span class="kg-logpod">[{l.pod}]</span>{' '}
                </Show>
                {l.text}
              </div>
            )}
          </For>
        </Show>
      </div>
    </div>
  );
}
