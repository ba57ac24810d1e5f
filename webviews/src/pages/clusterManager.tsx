// Every kubeconfig context: reachability, health check, switch.
import { For, Show, type JSX } from 'solid-js';
import { api, navigate, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { startLive } from '../stores/live';
import { Badge, Button } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import { toApiError } from '../host/apiError';

export function ClusterManager(): JSX.Element {
  const list = createLoader(() => api().call('clusters.list', {}));
  const act = async (label: string, f: () => Promise<unknown>) => {
    try {
      await f();
      toast(`${label}: done`, 'ok');
      await list.reload();
    } catch (e) {
      toast(`${label} failed: ${toApiError(e).message}`, 'danger');
    }
  };
  return (
    <div class="kg-page" data-testid="page-cluster-manager">
      <div class="kg-page-head">
        <h1>Clusters</h1>
        <Button onClick={() => void act('Refresh', () => api().call('clusters.refresh', {}))}>
          Re-read kubeconfig
        </Button>
      </div>
      <Show when={!list.error()} fallback={<ErrorState error={list.error()} retry={list.reload} what="clusters" />}>
        <Show when={list.value()} fallback={<Loading />}>
          <Show
            when={list.value()?.clusters.length}
            fallback={
              <Empty title="No contexts" hint="Add a context to your kubeconfig (KUBECONFIG or ~/.kube/config)." />
            }
          >
            <table class="kg-simple-table">
              <thead>
                <tr>
                  <th>Context</th>
                  <th>Server</th>
                  <th>State</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                <For each={list.value()?.clusters ?? []}>
                  {(c) => (
                    <tr>
                      <td>
                        {c.contextName}{' '}
                        <Show when={c.isActive}>
                          <Badge tone="info">active</Badge>
                        </Show>
                      </td>
                      <td class="kg-muted">{c.server}</td>
                      <td>
                        <Badge tone={c.isReachable ? 'ok' : c.state === 'unreachable' ? 'danger' : 'muted'}>
                          {c.state}
                        </Badge>{' '}
                        <span class="kg-muted">{c.error ?? ''}</span>
                      </td>
                      <td>
                        <Button
                          onClick={() =>
                            void act(`Health check of ${c.contextName}`, () =>
                              api().call('clusters.health', { contextName: c.contextName }),
                            )
                          }
                        >
                          Check
                        </Button>{' '}
                        <Show when={!c.isActive}>
                          <Button
                            variant="primary"
                            onClick={() =>
                              void act(`Switch to ${c.contextName}`, async () => {
                                await api().call('clusters.switch', { contextName: c.contextName });
                                startLive();
                                navigate('dashboard');
                              })
                            }
                          >
                            Switch
                          </Button>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </Show>
      </Show>
    </div>
  );
}
