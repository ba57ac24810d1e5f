// Verified fixes on screen: what KubeGraf saw after a fix (on the incident, in its list row, in the execution panel),
// the evidence and the next steps, and each fix's track record.
import { createSignal, For, Index, Show, type JSX } from 'solid-js';
import type { FixOutcome, FixTrackRecord, FixVerification } from '../../../src/shared/incidents';
import { api, toast } from '../stores/app';
import { showExecution } from '../stores/executions';
import { toApiError, type ApiError } from '../host/apiError';
import { Badge, Button } from '../ui/button';
import { Modal } from '../ui/modal';
import { ErrorState } from '../ui/states';

const WORDS: Record<FixOutcome, { label: string; short: string; tone: 'danger' | 'warn' | 'ok' | 'info' | 'muted' }> = {
  verifying: { label: 'Checking whether the fix helped', short: 'checking fix', tone: 'info' },
  resolved: { label: 'The fix worked', short: 'fix worked', tone: 'ok' },
  did_not_help: { label: 'The fix did not help', short: 'fix did not help', tone: 'danger' },
  made_worse: { label: 'The fix made it worse', short: 'fix made it worse', tone: 'danger' },
  superseded: { label: 'Replaced by another fix', short: 'fix replaced', tone: 'muted' },
};

export const outcomeWords = (o: FixOutcome): string => WORDS[o].short;

const clock = (iso: string) => new Date(iso).toLocaleTimeString();
const windowText = (s: number) => (s % 60 === 0 && s >= 60 ? `${s / 60} min` : `${s} s`);

/** A short badge for list rows and the execution panel. */
export function FixOutcomeBadge(p: { v?: FixVerification }): JSX.Element {
  return (
    <Show when={p.v && p.v.outcome !== 'superseded' ? p.v : undefined}>
      {(v) => (
        <Badge tone={WORDS[v().outcome].tone} title={v().summary} testId="fix-outcome-badge">
          {WORDS[v().outcome].short}
        </Badge>
      )}
    </Show>
  );
}

/** "Worked 1 of 2 times": how this kind of fix turned out when KubeGraf verified it before. */
export function FixTrack(p: { track?: FixTrackRecord }): JSX.Element {
  return (
    <Show when={p.track}>
      {(t) => {
        const n = () => t().resolved + t().didNotHelp + t().madeWorse;
        return (
          <span
            class="kg-fix-track"
            data-testid="fix-track"
            title="Verified outcomes of this kind of fix for this kind of incident"
          >
            Worked {t().resolved} of {n()} time{n() === 1 ? '' : 's'} ({Math.round((t().successRate ?? 0) * 100)}%)
            {t().madeWorse ? `, made it worse ${t().madeWorse}×` : ''}
          </span>
        );
      }}
    </Show>
  );
}

/** The latest fix of an incident and its verdict, with the evidence and what to do next. */
export function FixOutcomeCard(p: {
  v: FixVerification;
  canFix: (fixId: string) => boolean;
  onFix: (fixId: string) => void;
  onUndone: () => void;
}): JSX.Element {
  const [undo, setUndo] = createSignal<{ executionId: string; label: string } | undefined>();
  const w = () => WORDS[p.v.outcome];
  return (
    <section
      class={`kg-fix-outcome kg-fix-outcome-${p.v.outcome}`}
      data-testid="fix-outcome"
      data-outcome={p.v.outcome}
      aria-label="Outcome of the last fix"
      role="status"
    >
      <header class="kg-fix-outcome-head">
        <Badge tone={w().tone}>{w().label}</Badge>
        <strong>{p.v.description}</strong>
      </header>
      <p data-testid="fix-outcome-summary">{p.v.summary}</p>
      <p class="kg-muted">
        Applied at {clock(p.v.appliedAt)} by {p.v.initiator === 'user' ? 'a user' : 'auto-remediation'}
        {p.v.decidedAt
          ? ` · verdict at ${clock(p.v.decidedAt)}`
          : ` · verification window ${windowText(p.v.windowSeconds)}`}
      </p>
      <Show when={p.v.evidence.length}>
        <h4>Evidence</h4>
        <ul class="kg-fix-evidence" data-testid="fix-outcome-evidence">
          <Index each={p.v.evidence}>
            {(e) => (
              <li>
                <Show when={e().time}>{(t) => <span class="kg-muted">{clock(t())} </span>}</Show>
                <Badge tone={e().type === 'Warning' ? 'warn' : 'muted'}>{e().reason}</Badge> {e().message}
              </li>
            )}
          </Index>
        </ul>
      </Show>
      <Show when={p.v.nextSteps.length}>
        <h4>Next step</h4>
        <div class="kg-toolbar kg-fix-next">
          <For each={p.v.nextSteps}>
            {(step) =>
              step.kind === 'fix' ? (
                <Button
                  variant="primary"
                  disabled={!p.canFix(step.fixId)}
                  title={p.canFix(step.fixId) ? undefined : 'The incident is no longer open'}
                  onClick={() => p.onFix(step.fixId)}
                  testId="fix-next-step"
                >
                  Preview: {step.label}
                </Button>
              ) : (
                <Button onClick={() => setUndo(step)} testId="fix-undo">
                  Undo the fix
                </Button>
              )
            }
          </For>
        </div>
      </Show>
      <Show when={undo()} keyed>
        {(u) => (
          <UndoFixModal
            executionId={u.executionId}
            label={u.label}
            onClose={() => setUndo(undefined)}
            onDone={p.onUndone}
          />
        )}
      </Show>
    </section>
  );
}

function UndoFixModal(p: { executionId: string; label: string; onClose: () => void; onDone: () => void }): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  const [err, setErr] = createSignal<ApiError | undefined>();
  const run = async () => {
    setBusy(true);
    setErr(undefined);
    try {
      const ex = await api().call('incidents.fixApply', { undoExecutionId: p.executionId, confirm: true });
      showExecution(ex);
      toast(
        ex.status === 'succeeded' ? 'The fix was undone' : 'Undoing the fix failed; see the execution panel',
        ex.status === 'succeeded' ? 'ok' : 'danger',
      );
      p.onDone();
      p.onClose();
    } catch (e) {
      setErr(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title="Undo the fix?"
      onClose={p.onClose}
      testId="fix-undo-modal"
      footer={
        <>
          <button class="kg-plain-btn" onClick={() => p.onClose()}>
            Cancel
          </button>
          <button
            class="kg-plain-btn kg-danger"
            disabled={busy()}
            onClick={() => void run()}
            data-testid="fix-undo-confirm"
          >
            Undo the fix
          </button>
        </>
      }
    >
      <p>{p.label.replace(/^Undo the fix \((.*)\)$/, 'This will $1.')}</p>
      <Show when={err()}>{(e) => <ErrorState error={e()} what="the undo" />}</Show>
    </Modal>
  );
}
