// The seed's sections, collapsible, with the current page marked. Keyboard: Tab through links, Enter to go.
import { createSignal, For, Show, type JSX } from 'solid-js';
import { PAGES, SECTIONS } from '../model/nav';
import { api, route } from '../stores/app';
import { toHash } from '../model/nav';
import { pageHidden } from '../stores/plugins';

export function Sidebar(p: { unreadIncidents: () => number }): JSX.Element {
  const [collapsed, setCollapsed] = createSignal<Set<string>>(new Set(readCollapsed()));
  const toggle = (s: string) => {
    const next = new Set(collapsed());
    if (next.has(s)) next.delete(s);
    else next.add(s);
    setCollapsed(next);
    try {
      localStorage.setItem('kubegraf.sidebar', JSON.stringify([...next]));
    } catch {
      // Not persisted: fine.
    }
  };
  const pages = (s: string) =>
    PAGES.filter((pg) => pg.section === s && (pg.id !== 'terminal' || api().face === 'browser') && !pageHidden(pg.id));
  return (
    <nav class="kg-sidebar" aria-label="Main" data-testid="sidebar">
      <div class="kg-brand">KubeGraf</div>
      <For each={SECTIONS}>
        {(s) => (
          <div class="kg-section">
            <button class="kg-section-head" aria-expanded={!collapsed().has(s)} onClick={() => toggle(s)}>
              <span aria-hidden="true">{collapsed().has(s) ? '▸' : '▾'}</span> {s}
            </button>
            <Show when={!collapsed().has(s)}>
              <ul>
                <For each={pages(s)}>
                  {(pg) => (
                    <li>
                      <a
                        href={toHash(pg.id)}
                        class="kg-nav-link"
                        aria-current={route().page === pg.id ? 'page' : undefined}
                        data-testid={`nav-${pg.id}`}
                      >
                        {pg.label}
                        <Show when={pg.id === 'incidents' && p.unreadIncidents() > 0}>
                          <span
                            class="kg-pulse"
                            title={`${p.unreadIncidents()} open incidents`}
                            data-testid="nav-incidents-count"
                          >
                            {p.unreadIncidents()}
                          </span>
                        </Show>
                      </a>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
        )}
      </For>
    </nav>
  );
}

function readCollapsed(): string[] {
  try {
    return JSON.parse(localStorage.getItem('kubegraf.sidebar') ?? '["Machine Learning","Intelligence"]') as string[];
  } catch {
    return [];
  }
}
