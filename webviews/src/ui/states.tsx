// Loading, empty, error and not-available states: every page shows one of these instead of a blank area or an
// endless spinner.
import { Show, type JSX } from 'solid-js';
import { ApiError } from '../host/apiError';
import { Button } from './button';

export function Loading(p: { label?: string }): JSX.Element {
  return (
    <div class="kg-state" role="status" aria-live="polite" data-testid="state-loading">
      <vscode-progress-ring />
      <span>{p.label ?? 'Loading…'}</span>
    </div>
  );
}

export function Empty(p: { title: string; hint?: string; children?: JSX.Element }): JSX.Element {
  return (
    <div class="kg-state" data-testid="state-empty">
      <strong>{p.title}</strong>
      <Show when={p.hint}>
        <span class="kg-muted">{p.hint}</span>
      </Show>
      {p.children}
    </div>
  );
}

export function ErrorState(p: { error: unknown; retry?: () => void; what?: string }): JSX.Element {
  const e = () =>
    p.error instanceof ApiError
      ? p.error
      : new ApiError(0, 'unknown', p.error instanceof Error ? p.error.message : String(p.error));
  return (
    <Show
      when={!e().notImplemented}
      fallback={
        <div class="kg-state kg-state-na" data-testid="state-not-available">
          <strong>Not available yet</strong>
          <span class="kg-muted">{e().message}</span>
        </div>
      }
    >
      <div class="kg-state kg-state-error" role="alert" data-testid="state-error">
        <strong>
          {e().unreachable ? 'Cannot reach the cluster or server' : `Could not load${p.what ? ` ${p.what}` : ''}`}
        </strong>
        <span>{e().message}</span>
        <Show when={p.retry}>
          <Button onClick={() => p.retry?.()}>Retry</Button>
        </Show>
      </div>
    </Show>
  );
}
