// A labelled form field whose problem is said next to it (not in a toast): aria-invalid plus a message the input is
// described by, announced as it changes.
import { createUniqueId, Show, type JSX } from 'solid-js';
import '../styles/forms.css';

export interface TextFieldProps {
  label: string;
  value: string;
  onInput: (text: string) => void;
  /** What is wrong with the value, if anything. */
  error?: string;
  /** Shown under the field while it is valid. */
  hint?: JSX.Element;
  numeric?: boolean;
  placeholder?: string;
  autofocus?: boolean;
  testId?: string;
}

export function TextField(p: TextFieldProps): JSX.Element {
  const id = createUniqueId();
  return (
    <div class="kg-field-row">
      <label for={id}>{p.label}</label>
      <input
        id={id}
        class="kg-input"
        classList={{ 'kg-invalid': !!p.error }}
        type="text"
        inputMode={p.numeric ? 'numeric' : undefined}
        autocomplete="off"
        spellcheck={false}
        value={p.value}
        placeholder={p.placeholder}
        aria-invalid={p.error ? 'true' : 'false'}
        aria-describedby={`${id}-msg`}
        onInput={(e) => p.onInput(e.currentTarget.value)}
        autofocus={p.autofocus}
        data-testid={p.testId}
      />
      <div
        id={`${id}-msg`}
        class="kg-field-msg"
        aria-live="polite"
        data-testid={p.testId ? `${p.testId}-msg` : undefined}
      >
        <Show when={p.error} fallback={p.hint}>
          <span class="kg-field-error">{p.error}</span>
        </Show>
      </div>
    </div>
  );
}
