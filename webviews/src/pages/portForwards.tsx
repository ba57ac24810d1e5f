// Active port-forwards with their local addresses; stop any of them.
import { For, Show, type JSX } from 'solid-js';
import { api, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { Button } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import { toApiError } from '../host/apiError';

export function PortForwards(): JSX.Element {
  const list = createLoader(() => api().call('portforward.list', {}), { refreshMs: 5000 });
  const stop = async (id: string) => {
    try {
      await api().call('portforward.stop', { id });
      toast('Port forward stopped', 'ok');
      await list.reload();
    } catch (e) {
      toast(`Stop failed: ${toApiError(e).message}`, 'danger');
    }
  };
  return (
    <div class="kg-page" data-testid="page-port-forwards">
      <div class="kg-page-head">
        <h1>Port Forwards</h1>
      </div>
      <p class="kg-muted">Start one from a pod, service or deployment row (“Forward”).</p>
      <Show
        when={!list.error()}
        fallback={<ErrorState error={list.error()} retry={list.reload} what="port forwards" />}
      >
        <Show when={list.value()} fallback={<Loading />}>
          <Show when={list.value()?.forwards.length} fallback={<Empty title="No active port forwards" />}>
            <table class="kg-simple-table">
              <thead>
                <tr>
                  <th>Local address</th>
                  <th>Target</th>
                  <th>Connections</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                <For each={list.value()?.forwards ?? []}>
                  {(f) => (
                    <tr>
                      <td>
                        <a href={`http://${f.address}:${f.localPort}`} target="_blank" rel="noreferrer">
                          {f.address}:{f.localPort}
                        </a>
                      </td>
                      <td>
                        {f.namespace}/{f.pod}:{f.remotePort}
                      </td>
                      <td>{f.connections}</td>
                      <td>
                        <Button onClick={() => void stop(f.id)}>Stop</Button>
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
