// The local terminal, browser only: inside VS Code the editor's own terminal is the right place.
import { createSignal, For, Show, type JSX } from 'solid-js';
import { api } from '../stores/app';
import { createLoader } from '../stores/loader';
import { TerminalView } from '../components/terminalView';
import { Empty } from '../ui/states';

export function TerminalPage(): JSX.Element {
  const shells = createLoader(() => api().call('terminal.shells', {}));
  const [shell, setShell] = createSignal('');
  const [session, setSession] = createSignal(1);
  return (
    <div class="kg-page kg-page-fill" data-testid="page-terminal">
      <div class="kg-page-head">
        <h1>Terminal</h1>
        <Show when={shells.value()?.shells.length}>
          <select
            aria-label="Shell"
            value={shell()}
            onChange={(e) => {
              setShell(e.currentTarget.value);
              setSession((s) => s + 1);
            }}
          >
            <option value="">Default shell</option>
            <For each={shells.value()?.shells ?? []}>{(s) => <option value={s.path}>{s.name}</option>}</For>
          </select>
        </Show>
        <button class="kg-plain-btn" onClick={() => setSession((s) => s + 1)}>
          New session
        </button>
      </div>
      <Show
        when={api().face === 'browser'}
        fallback={
          <Empty
            title="Use the VS Code terminal"
            hint="Inside VS Code, the local shell is the editor's integrated terminal."
          />
        }
      >
        <Show when={session()} keyed>
          {(_n: number) => (
            <TerminalView route="local.terminal" label="Local shell" params={{ shell: shell() || undefined }} />
          )}
        </Show>
      </Show>
    </div>
  );
}
