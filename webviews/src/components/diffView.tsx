// A unified diff, coloured by line, with a count of what changes. Used before every apply (YAML edits, incident fixes).
import { For, Show, type JSX } from 'solid-js';

export function diffStats(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of diff.split('\n')) {
    if (l.startsWith('+++') || l.startsWith('---')) continue;
    if (l.startsWith('+')) added++;
    else if (l.startsWith('-')) removed++;
  }
  return { added, removed };
}

export function DiffView(p: { diff: string; testId?: string }): JSX.Element {
  const lines = () => p.diff.replace(/\n$/, '').split('\n');
  const stats = () => diffStats(p.diff);
  const summary = () => `${stats().added} line${stats().added === 1 ? '' : 's'} added, ${stats().removed} removed`;
  const cls = (l: string) =>
    l.startsWith('+++') || l.startsWith('---')
      ? 'kg-diff-file'
      : l.startsWith('@@')
        ? 'kg-diff-hunk'
        : l.startsWith('+')
          ? 'kg-diff-add'
          : l.startsWith('-')
            ? 'kg-diff-del'
            : '';
  return (
    <Show
      when={p.diff.trim()}
      fallback={
        <p class="kg-muted" data-testid={p.testId}>
          No changes: the object would stay as it is.
        </p>
      }
    >
      <p class="kg-muted kg-small kg-diff-summary" data-testid={`${p.testId ?? 'diff'}-summary`}>
        <span class="kg-diff-count-add">+{stats().added}</span>{' '}
        <span class="kg-diff-count-del">−{stats().removed}</span> <span class="kg-sr">{summary()}</span>
      </p>
      <pre class="kg-diff" data-testid={p.testId ?? 'diff'} tabIndex={0} aria-label={`Changes: ${summary()}`}>
        <For each={lines()}>{(l) => <div class={cls(l)}>{l || ' '}</div>}</For>
      </pre>
    </Show>
  );
}
