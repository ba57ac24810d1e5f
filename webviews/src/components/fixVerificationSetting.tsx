// Settings → Verified fixes: how long a fixed incident must stay clear before KubeGraf records the fix as resolved.
import { createEffect, createSignal, Show, type JSX } from 'solid-js';
import { api, toast } from '../stores/app';
import { toApiError } from '../host/apiError';
import { mayCall, whyNot } from '../stores/permissions';

const MIN = 5;
const MAX = 86_400;
export const DEFAULT_FIX_VERIFICATION_SECONDS = 300;

/** What is wrong with the typed value, in words; undefined when it is a whole number of seconds in range. */
export function windowProblem(text: string): string | undefined {
  const t = text.trim();
  if (!t) return 'Enter a number of seconds.';
  if (!/^\d+$/.test(t)) return 'Use a whole number of seconds, such as 300.';
  const n = Number(t);
  if (n < MIN) return `At least ${MIN} seconds.`;
  if (n > MAX) return `At most ${MAX} seconds (one day).`;
  return undefined;
}

export function FixVerificationSetting(p: { seconds?: number; onSaved: (seconds: number) => void }): JSX.Element {
  const [text, setText] = createSignal(String(p.seconds ?? DEFAULT_FIX_VERIFICATION_SECONDS));
  createEffect(() => setText(String(p.seconds ?? DEFAULT_FIX_VERIFICATION_SECONDS)));
  const problem = () => windowProblem(text());
  const save = async () => {
    if (problem()) return;
    try {
      const s = await api().call('settings.save', { fixVerificationSeconds: Number(text().trim()) });
      p.onSaved(Number(s.fixVerificationSeconds ?? text()));
      toast('Verification window saved', 'ok');
    } catch (e) {
      toast(`Could not save the verification window: ${toApiError(e).message}`, 'danger');
    }
  };
  return (
    <form
      class="kg-form"
      data-testid="fix-verification-setting"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p class="kg-muted">
        After a fix is applied, KubeGraf watches its target. The fix counts as resolved once the problem has cleared and
        stayed clear this long; if it comes back, the incident says the fix did not help.
      </p>
      <label>
        Verification window (seconds)
        <input
          class="kg-input"
          inputMode="numeric"
          value={text()}
          aria-invalid={!!problem()}
          aria-describedby="fix-window-problem"
          onInput={(e) => setText(e.currentTarget.value)}
          data-testid="fix-verification-seconds"
        />
      </label>
      <Show when={problem()}>
        {(m) => (
          <span id="fix-window-problem" class="kg-error-text" role="alert">
            {m()}
          </span>
        )}
      </Show>
      <div>
        <button
          class="kg-plain-btn kg-primary"
          type="submit"
          disabled={!!problem() || !mayCall('settings.save')}
          title={mayCall('settings.save') ? undefined : whyNot()}
        >
          Save window
        </button>
      </div>
    </form>
  );
}
