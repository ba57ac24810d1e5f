// Findings of the analyses as rows: severity, what is wrong, why it matters, and a Fix… that previews the change
// (server dry run, permission) before applying it. Used by every insight page and by the details drawer.
import { createSignal, For, Show, type JSX } from 'solid-js';
import type { Finding, FindingSeverity } from '../../../src/shared/insights';
import { api } from '../stores/app';
import { Badge, Button } from '../ui/button';
import { FixDialog } from './fixDialog';
import '../styles/findings.css';
import '../styles/inlineLink.css';

export const FINDING_TONE: Record<FindingSeverity, 'danger' | 'warn' | 'info' | 'muted'> = {
  critical: 'danger',
  high: 'danger',
  medium: 'warn',
  low: 'info',
  info: 'muted',
};

export const SEVERITY_RANK: Record<FindingSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export const objectLabel = (t: Finding['target']): string =>
  `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`;

export function SeverityBadge(p: { severity: FindingSeverity }): JSX.Element {
  return (
    <Badge tone={FINDING_TONE[p.severity]} testId="finding-severity">
      {p.severity}
    </Badge>
  );
}

/** The preview-then-apply dialog of a finding's fix. */
export function FindingFixDialog(p: { finding: Finding; onClose: () => void; onApplied: () => void }): JSX.Element {
  return (
    <FixDialog
      title={p.finding.fix?.description ?? p.finding.title}
      target={p.finding.target}
      about={<>{p.finding.why}</>}
      preview={() => api().call('insights.fixPreview', { findingId: p.finding.id })}
      apply={() => api().call('insights.fixApply', { findingId: p.finding.id, confirm: true })}
      onClose={p.onClose}
      onApplied={p.onApplied}
    />
  );
}

/**
 * Findings as a list. `onOpen` makes each object a link (the page opens its details drawer); without it (inside the
 * drawer of that object) the object is not repeated. `onChanged` runs after a fix was applied.
 */
export function FindingRows(p: {
  findings: Finding[];
  onOpen?: (t: Finding['target']) => void;
  onChanged?: () => void;
  /** Extra content per finding (a page's own detail: a cost saving, a drifted field). */
  extra?: (f: Finding) => JSX.Element;
}): JSX.Element {
  const [fixing, setFixing] = createSignal<Finding | undefined>();
  return (
    <>
      <ul class="kg-list kg-findings" data-testid="findings">
        <For each={p.findings}>
          {(f) => (
            <li class="kg-finding" data-testid="finding" data-check={f.check} data-severity={f.severity}>
              <SeverityBadge severity={f.severity} />
              <div class="kg-finding-main">
                <div class="kg-finding-title">
                  <strong>{f.title}</strong>
                  <Show when={f.container}>
                    <span class="kg-muted"> · container {f.container}</span>
                  </Show>
                  <Show when={p.onOpen}>
                    {' '}
                    <button
                      class="kg-inline-link"
                      onClick={() => p.onOpen!(f.target)}
                      data-testid="finding-object"
                      title={`Open ${objectLabel(f.target)}`}
                    >
                      {objectLabel(f.target)}
                    </button>
                  </Show>
                </div>
                <div class="kg-muted kg-finding-why">{f.why}</div>
                <Show when={p.extra}>{p.extra!(f)}</Show>
              </div>
              <Show when={f.fix}>
                {(fx) => (
                  <Button
                    requires="insights.fixApply"
                    onClick={() => setFixing(f)}
                    title={fx().description}
                    testId="finding-fix"
                  >
                    Fix…
                  </Button>
                )}
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={fixing()} keyed>
        {(f) => <FindingFixDialog finding={f} onClose={() => setFixing(undefined)} onApplied={() => p.onChanged?.()} />}
      </Show>
    </>
  );
}
