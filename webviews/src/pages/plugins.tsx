// Plugins: what each adds (pages, API routes), whether the cluster has what it works with, and a switch. Off hides its
// pages from the sidebar and the palette and its routes answer 403 pluginDisabled; the cluster is not touched.
import { createSignal, For, Show, type JSX } from 'solid-js';
import type { PluginDef } from '../../../src/shared/plugins';
import type { PluginRow } from '../../../src/shared/routes/integrations';
import { pageById, toHash } from '../model/nav';
import { toast } from '../stores/app';
import { mayCall, whyNot } from '../stores/permissions';
import { pluginRows, pluginsError, reloadPlugins, setPluginEnabled } from '../stores/plugins';
import { toApiError } from '../host/apiError';
import { Badge, Button } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import '../styles/apps.css';

export function PluginsPage(): JSX.Element {
  const [q, setQ] = createSignal('');
  void reloadPlugins();
  const rows = () =>
    (pluginRows() ?? []).filter(
      (p) => !q() || `${p.name} ${p.title} ${p.description}`.toLowerCase().includes(q().toLowerCase()),
    );
  const all = () => pluginRows() ?? [];
  return (
    <div class="kg-page" data-testid="page-plugins">
      <div class="kg-page-head">
        <h1>Plugins</h1>
        <Show when={pluginRows()}>
          <span class="kg-muted" data-testid="plugins-counts">
            {all().filter((p) => p.enabled).length} of {all().length} on · {all().filter((p) => p.detected).length}{' '}
            found in this cluster
          </span>
        </Show>
      </div>
      <p class="kg-muted">
        Each plugin adds pages and API routes for a tool in your cluster. Turning one off hides its pages from the
        sidebar and the command palette, and its routes answer "plugin disabled"; nothing in the cluster changes. The
        switch applies to every window of this KubeGraf.
      </p>
      <div class="kg-toolbar">
        <input
          class="kg-input"
          type="search"
          placeholder="Filter plugins"
          aria-label="Filter plugins"
          value={q()}
          onInput={(e) => setQ(e.currentTarget.value)}
          data-testid="plugins-filter"
        />
      </div>
      <Show
        when={pluginRows() || !pluginsError()}
        fallback={<ErrorState error={pluginsError()} retry={() => void reloadPlugins()} what="the plugins" />}
      >
        <Show when={pluginRows()} fallback={<Loading label="Checking the cluster for each plugin…" />}>
          <Show when={rows().length} fallback={<Empty title={`No plugin matches "${q()}"`} />}>
            <table class="kg-simple-table kg-plugins" data-testid="plugins-table">
              <thead>
                <tr>
                  <th>Plugin</th>
                  <th>In this cluster</th>
                  <th>Pages</th>
                  <th>API routes</th>
                  <th>On</th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>{(p) => <PluginLine p={p} />}</For>
              </tbody>
            </table>
          </Show>
        </Show>
      </Show>
    </div>
  );
}

function PluginLine(props: { p: PluginRow }): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  const p = () => props.p;
  const allowed = () => mayCall('plugins.enable');
  const toggle = async (on: boolean) => {
    setBusy(true);
    try {
      toast(await setPluginEnabled(p().name, on), 'ok');
    } catch (e) {
      toast(`Could not turn ${p().title} ${on ? 'on' : 'off'}: ${toApiError(e).message}`, 'danger');
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-testid={`plugin-row-${p().name}`} classList={{ 'kg-plugin-off': !p().enabled }}>
      <td>
        <strong>{p().title}</strong>
        <div class="kg-muted kg-small">{p().description}</div>
      </td>
      <td>
        <Badge tone={p().detected ? 'ok' : 'muted'} testId="plugin-detected">
          {p().detected ? 'Found' : 'Not found'}
        </Badge>
        <div class="kg-muted kg-small">{p().message}</div>
        <Show when={!p().detected && p().app}>
          <a class="kg-small" href={toHash('apps', { app: p().app! })} data-testid="plugin-install-link">
            Install from Apps
          </a>
        </Show>
      </td>
      <td>
        <For
          each={p()
            .pages.map((id) => pageById(id))
            .filter((x) => x !== undefined)}
        >
          {(pg) => (
            <div>
              <Show when={p().enabled} fallback={<span class="kg-muted">{pg.label} (hidden)</span>}>
                <a href={toHash(pg.id)}>{pg.label}</a>
              </Show>
            </div>
          )}
        </For>
      </td>
      <td>
        <details>
          <summary>
            {p().routes.length} route{p().routes.length === 1 ? '' : 's'}
            <Show when={!p().enabled}>
              <span class="kg-muted"> · refused</span>
            </Show>
          </summary>
          <ul class="kg-plugin-routes">
            <For each={p().routes}>
              {(r) => (
                <li>
                  <code>{r}</code>
                </li>
              )}
            </For>
          </ul>
        </details>
      </td>
      <td>
        <label class="kg-switch" title={allowed() ? undefined : whyNot()}>
          <input
            type="checkbox"
            role="switch"
            checked={p().enabled}
            disabled={busy() || !allowed()}
            aria-label={`${p().title} plugin`}
            onChange={(e) => void toggle(e.currentTarget.checked)}
            data-testid={`plugin-toggle-${p().name}`}
          />
          <span>{p().enabled ? 'On' : 'Off'}</span>
        </label>
      </td>
    </tr>
  );
}

/** Shown instead of a page whose plugin is off (a bookmark, a link from elsewhere). */
export function PluginOff(props: { plugin: PluginDef; page: string }): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  const on = async () => {
    setBusy(true);
    try {
      toast(await setPluginEnabled(props.plugin.name, true), 'ok');
    } catch (e) {
      toast(`Could not turn ${props.plugin.title} on: ${toApiError(e).message}`, 'danger');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="kg-page" data-testid="page-plugin-off">
      <Empty
        title={
          props.page === props.plugin.title
            ? `The ${props.plugin.title} plugin is turned off`
            : `${props.page} belongs to the ${props.plugin.title} plugin, which is turned off`
        }
        hint="Its pages are hidden and its API routes refused in this KubeGraf. Turning it on changes nothing in the cluster."
      >
        <div class="kg-toolbar">
          <Button
            variant="primary"
            requires="plugins.enable"
            disabled={busy()}
            onClick={() => void on()}
            testId="plugin-turn-on"
          >
            Turn {props.plugin.title} on
          </Button>
          <a href={toHash('plugins')}>Manage plugins</a>
        </div>
      </Empty>
    </div>
  );
}
