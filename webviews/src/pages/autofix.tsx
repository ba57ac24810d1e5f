// Auto-remediation: the policy, on/off, and the decisions it took or declined (with why).
import { For, Show, type JSX } from 'solid-js';
import type { RemediationDecision, RemediationStatus } from '../../../src/shared/incidents';
import { api, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { Badge, Button } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import { confirmAction } from '../components/objectActions';
import { toApiError } from '../host/apiError';

export function AutoFix(): JSX.Element {
  const status = createLoader<RemediationStatus>(() => api().call('incidents.remediation.status', {}));
  const decisions = createLoader<{ decisions: RemediationDecision[] }>(
    () => api().call('incidents.remediation.decisions', {}),
    { refreshMs: 15_000 },
  );
  const list = () => {
    return decisions.value()?.decisions ?? [];
  };
  const toggle = (on: boolean) =>
    confirmAction(
      on ? 'Enable auto-remediation?' : 'Disable auto-remediation?',
      on
        ? 'KubeGraf will apply allowed fixes on its own, within the policy limits.'
        : 'No fix will be applied without you.',
      on ? 'Enable' : 'Disable',
      async () => {
        try {
          await api().post(`/api/incidents/auto-remediation/${on ? 'enable' : 'disable'}`);
          await status.reload();
          return { message: `Auto-remediation ${on ? 'enabled' : 'disabled'}` };
        } catch (e) {
          toast(toApiError(e).message, 'danger');
          throw e;
        }
      },
    );
  return (
    <div class="kg-page" data-testid="page-autofix">
      <div class="kg-page-head">
        <h1>AutoFix</h1>
      </div>
      <Show
        when={!status.error()}
        fallback={<ErrorState error={status.error()} retry={status.reload} what="auto-remediation" />}
      >
        <Show when={status.value()} fallback={<Loading />}>
          {(s) => (
            <section class="kg-panel">
              <p>
                <Badge tone={s().policy.enabled ? 'ok' : 'muted'}>{s().policy.enabled ? 'enabled' : 'disabled'}</Badge>{' '}
                {s().actionsLastHour}/{s().policy.maxActionsPerHour} actions in the last hour · allowed:{' '}
                {s().policy.allowedActions.join(', ') || 'none'}
              </p>
              <Button
                variant={s().policy.enabled ? 'secondary' : 'primary'}
                onClick={() => toggle(!s().policy.enabled)}
              >
                {s().policy.enabled ? 'Disable' : 'Enable'}
              </Button>
            </section>
          )}
        </Show>
      </Show>
      <section class="kg-panel">
        <h2>Decisions</h2>
        <Show
          when={!decisions.error()}
          fallback={<ErrorState error={decisions.error()} retry={decisions.reload} what="decisions" />}
        >
          <Show when={list().length} fallback={<Empty title="No decisions yet" />}>
            <table class="kg-simple-table">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Decision</th>
                  <th>Action</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                <For each={list()}>
                  {(d) => (
                    <tr>
                      <td>{new Date(d.time).toLocaleString()}</td>
                      <td>
                        <Badge tone={d.decision === 'taken' ? 'ok' : 'muted'}>{d.decision}</Badge>
                      </td>
                      <td>
                        {d.action ?? ''} {d.target ? `${d.target.kind}/${d.target.name}` : ''}
                      </td>
                      <td>{d.reason}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </Show>
      </section>
    </div>
  );
}
