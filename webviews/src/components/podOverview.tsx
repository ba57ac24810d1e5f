// The Overview tab of a pod: what `kubectl describe pod` says, laid out for reading — a summary, each container as a
// card (image, state with its reason, ready, restarts, ports, requests/limits, probes, environment, mounts), the
// conditions and the volumes. Times follow the shared clock.
import { createMemo, For, Show, type JSX } from 'solid-js';
import type { ResourceDetails } from '../../../src/shared/routes/resources';
import { podView, type ContainerState, type ContainerView } from '../model/podOverview';
import { navigate } from '../stores/app';
import { Badge } from '../ui/button';
import { statusTone } from './statusTone';
import '../styles/podOverview.css';
import { When } from '../ui/when';

const OWNER_PAGE: Record<string, string> = {
  ReplicaSet: 'replicasets',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  Job: 'jobs',
  Node: 'nodes',
};

function StateLine(p: { s: ContainerState; last?: boolean }): JSX.Element {
  const tone = () =>
    p.s.kind === 'running'
      ? 'ok'
      : p.s.kind === 'terminated' && p.s.reason === 'Completed'
        ? 'muted'
        : p.s.reason && /BackOff|Err|OOM|Error|Invalid/i.test(p.s.reason)
          ? 'danger'
          : 'warn';
  const word = () => p.s.kind[0].toUpperCase() + p.s.kind.slice(1);
  return (
    <span class="kg-pod-state">
      <Badge tone={p.last ? 'muted' : tone()}>
        {word()}
        {p.s.reason ? `: ${p.s.reason}` : ''}
      </Badge>
      <Show when={p.s.exitCode !== undefined}>
        {' '}
        <span class="kg-muted">exit code {p.s.exitCode}</span>
      </Show>
      <Show when={p.s.since}>
        {' '}
        <span class="kg-muted">
          {p.s.kind === 'running' ? 'since ' : ''}
          <When at={p.s.since} />
        </span>
      </Show>
      <Show when={p.s.message}>
        <div class="kg-pod-state-msg">{p.s.message}</div>
      </Show>
    </span>
  );
}

function Facts(p: { rows: Array<[string, JSX.Element | string | undefined | false]> }): JSX.Element {
  return (
    <dl class="kg-dl kg-pod-facts">
      <For each={p.rows.filter(([, v]) => v !== undefined && v !== false && v !== '')}>
        {([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        )}
      </For>
    </dl>
  );
}

const list = (xs: string[], none = 'none') => (xs.length ? xs.join(', ') : <span class="kg-muted">{none}</span>);

function ContainerCard(p: { c: ContainerView }): JSX.Element {
  const c = p.c;
  return (
    <section class="kg-pod-container" aria-label={`Container ${c.name}`} data-testid="pod-container">
      <header>
        <h4 data-testid="pod-container-name">{c.name}</h4>
        <Show when={c.init}>
          <Badge tone="info">init</Badge>
        </Show>
        <Badge tone={c.ready ? 'ok' : 'warn'}>{c.ready ? 'ready' : 'not ready'}</Badge>
        <span class="kg-muted">
          {c.restarts} restart{c.restarts === 1 ? '' : 's'}
        </span>
      </header>
      <Facts
        rows={[
          ['Image', <code data-testid="pod-container-image">{c.image}</code>],
          ['State', <StateLine s={c.state} />],
          ['Last state', c.lastState && <StateLine s={c.lastState} last />],
          ['Command', c.command && <code>{c.command}</code>],
          ['Ports', list(c.ports)],
          ['Requests', list(c.requests)],
          ['Limits', list(c.limits)],
          ...c.probes.map((pr): [string, JSX.Element] => [pr.kind, <code>{pr.text}</code>]),
          [
            'Environment',
            c.env.length ? (
              <ul class="kg-pod-lines">
                <For each={c.env}>
                  {(e) => (
                    <li>
                      <code>{e}</code>
                    </li>
                  )}
                </For>
              </ul>
            ) : undefined,
          ],
          ['Environment from', c.envFrom.length ? c.envFrom.join(', ') : undefined],
          [
            'Mounts',
            c.mounts.length ? (
              <ul class="kg-pod-lines">
                <For each={c.mounts}>
                  {(m) => (
                    <li>
                      <code>{m}</code>
                    </li>
                  )}
                </For>
              </ul>
            ) : undefined,
          ],
        ]}
      />
    </section>
  );
}

export function PodOverview(p: { d: ResourceDetails; children?: JSX.Element }): JSX.Element {
  const v = createMemo(() => podView(p.d.object, typeof p.d.status === 'string' ? p.d.status : undefined));
  const open = (page: string, name: string, ns?: string) => navigate(page, { name, ...(ns ? { ns } : {}) });
  return (
    <div class="kg-overview kg-pod-overview" data-testid="overview">
      <Facts
        rows={[
          [
            'Status',
            <span class={`kg-status kg-tone-${statusTone(v().status)}`} data-testid="pod-status">
              {v().status}
            </span>,
          ],
          ['Ready', v().ready],
          ['Restarts', String(v().restarts)],
          ['Age', <When at={p.d.createdAt} ago={false} />],
          [
            'Node',
            v().node && (
              <button class="kg-link" onClick={() => open('nodes', v().node!)}>
                {v().node}
              </button>
            ),
          ],
          ['Pod IP', v().ips.join(', ') || undefined],
          ['Host IP', v().hostIP],
          [
            'Controlled by',
            v().controlledBy &&
              (OWNER_PAGE[v().controlledBy!.kind] ? (
                <button
                  class="kg-link"
                  onClick={() => open(OWNER_PAGE[v().controlledBy!.kind], v().controlledBy!.name, p.d.namespace)}
                >
                  {v().controlledBy!.kind}/{v().controlledBy!.name}
                </button>
              ) : (
                `${v().controlledBy!.kind}/${v().controlledBy!.name}`
              )),
          ],
          ['Service account', v().serviceAccount],
          ['QoS class', v().qosClass],
          ['Priority class', v().priorityClass],
        ]}
      />
      <h3>Containers ({v().containers.filter((c) => !c.init).length})</h3>
      <For each={v().containers}>{(c) => <ContainerCard c={c} />}</For>
      <h3>Conditions</h3>
      <Show when={v().conditions.length} fallback={<p class="kg-muted">None reported yet</p>}>
        <table class="kg-simple-table kg-pod-conditions" data-testid="pod-conditions">
          <thead>
            <tr>
              <th>Condition</th>
              <th>Status</th>
              <th>Changed</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            <For each={v().conditions}>
              {(c) => (
                <tr>
                  <td>{c.type}</td>
                  <td>
                    <span class={`kg-status kg-tone-${c.status === 'True' ? 'ok' : 'warn'}`}>{c.status}</span>
                  </td>
                  <td class="kg-muted">
                    <When at={c.since} />
                  </td>
                  <td>
                    {c.reason ?? ''}
                    {c.message ? <span class="kg-muted"> {c.message}</span> : ''}
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
      <Show when={v().volumes.length}>
        <h3>Volumes</h3>
        <ul class="kg-pod-lines">
          <For each={v().volumes}>{(x) => <li>{x}</li>}</For>
        </ul>
      </Show>
      {p.children}
    </div>
  );
}
