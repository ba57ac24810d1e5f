// The one preview-then-apply dialog of every fix (an incident's, a finding's): the exact diff the server's dry run
// produced, whether the user may make the change, and an Apply that streams its execution into the execution panel.
import { createSignal, Show, type JSX } from 'solid-js';
import type { Execution, ObjectRef } from '../../../src/shared/incidents';
import { toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { showExecution } from '../stores/executions';
import { Modal } from '../ui/modal';
import { ErrorState, Loading } from '../ui/states';
import { DiffView } from './diffView';
import { toApiError, type ApiError } from '../host/apiError';

export interface FixPreviewLike {
  diff: string;
  validated: boolean;
  validationError?: string;
  allowed: boolean;
  reason?: string;
  permission: { verb: string; resource: string };
}

export function FixDialog(p: {
  title: string;
  target: ObjectRef;
  /** Said after the target: impact and risk, a finding's why. */
  about?: JSX.Element;
  preview: () => Promise<FixPreviewLike>;
  apply: () => Promise<Execution>;
  onClose: () => void;
  onApplied: () => void;
}): JSX.Element {
  const preview = createLoader<FixPreviewLike>(() => p.preview());
  const [busy, setBusy] = createSignal(false);
  const [err, setErr] = createSignal<ApiError | undefined>();
  const apply = async () => {
    setBusy(true);
    setErr(undefined);
    try {
      showExecution(await p.apply());
      toast('Fix started', 'ok');
      p.onApplied();
      p.onClose();
    } catch (e) {
      setErr(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const canApply = () => !!preview.value()?.validated && !!preview.value()?.allowed && !busy();
  return (
    <Modal
      title={`Fix preview: ${p.title}`}
      onClose={p.onClose}
      wide
      testId="fix-preview-modal"
      footer={
        <>
          <button class="kg-plain-btn" onClick={() => p.onClose()}>
            Cancel
          </button>
          <button
            class="kg-plain-btn kg-danger"
            disabled={!canApply()}
            onClick={() => void apply()}
            data-testid="fix-apply"
          >
            Apply fix
          </button>
        </>
      }
    >
      <p>
        Target:{' '}
        <code>
          {p.target.kind}/{p.target.namespace ? `${p.target.namespace}/` : ''}
          {p.target.name}
        </code>
        <Show when={p.about}> · {p.about}</Show>
      </p>
      <Show
        when={!preview.error()}
        fallback={<ErrorState error={preview.error()} retry={preview.reload} what="the fix preview" />}
      >
        <Show when={preview.value()} fallback={<Loading label="Running a server-side dry run…" />}>
          {(pv) => (
            <>
              <Show when={!pv().validated}>
                <p class="kg-error-text" role="alert">
                  The server rejected the change in a dry run: {pv().validationError}
                </p>
              </Show>
              <Show when={!pv().allowed}>
                <p class="kg-error-text" role="alert">
                  You may not make this change: {pv().reason ?? `${pv().permission.verb} ${pv().permission.resource}`}
                </p>
              </Show>
              <DiffView diff={pv().diff} testId="fix-diff" />
            </>
          )}
        </Show>
      </Show>
      <Show when={err()}>{(e) => <ErrorState error={e()} what="the fix" />}</Show>
    </Modal>
  );
}
