// Top bar: cluster switcher, namespace multi-select, connection indicator, notification center, theme, palette.
import { createMemo, createSignal, For, onCleanup, onMount, Show, type JSX } from 'solid-js';
import type { ClustersResult } from '../../../src/shared/routes/cluster';
import { api, context, namespaces, navigate, saveNamespaces, setPaletteOpen, setTheme, theme } from '../stores/app';
import { clusterState, demoCluster, socketState } from '../stores/live';
import { createLoader } from '../stores/loader';
import { switchContext } from '../stores/scope';
import { NotificationCenter } from './notificationCenter';
import { ApplyDialog, openApplyDialog } from './applyDialog';
import { mayCall, whyNot } from '../stores/permissions';

export function Header(): JSX.Element {
  const clusters = createLoader<ClustersResult>(() => api().call('clusters.list', {}));
  const nsList = createLoader(async () => {
    const r = await api().call('namespaces.list', {});
    return r.items.map((i) => i.name).sort();
  });
  const switchCluster = async (name: string) => {
    if (await switchContext(name)) await Promise.all([clusters.reload(), nsList.reload()]);
  };
  const current = () => clusters.value()?.currentCluster?.contextName ?? context();
  return (
    <header class="kg-header" data-testid="header">
      <label class="kg-field">
        <span class="kg-sr">Cluster</span>
        <select
          aria-label="Cluster"
          value={current()}
          onChange={(e) => void switchCluster(e.currentTarget.value)}
          data-testid="cluster-switcher"
          disabled={!clusters.value() || !mayCall('clusters.switch')}
          title={mayCall('clusters.switch') ? undefined : whyNot()}
        >
          <Show
            when={clusters.value()}
            fallback={<option>{clusters.error() ? 'clusters unavailable' : 'loading…'}</option>}
          >
            <For each={clusters.value()?.clusters ?? []}>
              {(c) => (
                <option value={c.contextName}>
                  {c.contextName}
                  {c.isReachable ? '' : ' (unreachable)'}
                </option>
              )}
            </For>
          </Show>
        </select>
      </label>
      <NamespacePicker all={() => nsList.value() ?? []} error={() => nsList.error()?.message} />
      <ConnectionIndicator />
      <Show when={demoCluster()}>
        <span class="kg-badge kg-tone-info" title="The built-in simulated cluster">
          demo
        </span>
      </Show>
      <span class="kg-grow" />
      <button
        class="kg-hbtn"
        onClick={() => setPaletteOpen(true)}
        aria-keyshortcuts="Control+K Meta+K"
        data-testid="palette-button"
      >
        Search… <kbd>Ctrl K</kbd>
      </button>
      <button
        class="kg-hbtn"
        onClick={openApplyDialog}
        title="Create or update objects from YAML (server-side apply)"
        data-testid="apply-yaml-button"
      >
        Apply YAML
      </button>
      <ApplyDialog />
      <Show when={api().face === 'browser'}>
        <button class="kg-hbtn" onClick={() => navigate('terminal')} title="Local terminal">
          Terminal
        </button>
        <button
          class="kg-hbtn"
          onClick={() => setTheme(theme() === 'dark' ? 'light' : 'dark')}
          aria-label={`Switch to ${theme() === 'dark' ? 'light' : 'dark'} theme`}
          data-testid="theme-toggle"
        >
          <svg class="kg-svg" viewBox="0 0 16 16" aria-hidden="true">
            {theme() === 'dark' ? (
              <>
                <circle cx="8" cy="8" r="3" />
                <path d="M8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6L13 13M3 13l1.4-1.4M11.6 4.4L13 3" />
              </>
            ) : (
              <path d="M13 9.5A5.5 5.5 0 0 1 6.5 3a5.5 5.5 0 1 0 6.5 6.5z" />
            )}
          </svg>
        </button>
      </Show>
      <NotificationCenter />
    </header>
  );
}

function ConnectionIndicator(): JSX.Element {
  const state = createMemo(() => {
    if (socketState() === 'closed')
      return { tone: 'danger', text: 'Server disconnected', detail: 'Reconnecting to the KubeGraf server…' };
    if (socketState() === 'connecting' && !clusterState()) return { tone: 'warn', text: 'Connecting', detail: '' };
    const c = clusterState();
    switch (c?.state) {
      case 'connected':
        return { tone: 'ok', text: 'Connected', detail: `since ${c.since}` };
      case 'reconnecting':
        return { tone: 'warn', text: 'Reconnecting', detail: c.reason };
      case 'unreachable':
        return { tone: 'danger', text: 'Cluster unreachable', detail: c.reason };
      case 'connecting':
        return { tone: 'warn', text: 'Connecting', detail: '' };
      default:
        return { tone: 'muted', text: 'Idle', detail: '' };
    }
  });
  return (
    <span class="kg-conn" role="status" aria-live="polite" title={state().detail} data-testid="connection">
      <span class={`kg-dot kg-tone-${state().tone}`} /> {state().text}
    </span>
  );
}

function NamespacePicker(p: { all: () => string[]; error: () => string | undefined }): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const [q, setQ] = createSignal('');
  let root!: HTMLDivElement;
  const label = () =>
    namespaces().length === 0
      ? 'All namespaces'
      : namespaces().length === 1
        ? namespaces()[0]
        : `${namespaces().length} namespaces`;
  const toggle = (ns: string) =>
    saveNamespaces(namespaces().includes(ns) ? namespaces().filter((x) => x !== ns) : [...namespaces(), ns]);
  const shown = () => p.all().filter((n) => n.includes(q().toLowerCase()));
  const onDoc = (e: MouseEvent) => {
    if (!root.contains(e.target as Node)) setOpen(false);
  };
  onMount(() => document.addEventListener('mousedown', onDoc));
  onCleanup(() => document.removeEventListener('mousedown', onDoc));
  return (
    <div class="kg-dropdown" ref={root} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button
        class="kg-hbtn"
        aria-haspopup="listbox"
        aria-expanded={open()}
        onClick={() => setOpen(!open())}
        data-testid="namespace-picker"
      >
        {label()} ▾
      </button>
      <Show when={open()}>
        <div class="kg-dropdown-menu" role="listbox" aria-multiselectable="true" aria-label="Namespaces">
          <input
            class="kg-input"
            type="search"
            placeholder="Find namespace"
            aria-label="Find namespace"
            value={q()}
            onInput={(e) => setQ(e.currentTarget.value)}
            autofocus
          />
          <label class="kg-check">
            <input type="checkbox" checked={namespaces().length === 0} onChange={() => saveNamespaces([])} /> All
            namespaces
          </label>
          <Show when={!p.error()} fallback={<p class="kg-error-text">{p.error()}</p>}>
            <For each={shown()}>
              {(ns) => (
                <label class="kg-check" data-testid={`ns-${ns}`}>
                  <input type="checkbox" checked={namespaces().includes(ns)} onChange={() => toggle(ns)} /> {ns}
                </label>
              )}
            </For>
          </Show>
        </div>
      </Show>
    </div>
  );
}
