// Tabs with arrow-key navigation (WAI-ARIA tabs pattern).
import { For, type JSX } from 'solid-js';

export function Tabs(p: {
  tabs: Array<{ id: string; label: string }>;
  active: string;
  onChange: (id: string) => void;
  label: string;
}): JSX.Element {
  const onKey = (e: KeyboardEvent, i: number) => {
    const n = p.tabs.length;
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % n;
    if (e.key === 'ArrowLeft') j = (i - 1 + n) % n;
    if (e.key === 'Home') j = 0;
    if (e.key === 'End') j = n - 1;
    if (j < 0) return;
    e.preventDefault();
    p.onChange(p.tabs[j].id);
    ((e.currentTarget as HTMLElement).parentElement?.children[j] as HTMLElement | undefined)?.focus();
  };
  return (
    <div class="kg-tabs" role="tablist" aria-label={p.label}>
      <For each={p.tabs}>
        {(t, i) => (
          <button
            role="tab"
            class="kg-tab"
            aria-selected={p.active === t.id}
            tabIndex={p.active === t.id ? 0 : -1}
            onClick={() => p.onChange(t.id)}
            onKeyDown={(e) => onKey(e, i())}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
          </button>
        )}
      </For>
    </div>
  );
}
