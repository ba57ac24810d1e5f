// Ctrl/Cmd+K: fuzzy search over every page and action, keyboard only (↑↓ Enter Esc), recent commands first.
import { createMemo, createSignal, For, onMount, Show, type JSX } from 'solid-js';
import { rank } from '../model/fuzzy';
import { PAGES } from '../model/nav';
import { navigate, paletteOpen, setPaletteOpen, setTheme, theme, api } from '../stores/app';
import { Portal } from 'solid-js/web';
import { openApplyDialog } from './applyDialog';

export interface Command {
  id: string;
  label: string;
  group: 'Navigation' | 'Actions' | 'Settings';
  keywords?: string[];
  run: () => void;
}

const RECENT_KEY = 'kubegraf.recentCommands';

function recent(): string[] {
  try {
    return JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as string[];
  } catch {
    return [];
  }
}

function remember(id: string): void {
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify([id, ...recent().filter((x) => x !== id)].slice(0, 8)));
  } catch {
    // No storage: no history.
  }
}

export function commands(extra: Command[] = []): Command[] {
  const nav: Command[] = PAGES.filter((p) => p.id !== 'terminal' || api().face === 'browser').map((p) => ({
    id: `go:${p.id}`,
    label: `Go to ${p.label}`,
    group: 'Navigation',
    keywords: [p.label, p.section, ...(p.keywords ?? [])],
    run: () => navigate(p.id),
  }));
  const actions: Command[] = [
    { id: 'theme', label: `Switch to ${theme() === 'dark' ? 'light' : 'dark'} theme`, group: 'Settings', keywords: ['theme', 'dark', 'light'], run: () => setTheme(theme() === 'dark' ? 'light' : 'dark') },
    { id: 'apply-yaml', label: 'Apply YAML…', group: 'Actions', keywords: ['apply', 'create', 'yaml', 'manifest', 'kubectl'], run: openApplyDialog },
    { id: 'refresh-incidents', label: 'Rescan incidents', group: 'Actions', keywords: ['refresh', 'incidents'], run: () => { void api().post('/api/incidents/refresh').catch(() => undefined); navigate('incidents'); } },
  ];
  return [...nav, ...actions, ...extra];
}

export function CommandPalette(): JSX.Element {
  return (
    <Show when={paletteOpen()}>
      <PaletteBox />
    </Show>
  );
}

function PaletteBox(): JSX.Element {
  const [q, setQ] = createSignal('');
  const [i, setI] = createSignal(0);
  let input!: HTMLInputElement;
  const before = document.activeElement as HTMLElement | null;
  const all = commands();
  const results = createMemo(() => {
    if (!q().trim()) {
      const r = recent();
      const byId = new Map(all.map((c) => [c.id, c]));
      const rec = r.map((id) => byId.get(id)).filter((c): c is Command => !!c);
      return [...rec, ...all.filter((c) => !r.includes(c.id))].slice(0, 50).map((item) => ({ item, positions: [] as number[] }));
    }
    return rank(all, q(), 50).map((x) => ({ item: x.item, positions: x.match.positions }));
  });
  const close = () => {
    setPaletteOpen(false);
    before?.focus?.();
  };
  const exec = (c: Command) => {
    remember(c.id);
    setPaletteOpen(false);
    c.run();
  };
  const onKey = (e: KeyboardEvent) => {
    const n = results().length;
    if (e.key === 'ArrowDown') { e.preventDefault(); setI((x) => (n ? (x + 1) % n : 0)); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setI((x) => (n ? (x - 1 + n) % n : 0)); }
    else if (e.key === 'Enter') { e.preventDefault(); const r = results()[i()]; if (r) exec(r.item); }
    else if (e.key === 'Escape') { e.preventDefault(); close(); }
    else if (e.key === 'Tab') e.preventDefault();
  };
  onMount(() => input.focus());
  const highlight = (label: string, pos: number[]) => {
    if (!pos.length) return label;
    const set = new Set(pos);
    return [...label].map((ch, k) => (set.has(k) ? <mark>{ch}</mark> : ch));
  };
  return (
    <Portal>
      <div class="kg-overlay kg-overlay-top" onMouseDown={(e) => e.target === e.currentTarget && close()}>
        <div class="kg-palette" role="dialog" aria-modal="true" aria-label="Command palette" data-testid="palette">
          <input
            ref={input}
            class="kg-input kg-palette-input"
            placeholder="Type a command or page…"
            role="combobox"
            aria-expanded="true"
            aria-controls="kg-palette-list"
            aria-activedescendant={`kg-cmd-${i()}`}
            value={q()}
            onInput={(e) => { setQ(e.currentTarget.value); setI(0); }}
            onKeyDown={onKey}
            data-testid="palette-input"
          />
          <ul id="kg-palette-list" class="kg-palette-list" role="listbox">
            <For each={results()} fallback={<li class="kg-muted kg-palette-empty">No command matches “{q()}”.</li>}>
              {(r, k) => (
                <li id={`kg-cmd-${k()}`} role="option" aria-selected={k() === i()} class="kg-palette-item" classList={{ 'kg-active': k() === i() }} onMouseMove={() => setI(k())} onClick={() => exec(r.item)} data-testid="palette-item">
                  <span>{highlight(r.item.label, r.positions)}</span>
                  <span class="kg-muted">{r.item.group}</span>
                </li>
              )}
            </For>
          </ul>
        </div>
      </div>
    </Portal>
  );
}
