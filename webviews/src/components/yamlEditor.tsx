// YAML view and edit. Editing never applies directly: Review (Ctrl/Cmd-S) runs a server-side dry run and shows the
// diff, and only a reviewed, problem-free text can be applied. The edit checks what `kubectl edit` checks (one object,
// same kind, name and namespace) as the user types, and a change made on the cluster meanwhile (409) is reported
// with a way to load the latest version without losing the user's text.
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show, type JSX } from 'solid-js';
import type { UpdateResult } from '../../../src/shared/routes/resources';
import { toApiError, type ApiError } from '../host/apiError';
import { Button } from '../ui/button';
import { Confirm } from '../ui/modal';
import { DiffView } from './diffView';
import { CodeEditor, type CodeEditorHandle } from './codeEditor';
import { apiGroup, hasErrors, identityOf, lintYaml, type LintIssue, type ObjectIdentity } from './yamlLint';
import { toast } from '../stores/app';

export interface YamlEditorProps {
  yaml: string;
  canEdit: boolean;
  update: (yaml: string, dryRun: boolean) => Promise<UpdateResult>;
  /** The object changed on the cluster: fetch it again (the new YAML comes back through `yaml`). */
  onApplied: () => void;
  /** Fetches the latest YAML (back through `yaml`) after a conflict; without it `onApplied` does the reload. */
  reload?: () => void | Promise<void>;
  onCopy?: () => void;
}

/**
 * Unsaved edits outlive the editor: closing the drawer or switching tabs unmounts it, and reopening the same object
 * brings the edit back instead of losing it. Per page load, in memory only.
 */
const drafts = new Map<string, string>();

const draftKey = (id: ObjectIdentity) =>
  `${apiGroup(id.apiVersion ?? '')}/${id.kind ?? ''}/${id.namespace ?? ''}/${id.name ?? ''}`;

const isConflict = (e: ApiError) => e.status === 409 || e.code === 'conflict';

let ids = 0;

export function YamlEditor(p: YamlEditorProps): JSX.Element {
  const uid = `kg-yaml-${++ids}`;
  // The object being edited, as it was opened: every edit is checked against it.
  const expected = createMemo(() => identityOf(p.yaml));
  const key = draftKey(expected());
  const draft = p.canEdit ? drafts.get(key) : undefined;

  const [editing, setEditing] = createSignal(draft !== undefined);
  const [text, setText] = createSignal(draft ?? p.yaml);
  /** The server's version the edit is compared with. */
  const [base, setBase] = createSignal(p.yaml);
  const [problems, setProblems] = createSignal<LintIssue[]>([]);
  const [preview, setPreview] = createSignal<{ text: string; result: UpdateResult }>();
  const [showDiff, setShowDiff] = createSignal(false);
  const [busy, setBusy] = createSignal<'review' | 'apply' | 'reload'>();
  const [error, setError] = createSignal<ApiError>();
  const [conflict, setConflict] = createSignal<ApiError>();
  /** The user's text, kept after "Reload latest" replaced it in the editor. */
  const [stash, setStash] = createSignal<string>();
  const [restored, setRestored] = createSignal(draft !== undefined);
  const [confirmDiscard, setConfirmDiscard] = createSignal(false);
  let ed: CodeEditorHandle | undefined;
  let root!: HTMLDivElement;
  let editBtn: HTMLElement | undefined;
  let reloadBtn: HTMLElement | undefined;

  const dirty = () => editing() && text() !== base();
  const errors = () => problems().filter((i) => i.severity === 'error');
  const reviewed = () => {
    const pv = preview();
    return pv && pv.text === text() ? pv : undefined;
  };
  const canReview = () => editing() && !busy() && dirty() && !hasErrors(problems());
  const canApply = () => editing() && !busy() && !hasErrors(problems()) && !!reviewed()?.result.preview.changed;
  const mod = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘S' : 'Ctrl+S';
  const status = (): string => {
    if (busy() === 'review') return 'Asking the server for a dry run…';
    if (busy() === 'apply') return 'Applying…';
    if (busy() === 'reload') return 'Loading the latest version…';
    if (conflict()) return 'The object changed on the cluster: reload the latest version to apply a change.';
    const n = errors().length;
    if (n) return `${n} problem${n === 1 ? '' : 's'} to fix before Review.`;
    if (!dirty()) return `Edit the YAML, then Review (${mod}) shows what the server would change.`;
    const pv = reviewed();
    if (!pv) return `Review (${mod}) shows the server's dry run; Apply comes after it.`;
    return pv.result.preview.changed
      ? 'Reviewed: Apply writes this change to the cluster.'
      : 'The server would change nothing.';
  };

  const lint = (t: string) => {
    const issues = lintYaml(t, expected());
    setProblems(issues);
    return issues;
  };

  const focusLater = (el: () => HTMLElement | null | undefined) => queueMicrotask(() => el()?.focus());

  const startEditing = () => {
    setError(undefined);
    setBase(p.yaml);
    setText(p.yaml);
    setEditing(true);
    ed?.setText(p.yaml, { resetHistory: true });
    ed?.goTo(1, 1);
  };

  const stopEditing = () => {
    drafts.delete(key);
    setEditing(false);
    setPreview(undefined);
    setShowDiff(false);
    setConflict(undefined);
    setError(undefined);
    setStash(undefined);
    setRestored(false);
    setProblems([]);
    setText(p.yaml);
    setBase(p.yaml);
    ed?.setText(p.yaml, { resetHistory: true });
    focusLater(() => editBtn?.firstElementChild as HTMLElement | null);
  };

  const cancel = () => (dirty() ? setConfirmDiscard(true) : stopEditing());

  const fail = (e: unknown) => {
    const err = toApiError(e);
    if (isConflict(err)) {
      setConflict(err);
      // The review was against a version that is gone: it says nothing about what Apply would do now.
      setPreview(undefined);
      setShowDiff(false);
      focusLater(() => reloadBtn?.firstElementChild as HTMLElement | null);
    } else {
      setError(err);
    }
  };

  const review = async () => {
    if (!editing() || busy()) return;
    const t = ed?.text() ?? text();
    setText(t);
    // Checked now, not after the typing pause: the text may have changed a moment ago.
    const issues = lint(t);
    const first = issues.find((i) => i.severity === 'error');
    if (first) {
      ed?.lintNow();
      ed?.goTo(first.line, first.col);
      return;
    }
    if (t === base()) {
      toast('Nothing to review: the YAML is as the server has it', 'info');
      return;
    }
    setBusy('review');
    setError(undefined);
    setConflict(undefined);
    try {
      const result = await p.update(t, true);
      setPreview({ text: t, result });
      setShowDiff(true);
      focusLater(() => root.querySelector<HTMLElement>('[data-testid=yaml-diff]'));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(undefined);
    }
  };

  const apply = async () => {
    const pv = reviewed();
    if (!pv || !canApply()) return;
    setBusy('apply');
    setError(undefined);
    setConflict(undefined);
    try {
      const r = await p.update(pv.text, false);
      toast(r.applied ? 'Applied' : 'Nothing changed', 'ok');
      setBusy(undefined);
      stopEditing();
      p.onApplied();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(undefined);
    }
  };

  /** Puts the server's latest version in the editor; the user's text moves to the stash, ready to copy. */
  const adoptLatest = (latest: string) => {
    const mine = ed?.text() ?? text();
    if (mine !== latest) setStash(mine);
    setBase(latest);
    setText(latest);
    // Kept in the undo history: Ctrl/Cmd-Z brings the user's text back too.
    ed?.setText(latest);
    setConflict(undefined);
    setPreview(undefined);
    setShowDiff(false);
    setBusy(undefined);
    toast('Loaded the latest version from the cluster. Your edits are kept below the editor.', 'info');
    ed?.focus();
  };

  const reloadLatest = async () => {
    setBusy('reload');
    const before = p.yaml;
    try {
      await (p.reload ?? p.onApplied)();
    } catch (e) {
      setBusy(undefined);
      setError(toApiError(e));
      return;
    }
    // With a promise the new YAML has arrived (or was the same); otherwise the effect below adopts it when it comes.
    if (busy() === 'reload' && p.reload && p.yaml === before) adoptLatest(p.yaml);
  };

  const copy = (t: string, what: string) =>
    void navigator.clipboard?.writeText(t).then(
      () => {
        toast(`${what} copied`, 'ok');
        p.onCopy?.();
      },
      () => toast('Clipboard not available here: select the text and copy it', 'danger'),
    );

  // A new version from the server: shown as is when viewing; after "Reload latest", it replaces the edit.
  createEffect(
    on(
      () => p.yaml,
      (y) => {
        if (busy() === 'reload') adoptLatest(y);
        else if (!editing()) {
          setText(y);
          setBase(y);
          ed?.setText(y, { resetHistory: true });
        }
      },
      { defer: true },
    ),
  );

  // Leaving the page (browser tab, reload) with unsaved edits asks first.
  const beforeUnload = (e: BeforeUnloadEvent) => {
    if (!dirty()) return;
    e.preventDefault();
    e.returnValue = '';
  };
  onMount(() => {
    window.addEventListener('beforeunload', beforeUnload);
    if (draft !== undefined) focusLater(() => root.querySelector<HTMLElement>('[data-testid=yaml-restored]'));
  });
  onCleanup(() => {
    window.removeEventListener('beforeunload', beforeUnload);
    if (dirty()) drafts.set(key, text());
    else drafts.delete(key);
  });

  const onKey = (e: KeyboardEvent) => {
    if (!editing()) {
      // Read-only, Escape closes the editor's search panel first, and only then the drawer.
      if (e.key === 'Escape' && e.defaultPrevented) e.stopPropagation();
      return;
    }
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
      // The editor handles its own Ctrl-S (and marks the event handled); this covers focus on the buttons, the diff
      // or the problem list.
      const handled = e.defaultPrevented;
      e.preventDefault();
      if (!handled) void review();
    } else if (e.key === 'Escape' && (dirty() || e.defaultPrevented)) {
      // Escape belongs to the editor (search panel, lint tooltips, Esc-Tab to leave); it must not also close the
      // drawer around it, least of all with unsaved edits in it.
      e.stopPropagation();
    }
  };

  return (
    <div ref={root} class="kg-yaml" onKeyDown={onKey}>
      <div class="kg-toolbar">
        <Show
          when={editing()}
          fallback={
            <>
              <Show when={p.canEdit}>
                <span ref={(el) => (editBtn = el)} class="kg-yaml-editbtn">
                  <Button onClick={startEditing} testId="yaml-edit">
                    Edit
                  </Button>
                </span>
              </Show>
              <Button onClick={() => copy(p.yaml, 'YAML')}>Copy</Button>
            </>
          }
        >
          <Button
            variant="primary"
            onClick={() => void review()}
            disabled={!canReview()}
            testId="yaml-review"
            title={`Server dry run and diff (${mod})`}
          >
            {busy() === 'review' ? 'Reviewing…' : 'Review changes'}
          </Button>
          <Button
            variant="primary"
            onClick={() => void apply()}
            disabled={!canApply()}
            testId="yaml-apply"
            title="Write the reviewed change to the cluster"
          >
            {busy() === 'apply' ? 'Applying…' : 'Apply'}
          </Button>
          <Show when={showDiff()}>
            <Button
              onClick={() => {
                setShowDiff(false);
                ed?.focus();
              }}
              testId="yaml-back"
            >
              Back to editing
            </Button>
          </Show>
          <Button onClick={cancel} testId="yaml-cancel">
            Cancel
          </Button>
          <span class="kg-muted kg-yaml-status" id={`${uid}-status`} role="status" data-testid="yaml-status">
            {status()}
          </span>
        </Show>
      </div>

      <Show when={restored()}>
        <div class="kg-yaml-note" tabIndex={-1} data-testid="yaml-restored">
          <span>Your unsaved edits to this object were restored.</span>
          <Button
            onClick={() => {
              setRestored(false);
              stopEditing();
            }}
          >
            Discard them
          </Button>
        </div>
      </Show>

      <Show when={conflict()}>
        {(c) => (
          <div class="kg-yaml-alert" role="alert" data-testid="yaml-conflict">
            <strong>The object changed on the cluster since you opened it.</strong>
            <span>
              Someone else (or a controller) updated it, so applying your version would overwrite their change. Your
              edits are still in the editor: copy them if you need them, then reload the latest version and make your
              change again.
            </span>
            <span class="kg-muted">{c().message}</span>
            <div class="kg-toolbar">
              <span ref={(el) => (reloadBtn = el)}>
                <Button
                  variant="primary"
                  onClick={() => void reloadLatest()}
                  disabled={busy() === 'reload'}
                  testId="yaml-reload"
                >
                  {busy() === 'reload' ? 'Loading…' : 'Reload latest'}
                </Button>
              </span>
              <Button onClick={() => copy(ed?.text() ?? text(), 'Your YAML')} testId="yaml-copy-mine">
                Copy my YAML
              </Button>
            </div>
          </div>
        )}
      </Show>

      <Show when={error()}>
        {(e) => (
          <div class="kg-yaml-alert" role="alert" data-testid="yaml-error">
            <strong>{e().unreachable ? 'Cannot reach the cluster or server' : 'The server refused the change'}</strong>
            <span>{e().message}</span>
            <Show when={e().code && !e().unreachable}>
              <span class="kg-muted">code: {e().code}</span>
            </Show>
          </div>
        )}
      </Show>

      <Show when={showDiff() && reviewed()}>
        {(pv) => (
          <div class="kg-preview" data-testid="yaml-preview">
            <h3>Changes the server would make</h3>
            <DiffView diff={pv().result.preview.diff} testId="yaml-diff" />
          </div>
        )}
      </Show>

      <div class="kg-yaml-editor" classList={{ 'kg-hidden': showDiff() && !!reviewed() }}>
        <CodeEditor
          value={text()}
          readOnly={!editing()}
          label={`YAML of ${expected().kind ?? 'the object'} ${expected().name ?? ''}`.trim()}
          describedBy={`${uid}-status ${uid}-keys`}
          testId={editing() ? 'yaml-editor' : 'yaml-view'}
          lint={lint}
          onChange={(t) => {
            setText(t);
            setRestored(false);
            if (error()) setError(undefined);
          }}
          onSave={() => void review()}
          ref={(h) => (ed = h)}
        />
        <p class="kg-muted kg-small kg-yaml-keys" id={`${uid}-keys`}>
          <Show when={editing()} fallback={<>Read-only. Ctrl/⌘-F searches.</>}>
            {mod} reviews · Ctrl/⌘-F searches · Ctrl/⌘-Z undoes · Tab indents · Esc then Tab leaves the editor
          </Show>
        </p>
      </div>

      <Show when={editing() && problems().length}>
        <div class="kg-yaml-problems">
          <h3>Problems ({problems().length})</h3>
          <ul data-testid="yaml-problems">
            <For each={problems()}>
              {(i) => (
                <li
                  class={i.severity === 'error' ? 'kg-yaml-problem-error' : 'kg-yaml-problem-warning'}
                  data-testid="yaml-problem"
                >
                  <button class="kg-link" onClick={() => ed?.goTo(i.line, i.col)} data-testid="yaml-problem-line">
                    Line {i.line}, col {i.col}
                  </button>
                  <span class="kg-muted"> {i.severity}: </span>
                  <span>{i.message}</span>
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>

      <Show when={stash()}>
        {(s) => (
          <details class="kg-yaml-stash" open data-testid="yaml-stash-panel">
            <summary>Your edits from before the reload (not applied)</summary>
            <div class="kg-toolbar">
              <Button onClick={() => copy(s(), 'Your YAML')} testId="yaml-stash-copy">
                Copy
              </Button>
              <Button onClick={() => setStash(undefined)}>Dismiss</Button>
            </div>
            <pre class="kg-code" tabIndex={0} aria-label="Your edits from before the reload" data-testid="yaml-stash">
              {s()}
            </pre>
          </details>
        )}
      </Show>

      <Show when={confirmDiscard()}>
        <Confirm
          title="Discard your changes?"
          message={<p>Your edits to this YAML have not been applied. Discarding them cannot be undone.</p>}
          confirmLabel="Discard changes"
          danger
          onConfirm={() => {
            setConfirmDiscard(false);
            stopEditing();
          }}
          onCancel={() => {
            setConfirmDiscard(false);
            ed?.focus();
          }}
        />
      </Show>
    </div>
  );
}
