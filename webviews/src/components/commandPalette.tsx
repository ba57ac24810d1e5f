// Ctrl/Cmd+K, quick open in the manner of Lens, k9s's `:` and VS Code: pages and commands (fuzzy, recent first),
// objects of every kind by name and open incidents (the server searches its watch caches, so it is one round trip at
// any cluster size), contexts and namespaces. Enter opens; → or Tab shows what can be done to the highlighted object,
// and "restart checkout" (a verb first) lists that action for every match. Keyboard only: ↑↓ Enter → ← Esc.
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { Portal } from 'solid-js/web';
import type { SearchHit, SearchResult } from '../../../src/shared/routes/search';
import { rank } from '../model/fuzzy';
import { PAGES } from '../model/nav';
import { pageHidden } from '../stores/plugins';
import {
  api,
  context,
  namespaces,
  navigate,
  paletteOpen,
  saveNamespaces,
  setPaletteOpen,
  setTheme,
  theme,
} from '../stores/app';
import { capabilitiesOf, entryByMany } from '../stores/kinds';
import { switchContext } from '../stores/scope';
import { toApiError } from '../host/apiError';
import { openApplyDialog } from './applyDialog';
import { actionsFor, type ActionDef, type ActionTarget } from './objectActions';
import '../styles/palette.css';
import { mayCall } from '../stores/permissions';

export type Group = 'Navigation' | 'Actions' | 'Settings' | 'Resources' | 'Incidents' | 'Contexts' | 'Namespaces';

export interface Command {
  id: string;
  label: string;
  group: Group;
  /** Shown after the label, muted: namespace, status. */
  detail?: string;
  keywords?: string[];
  run: () => void;
  /** A second level (→ or Tab): the actions of an object, the contexts to switch to. */
  more?: () => Command[] | Promise<Command[]>;
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

/** The page that lists a kind (`pods`, `pdbs` → `pdb`, `nodes`). */
export function pageOfMany(many: string): string | undefined {
  return PAGES.find((p) => (p.view.type === 'resource' && p.view.many === many) || p.id === many)?.id;
}

function contextCommands(): Promise<Command[]> {
  return api()
    .call('clusters.list', {})
    .then((r) =>
      (mayCall('clusters.switch') ? r.clusters : []).map((c) => ({
        id: `ctx:${c.contextName}`,
        label: `Switch to context ${c.contextName}`,
        detail: c.isActive ? 'current' : c.isReachable ? undefined : 'unreachable',
        group: 'Contexts' as const,
        keywords: [c.contextName, 'context', 'cluster'],
        run: () => void switchContext(c.contextName),
      })),
    );
}

function namespaceCommands(): Promise<Command[]> {
  return api()
    .call('namespaces.list', {})
    .then((r) => [
      {
        id: 'ns:*',
        label: 'Show all namespaces',
        group: 'Namespaces' as const,
        keywords: ['namespace', 'all'],
        run: () => saveNamespaces([]),
      },
      ...r.items
        .map((i) => i.name)
        .sort()
        .map((ns) => ({
          id: `ns:${ns}`,
          label: `Show namespace ${ns}`,
          detail: namespaces().length === 1 && namespaces()[0] === ns ? 'current' : undefined,
          group: 'Namespaces' as const,
          keywords: [ns, 'namespace'],
          run: () => saveNamespaces([ns]),
        })),
    ]);
}

export function commands(extra: Command[] = []): Command[] {
  const nav: Command[] = PAGES.filter(
    (p) => (p.id !== 'terminal' || api().face === 'browser') && !pageHidden(p.id),
  ).map((p) => ({
    id: `go:${p.id}`,
    label: `Go to ${p.label}`,
    group: 'Navigation',
    keywords: [p.label, p.section, ...(p.keywords ?? [])],
    run: () => navigate(p.id),
  }));
  const actions: Command[] = [
    {
      id: 'theme',
      label: `Switch to ${theme() === 'dark' ? 'light' : 'dark'} theme`,
      group: 'Settings',
      keywords: ['theme', 'dark', 'light'],
      run: () => setTheme(theme() === 'dark' ? 'light' : 'dark'),
    },
    {
      id: 'apply-yaml',
      label: 'Apply YAML…',
      group: 'Actions',
      keywords: ['apply', 'create', 'yaml', 'manifest', 'kubectl'],
      run: openApplyDialog,
    },
    {
      id: 'switch-context',
      label: 'Switch context…',
      group: 'Actions',
      keywords: ['context', 'cluster', 'kubeconfig', 'ctx'],
      run: () => undefined,
      more: contextCommands,
    },
    {
      id: 'switch-namespace',
      label: 'Switch namespace…',
      group: 'Actions',
      keywords: ['namespace', 'ns', 'scope'],
      run: () => undefined,
      more: namespaceCommands,
    },
    {
      id: 'refresh-incidents',
      label: 'Rescan incidents',
      group: 'Actions',
      keywords: ['refresh', 'incidents'],
      run: () => {
        void api()
          .call('incidents.refresh', {})
          .catch(() => undefined);
        navigate('incidents');
      },
    },
  ];
  return [...nav, ...actions, ...extra];
}

// ---------- objects and their actions ----------

const where = (h: { namespace?: string; name: string }) => (h.namespace ? `${h.namespace}/${h.name}` : h.name);

function openObject(h: SearchHit, tab?: string): void {
  const page = pageOfMany(h.many);
  if (!page) return;
  navigate(page, { name: h.name, ...(h.namespace ? { ns: h.namespace } : {}), ...(tab ? { tab } : {}) });
}

/** The object's row (current replicas, containers) so the action dialogs start from what the cluster has now. */
async function targetOf(h: SearchHit): Promise<ActionTarget> {
  const t: ActionTarget = { name: h.name, ...(h.namespace ? { namespace: h.namespace } : {}) };
  try {
    const d = (await api().call(
      `${h.one}.details` as never,
      { name: h.name, ...(h.namespace ? { namespace: h.namespace } : {}) } as never,
    )) as Record<string, unknown>;
    const cells: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(d)) if (typeof v === 'string' || typeof v === 'number') cells[k] = v;
    t.cells = cells;
    const spec = (d.object as { spec?: { containers?: Array<{ name: string }> } } | undefined)?.spec;
    if (h.one === 'pod' && spec?.containers) t.containers = spec.containers.map((c) => c.name);
  } catch {
    // The dialogs still work from the name alone.
  }
  return t;
}

function objectActions(h: SearchHit): ActionDef[] {
  const entry = entryByMany(h.many);
  return entry ? actionsFor(entry, capabilitiesOf(entry), () => openObject(h, 'yaml')) : [];
}

function actionCommand(h: SearchHit, a: ActionDef, withName: boolean): Command {
  return {
    id: `act:${a.id}:${h.one}:${where(h)}`,
    label: withName ? `${a.label}: ${h.kind} ${h.name}` : a.label,
    detail: withName ? h.namespace : undefined,
    group: 'Actions',
    run: () => void targetOf(h).then((t) => a.run(t)),
  };
}

function resourceCommand(h: SearchHit): Command {
  return {
    id: `res:${h.one}:${where(h)}`,
    label: h.name,
    detail: [h.kind, h.namespace, h.status].filter(Boolean).join(' · '),
    group: 'Resources',
    run: () => openObject(h),
    more: () => [
      { id: `open:${h.one}:${where(h)}`, label: 'Open details', group: 'Actions', run: () => openObject(h) },
      ...objectActions(h).map((a) => actionCommand(h, a, false)),
    ],
  };
}

/** "restart checkout", "logs web": an action verb first lists that action for every object that matches the rest. */
const VERBS: Record<string, string> = {
  logs: 'logs',
  log: 'logs',
  shell: 'shell',
  exec: 'shell',
  sh: 'shell',
  scale: 'scale',
  restart: 'restart',
  rollback: 'rollback',
  undo: 'rollback',
  forward: 'portForward',
  'port-forward': 'portForward',
  pf: 'portForward',
  yaml: 'edit',
  edit: 'edit',
  delete: 'delete',
  rm: 'delete',
  cordon: 'cordon',
  drain: 'drain',
};

function verbOf(q: string): { action: string; rest: string } | undefined {
  const m = /^(\S+)\s+(.+)$/.exec(q.trim());
  const action = m && VERBS[m[1].toLowerCase()];
  return action ? { action, rest: m[2] } : undefined;
}

// ---------- the palette ----------

export function CommandPalette(): JSX.Element {
  return (
    <Show when={paletteOpen()}>
      <PaletteBox />
    </Show>
  );
}

interface Shown {
  item: Command;
  positions: number[];
}

function PaletteBox(): JSX.Element {
  const [q, setQ] = createSignal('');
  const [i, setI] = createSignal(0);
  /** A second level: its title and items (→ on an object, "Switch context…"). */
  const [sub, setSub] = createSignal<{ title: string; items: Command[] } | undefined>();
  const [found, setFound] = createSignal<{ q: string; result?: SearchResult; error?: string } | undefined>();
  const [extra, setExtra] = createSignal<Command[]>([]);
  let input!: HTMLInputElement;
  const before = document.activeElement as HTMLElement | null;
  const all = commands();

  // Contexts and namespaces are few: loaded once, matched locally with the commands.
  void Promise.all([contextCommands().catch(() => []), namespaceCommands().catch(() => [])]).then(([c, n]) =>
    setExtra([...c, ...n]),
  );

  // The server search, debounced; an answer to an older query is dropped.
  let gen = 0;
  createEffect(
    on([q, sub], ([text, level]) => {
      const term = (verbOf(text)?.rest ?? text).trim();
      if (level || !term || term.startsWith(':')) return setFound(undefined);
      const g = ++gen;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const ask = () =>
        api()
          .call('search', { q: term, limit: 30, ...(context() ? { context: context() } : {}) })
          .then((result) => {
            if (g !== gen) return;
            setFound({ q: text, result });
            // A big cluster's first search: some kinds are still loading; ask again until they are in.
            if (result.loading.length) timer = setTimeout(ask, 1000);
          })
          .catch((e) => g === gen && setFound({ q: text, error: toApiError(e).message }));
      timer = setTimeout(ask, 120);
      onCleanup(() => clearTimeout(timer));
    }),
  );

  const results = createMemo<Shown[]>(() => {
    const text = q().trim();
    const level = sub();
    if (level)
      return text
        ? rank(level.items, text, 100).map((x) => ({ item: x.item, positions: x.match.positions }))
        : level.items.map((item) => ({ item, positions: [] }));
    if (!text) {
      const r = recent();
      const byId = new Map(all.map((c) => [c.id, c]));
      const rec = r.map((id) => byId.get(id)).filter((c): c is Command => !!c);
      return [...rec, ...all.filter((c) => !r.includes(c.id))].slice(0, 50).map((item) => ({ item, positions: [] }));
    }
    // k9s's `:pods`: pages only.
    if (text.startsWith(':'))
      return rank(
        all.filter((c) => c.group === 'Navigation'),
        text.slice(1),
        30,
      ).map((x) => ({ item: x.item, positions: x.match.positions }));
    const f = found()?.q === q() ? found()?.result : undefined;
    const verb = verbOf(text);
    if (verb && f) {
      const acts = f.hits.flatMap((h) =>
        objectActions(h)
          .filter((a) => a.id === verb.action)
          .map((a) => actionCommand(h, a, true)),
      );
      if (acts.length) return acts.map((item) => ({ item, positions: [] }));
    }
    const local = rank([...all, ...extra()], text, 30).map((x) => ({
      item: x.item,
      positions: x.match.positions,
      strong: x.match.score >= 1000,
    }));
    const objects = (f?.hits ?? []).map((h) => ({ item: resourceCommand(h), positions: matchPositions(h.name, text) }));
    const incidents = (f?.incidents ?? []).map((inc) => ({
      item: {
        id: `inc:${inc.id}`,
        label: inc.title,
        detail: inc.severity,
        group: 'Incidents' as const,
        run: () => navigate('incidents', { id: inc.id }),
      },
      positions: [],
    }));
    // A page or command the text names outright ("pods", "apply") comes first; else what the cluster has by that name.
    const strong = local.filter((x) => x.strong);
    const weak = local.filter((x) => !x.strong);
    return [...strong, ...objects, ...incidents, ...weak].slice(0, 80);
  });
  const searching = () => Boolean(q().trim() && !q().trim().startsWith(':') && !sub() && found()?.q !== q());

  const close = () => {
    setPaletteOpen(false);
    before?.focus?.();
  };
  const exec = (c: Command) => {
    remember(c.id);
    setPaletteOpen(false);
    c.run();
  };
  const descend = async (c: Command) => {
    if (!c.more) return false;
    const items = await c.more();
    setSub({ title: c.group === 'Resources' ? `${c.label} (${c.detail})` : c.label.replace(/…$/, ''), items });
    setQ('');
    setI(0);
    input.focus();
    return true;
  };
  const choose = (c: Command) => {
    // "Switch context…" has nothing to run but its list.
    if (c.more && c.group !== 'Resources') void descend(c);
    else exec(c);
  };
  const onKey = (e: KeyboardEvent) => {
    const n = results().length;
    const cur = results()[i()]?.item;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setI((x) => (n ? (x + 1) % n : 0));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setI((x) => (n ? (x - 1 + n) % n : 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (cur) choose(cur);
    } else if ((e.key === 'ArrowRight' && input.selectionStart === q().length) || (e.key === 'Tab' && !e.shiftKey)) {
      if (cur?.more) {
        e.preventDefault();
        void descend(cur);
      } else if (e.key === 'Tab') e.preventDefault();
    } else if (
      (e.key === 'ArrowLeft' && sub() && !q()) ||
      (e.key === 'Backspace' && sub() && !q()) ||
      (e.key === 'Tab' && e.shiftKey)
    ) {
      e.preventDefault();
      setSub(undefined);
      setI(0);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (sub()) {
        setSub(undefined);
        setI(0);
      } else close();
    }
  };
  onMount(() => input.focus());
  // The highlighted row stays in view while arrowing through a long list.
  createEffect(() => document.getElementById(`kg-cmd-${i()}`)?.scrollIntoView({ block: 'nearest' }));
  const highlight = (label: string, pos: number[]) => {
    if (!pos.length) return label;
    const set = new Set(pos);
    return [...label].map((ch, k) => (set.has(k) ? <mark>{ch}</mark> : ch));
  };
  const groupStart = (k: number) => k === 0 || results()[k - 1].item.group !== results()[k].item.group;
  return (
    <Portal>
      <div class="kg-overlay kg-overlay-top" onMouseDown={(e) => e.target === e.currentTarget && close()}>
        <div class="kg-palette" role="dialog" aria-modal="true" aria-label="Search and commands" data-testid="palette">
          <Show when={sub()}>
            {(s) => (
              <div class="kg-palette-crumb" data-testid="palette-crumb">
                <button
                  class="kg-plain-btn"
                  type="button"
                  onClick={() => {
                    setSub(undefined);
                    setI(0);
                    input.focus();
                  }}
                  aria-label="Back to all results"
                >
                  ‹ Back
                </button>
                <span>{s().title}</span>
              </div>
            )}
          </Show>
          <input
            ref={input}
            class="kg-input kg-palette-input"
            placeholder={
              sub() ? 'Filter…' : 'Search pods, deployments, incidents, pages… (“restart checkout” runs an action)'
            }
            role="combobox"
            aria-label="Search"
            aria-expanded="true"
            aria-controls="kg-palette-list"
            aria-autocomplete="list"
            aria-activedescendant={results().length ? `kg-cmd-${i()}` : undefined}
            value={q()}
            onInput={(e) => {
              setQ(e.currentTarget.value);
              setI(0);
            }}
            onKeyDown={onKey}
            data-testid="palette-input"
          />
          <ul id="kg-palette-list" class="kg-palette-list" role="listbox" aria-label="Results">
            <For
              each={results()}
              fallback={
                <li class="kg-muted kg-palette-empty" role="presentation" data-testid="palette-empty">
                  {searching()
                    ? 'Searching…'
                    : found()?.error
                      ? `Search is not available right now: ${found()?.error}`
                      : `Nothing matches “${q()}”.`}
                </li>
              }
            >
              {(r, k) => (
                <>
                  <Show when={groupStart(k())}>
                    <li class="kg-palette-group" role="presentation">
                      {r.item.group}
                    </li>
                  </Show>
                  <li
                    id={`kg-cmd-${k()}`}
                    role="option"
                    aria-selected={k() === i()}
                    class="kg-palette-item"
                    classList={{ 'kg-active': k() === i() }}
                    onMouseMove={() => setI(k())}
                    onClick={() => choose(r.item)}
                    data-testid="palette-item"
                    data-group={r.item.group}
                  >
                    <span class="kg-palette-label">{highlight(r.item.label, r.positions)}</span>
                    <Show when={r.item.detail}>
                      <span class="kg-muted kg-palette-detail">{r.item.detail}</span>
                    </Show>
                    <span class="kg-grow" />
                    <Show
                      when={r.item.more && r.item.group === 'Resources'}
                      fallback={
                        <Show when={r.item.more}>
                          <span class="kg-muted" aria-hidden="true">
                            ›
                          </span>
                        </Show>
                      }
                    >
                      <button
                        class="kg-row-btn"
                        type="button"
                        tabIndex={-1}
                        data-testid="palette-item-actions"
                        aria-label={`Actions for ${r.item.label}`}
                        onClick={(e) => {
                          e.stopPropagation();
                          void descend(r.item);
                        }}
                      >
                        Actions ›
                      </button>
                    </Show>
                  </li>
                </>
              )}
            </For>
          </ul>
          <div class="kg-palette-hint kg-muted kg-small" aria-hidden="true">
            <Show when={searching() && results().length}>
              <span data-testid="palette-searching">Searching the cluster…</span>
            </Show>
            <Show when={!searching() && found()?.result?.loading.length}>
              <span data-testid="palette-loading">
                Still loading {found()!.result!.loading.slice(0, 3).join(', ')}
                {found()!.result!.loading.length > 3 ? '…' : ''}
              </span>
            </Show>
            <span>
              {sub() ? '↑↓ choose · Enter run · ← or Esc back' : '↑↓ choose · Enter open · → actions · Esc close'}
            </span>
            <Show when={found()?.result && found()!.result!.total > found()!.result!.hits.length}>
              <span>
                {found()!.result!.hits.length} of {found()!.result!.total} objects: type more to narrow
              </span>
            </Show>
          </div>
        </div>
      </div>
    </Portal>
  );
}

/** The characters of `name` the query matched, for highlighting (the server matches whole words of the query). */
function matchPositions(name: string, q: string): number[] {
  const lower = name.toLowerCase();
  const out: number[] = [];
  for (const t of q.toLowerCase().split(/\s+/).filter(Boolean)) {
    const at = lower.indexOf(t);
    if (at >= 0) for (let k = 0; k < t.length; k++) out.push(at + k);
  }
  return out;
}
