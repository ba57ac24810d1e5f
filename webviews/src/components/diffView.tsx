// A unified diff, coloured by line. Used before every apply (YAML edits, incident fixes).
import { For, Show, type JSX } from 'solid-js';

export function DiffView(p: { diff: string; testId?: string }): JSX.Element {
  const lines = () => p.diff.replace(/\n$/, '').split('\n');
  const cls = (l: string) => (l.startsWith('+++') || l.startsWith('---') ? 'kg-diff-file' : l.startsWith('@@') ? 'kg-diff-hunk' : l.startsWith('+') ? 'kg-diff-add' : l.startsWith('-') ? 'kg-diff-del' : '');
  return (
    <Show when={p.diff.trim()} fallback={<p class="kg-muted" data-testid={p.testId}>No changes: the object would stay as it is.</p>}>
      <pre class="kg-diff" data-testid={p.testId ?? 'diff'} tabIndex={0} aria-label="Changes">
        <For each={lines()}>{(l) => <div class={cls(l)}>{l || ' '}</div>}</For>
      </pre>
    </Show>
  );
}
