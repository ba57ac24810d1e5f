// "Apply YAML": paste or write a multi-document manifest, Review (a server-side dry run: what each object would become,
// with its diff), then Apply — the same server-side apply as `kubectl apply --server-side`. Nothing is written before
// a review of exactly the text in the editor; field-manager conflicts are explained and taken over only on request.
import { createSignal, For, Show, type JSX } from 'solid-js';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { ManifestApplyResult, ManifestObjectResult } from '../../../src/shared/routes/resources';
import { ApiError, toApiError } from '../host/apiError';
import { Button } from '../ui/button';
import { Modal } from '../ui/modal';
import { api, context, namespaces, toast } from '../stores/app';
import { CodeEditor, type CodeEditorHandle, type EditorProblem } from './codeEditor';
import { DiffView } from './diffView';

const [open, setOpen] = createSignal(false);
/** The manifest outlives the dialog: closing it by mistake (Escape, a click outside) loses nothing. */
const [draft, setDraft] = createSignal('');

/** Opens the dialog; with a manifest (a page's template), the editor starts from it. */
export const openApplyDialog = (manifest?: unknown): void => {
  if (typeof manifest === 'string') setDraft(manifest);
  setOpen(true);
};

/** Syntax problems only (the server judges the objects): one per document, where the parser stopped. */
export function lintManifest(text: string): EditorProblem[] {
  const lc = new LineCounter();
  const out: EditorProblem[] = [];
  for (const d of parseAllDocuments(text, { lineCounter: lc, version: '1.1' }) as ReturnType<typeof parseAllDocuments> &
    unknown[]) {
    for (const e of d.errors.slice(0, 1)) {
      const from = Math.min(e.pos[0], text.length);
      out.push({
        from,
        to: Math.min(Math.max(e.pos[1], from + 1), text.length),
        severity: 'error',
        message: e.message.split('\n')[0],
      });
    }
  }
  return out;
}

const tone: Record<ManifestObjectResult['action'], string> = {
  created: 'ok',
  configured: 'info',
  unchanged: 'muted',
  failed: 'danger',
};

const labelOf = (r: ManifestObjectResult) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

function counts(res: ManifestApplyResult): string {
  const n = (a: ManifestObjectResult['action']) => res.results.filter((r) => r.action === a).length;
  return `${n('created')} created, ${n('configured')} configured, ${n('unchanged')} unchanged, ${n('failed')} failed`;
}

function ObjectResults(p: { res: ManifestApplyResult; testId: string }): JSX.Element {
  return (
    <ul class="kg-apply-results" data-testid={p.testId} style={{ 'list-style': 'none', padding: 0, margin: 0 }}>
      <For each={p.res.results}>
        {(r) => (
          <li data-testid="apply-object" data-action={r.action} style={{ margin: '0 0 8px' }}>
            <details open={r.action === 'failed' || (p.res.results.length <= 3 && !!r.diff)}>
              <summary>
                <span class={`kg-badge kg-tone-${tone[r.action]}`} data-testid="apply-object-action">
                  {p.res.dryRun && r.action !== 'unchanged' && r.action !== 'failed' ? `will be ${r.action}` : r.action}
                </span>{' '}
                <strong>{labelOf(r)}</strong>{' '}
                <span class="kg-muted kg-small">
                  document {r.doc}, line {r.line}
                </span>
              </summary>
              <Show when={r.error}>
                {(e) => (
                  <div class="kg-yaml-alert" role="alert" data-testid="apply-object-error">
                    <span>{e().message}</span>
                    <Show when={e().conflicts?.length}>
                      <ul>
                        <For each={e().conflicts}>
                          {(c) => (
                            <li>
                              <code>{c.field}</code> is managed by {c.manager}
                            </li>
                          )}
                        </For>
                      </ul>
                    </Show>
                    <span class="kg-muted">
                      code: {e().code}
                      {e().status ? ` · HTTP ${e().status}` : ''}
                    </span>
                  </div>
                )}
              </Show>
              <Show when={r.note}>
                <p class="kg-muted kg-small">{r.note}</p>
              </Show>
              <Show when={r.action !== 'failed'}>
                <Show when={r.diff.startsWith('(')} fallback={<DiffView diff={r.diff} testId="apply-object-diff" />}>
                  <p class="kg-muted">{r.diff}</p>
                </Show>
              </Show>
            </details>
          </li>
        )}
      </For>
    </ul>
  );
}

export function ApplyDialog(): JSX.Element {
  return (
    <Show when={open()}>
      <ApplyBox />
    </Show>
  );
}

function ApplyBox(): JSX.Element {
  const [review, setReview] = createSignal<{ text: string; force: boolean; res: ManifestApplyResult }>();
  const [done, setDone] = createSignal<ManifestApplyResult>();
  const [busy, setBusy] = createSignal<'review' | 'apply'>();
  const [error, setError] = createSignal<ApiError>();
  const [force, setForce] = createSignal(false);
  const [problems, setProblems] = createSignal<EditorProblem[]>([]);
  let ed: CodeEditorHandle | undefined;

  const ns = () => (namespaces().length === 1 ? namespaces()[0] : undefined);
  const text = () => ed?.text() ?? draft();
  const reviewed = () => {
    const r = review();
    return r && r.text === draft() && r.force === force() ? r : undefined;
  };
  const conflicts = () => review()?.res.results.some((r) => r.error?.conflicts?.length) ?? false;
  const canApply = () => !busy() && !!reviewed() && reviewed()!.res.applied > 0;

  const call = (yaml: string, dryRun: boolean) =>
    api().call('manifests.apply', {
      yaml,
      dryRun,
      force: force() || undefined,
      namespace: ns(),
      context: context() || undefined,
    });

  /** The results sit below the editor: bring them into view once they arrive. */
  const showResults = () =>
    requestAnimationFrame(() =>
      document
        .querySelector('[data-testid=apply-review-results], [data-testid=apply-results]')
        ?.closest('.kg-preview')
        ?.scrollIntoView({ block: 'start' }),
    );

  const runReview = async () => {
    if (busy()) return;
    const t = text();
    setDraft(t);
    setDone(undefined);
    if (!t.trim()) {
      // Said next to the editor, where the user is looking, rather than in a toast.
      setError(new ApiError(400, 'empty', 'The editor is empty: paste or write at least one object'));
      return;
    }
    const first = lintManifest(t)[0];
    if (first) {
      ed?.lintNow();
      const line = t.slice(0, first.from).split('\n').length;
      ed?.goTo(line, 1);
      return;
    }
    setBusy('review');
    setError(undefined);
    try {
      setReview({ text: t, force: force(), res: await call(t, true) });
      showResults();
    } catch (e) {
      setReview(undefined);
      setError(toApiError(e));
    } finally {
      setBusy(undefined);
    }
  };

  const runApply = async () => {
    const r = reviewed();
    if (!r || !canApply()) return;
    setBusy('apply');
    setError(undefined);
    try {
      const res = await call(r.text, false);
      setDone(res);
      setReview(undefined);
      showResults();
      toast(`Applied to ${res.context}: ${counts(res)}`, res.failed ? 'danger' : 'ok');
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(undefined);
    }
  };

  const status = (): string => {
    if (busy() === 'review') return 'Asking the server for a dry run…';
    if (busy() === 'apply') return 'Applying…';
    const d = done();
    if (d) return `Applied to ${d.context}: ${counts(d)}.`;
    if (problems().length)
      return `${problems().length} YAML problem${problems().length === 1 ? '' : 's'} to fix before Review.`;
    const r = reviewed();
    if (!r)
      return review()
        ? 'The YAML (or force) changed since the review: Review again before applying.'
        : 'Review runs a server-side dry run of every object; Apply comes after it.';
    if (!r.res.applied)
      return r.res.failed
        ? `Nothing can be applied: ${counts(r.res)}.`
        : 'Every object is already as written: nothing to apply.';
    return `Reviewed against ${r.res.context}: ${counts(r.res)}.`;
  };

  const close = () => setOpen(false);

  return (
    <Modal
      title="Apply YAML"
      wide
      onClose={close}
      testId="apply-dialog"
      footer={
        <>
          <span class="kg-muted kg-grow" role="status" data-testid="apply-status">
            {status()}
          </span>
          <Button onClick={close} testId="apply-close">
            {done() ? 'Close' : 'Cancel'}
          </Button>
          <Button
            variant="primary"
            onClick={() => void runReview()}
            disabled={!!busy()}
            testId="apply-review"
            title="Server-side dry run of every object"
          >
            {busy() === 'review' ? 'Reviewing…' : 'Review'}
          </Button>
          <Button
            variant="primary"
            onClick={() => void runApply()}
            disabled={!canApply()}
            testId="apply-apply"
            title="Server-side apply of the reviewed YAML"
          >
            {busy() === 'apply'
              ? 'Applying…'
              : `Apply${reviewed()?.res.applied ? ` ${reviewed()!.res.applied} object${reviewed()!.res.applied === 1 ? '' : 's'}` : ''}`}
          </Button>
        </>
      }
    >
      <p class="kg-muted kg-small" data-testid="apply-target">
        Context <strong>{context() || 'current'}</strong> · objects without a namespace go to{' '}
        <strong>{ns() ?? 'default'}</strong> · field manager <code>kubegraf</code>
        <br />
        Paste or write one or more objects, separated by <code>---</code>. Ctrl/⌘-S reviews.
      </p>
      <div class="kg-yaml-editor" onKeyDown={(e) => e.key === 'Escape' && e.defaultPrevented && e.stopPropagation()}>
        <CodeEditor
          value={draft()}
          readOnly={busy() === 'apply'}
          label="YAML to apply"
          testId="apply-editor"
          lint={(t) => {
            const p = lintManifest(t);
            setProblems(p);
            return p;
          }}
          onChange={(t) => {
            setDraft(t);
            setDone(undefined);
            if (error()?.code === 'empty' && t.trim()) setError(undefined);
          }}
          onSave={() => void runReview()}
          ref={(h) => (ed = h)}
        />
      </div>
      <Show when={conflicts() || force()}>
        <label class="kg-check" data-testid="apply-force">
          <input type="checkbox" checked={force()} onChange={(e) => setForce(e.currentTarget.checked)} /> Force
          conflicts: take over fields another field manager owns (as{' '}
          <code>kubectl apply --server-side --force-conflicts</code>)
        </label>
      </Show>
      <Show when={error()}>
        {(e) => (
          <div class="kg-yaml-alert" role="alert" data-testid="apply-error">
            <strong>
              {e().unreachable
                ? 'Cannot reach the cluster or server'
                : e().status === 400
                  ? 'The YAML cannot be applied'
                  : 'The server refused the request'}
            </strong>
            <span>{e().message}</span>
          </div>
        )}
      </Show>
      <Show when={done()}>
        {(d) => (
          <div class="kg-preview">
            <h3>Applied to {d().context}</h3>
            <ObjectResults res={d()} testId="apply-results" />
          </div>
        )}
      </Show>
      <Show when={!done() && review()}>
        {(r) => (
          <div class="kg-preview" classList={{ 'kg-muted': !reviewed() }}>
            <h3>What the server would do{reviewed() ? '' : ' (for an earlier version of the YAML)'}</h3>
            <ObjectResults res={r().res} testId="apply-review-results" />
          </div>
        )}
      </Show>
    </Modal>
  );
}
