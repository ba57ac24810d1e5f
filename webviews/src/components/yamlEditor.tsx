// YAML view and edit. Editing never applies directly: "Review changes" runs a server-side dry run and shows the
// diff, and only then can the change be applied.
import { createSignal, Show, type JSX } from 'solid-js';
import type { UpdateResult } from '../../../src/shared/routes/resources';
import { toApiError, type ApiError } from '../host/apiError';
import { Button } from '../ui/button';
import { ErrorState } from '../ui/states';
import { DiffView } from './diffView';
import { toast } from '../stores/app';

export function YamlEditor(p: { yaml: string; canEdit: boolean; update: (yaml: string, dryRun: boolean) => Promise<UpdateResult>; onApplied: () => void; onCopy?: () => void }): JSX.Element {
  const [editing, setEditing] = createSignal(false);
  const [text, setText] = createSignal(p.yaml);
  const [preview, setPreview] = createSignal<UpdateResult | undefined>();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<ApiError | undefined>();
  const review = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setPreview(await p.update(text(), true));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await p.update(text(), false);
      toast(r.applied ? 'Applied' : 'Nothing changed', 'ok');
      setEditing(false);
      setPreview(undefined);
      p.onApplied();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const onKey = (e: KeyboardEvent) => {
    // Tab indents inside the editor; Escape leaves it so keyboard users are never trapped.
    const ta = e.currentTarget as HTMLTextAreaElement;
    if (e.key === 'Tab' && !e.shiftKey) {
      e.preventDefault();
      const s = ta.selectionStart;
      ta.setRangeText('  ', s, ta.selectionEnd, 'end');
      setText(ta.value);
    } else if (e.key === 'Escape') {
      ta.blur();
    }
  };
  return (
    <div class="kg-yaml">
      <div class="kg-toolbar">
        <Show when={!editing()} fallback={
          <>
            <Button variant="primary" onClick={review} disabled={busy()} testId="yaml-review">Review changes</Button>
            <Button onClick={() => { setEditing(false); setText(p.yaml); setPreview(undefined); setError(undefined); }}>Cancel</Button>
          </>
        }>
          <Show when={p.canEdit}>
            <Button onClick={() => { setText(p.yaml); setEditing(true); }} testId="yaml-edit">Edit</Button>
          </Show>
          <Button onClick={() => void navigator.clipboard?.writeText(p.yaml).then(() => toast('YAML copied', 'ok'), () => toast('Clipboard not available here', 'danger'))}>Copy</Button>
        </Show>
      </div>
      <Show when={error()}>{(e) => <ErrorState error={e()} what="the change" />}</Show>
      <Show when={preview()}>
        {(pv) => (
          <div class="kg-preview" data-testid="yaml-preview">
            <h3>Changes the server would make</h3>
            <DiffView diff={pv().preview.diff} testId="yaml-diff" />
            <div class="kg-toolbar">
              <Button variant="primary" onClick={apply} disabled={busy() || !pv().preview.changed} testId="yaml-apply">Apply</Button>
              <Button onClick={() => setPreview(undefined)}>Back to editing</Button>
            </div>
          </div>
        )}
      </Show>
      <Show when={editing()} fallback={<pre class="kg-code" tabIndex={0} data-testid="yaml-view">{p.yaml}</pre>}>
        <textarea class="kg-code kg-editor" aria-label="YAML" spellcheck={false} value={text()} onInput={(e) => { setText(e.currentTarget.value); setPreview(undefined); }} onKeyDown={onKey} data-testid="yaml-textarea" />
      </Show>
    </div>
  );
}
