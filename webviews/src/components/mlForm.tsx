// Pieces the Machine Learning pages share: a labelled select and a namespace picker laid out like TextField, a live
// duration, a reload that follows live changes of some kinds in the chosen namespaces, and the error banner of a form.
import { createEffect, createUniqueId, For, onCleanup, Show, type JSX } from 'solid-js';
import { ageSince } from '../../../src/shared/age';
import { api } from '../stores/app';
import { now } from '../stores/clock';
import { createLoader } from '../stores/loader';
import { subscribeKind } from '../stores/live';
import { oneNamespace } from '../stores/scope';
import '../styles/forms.css';

export function SelectField(p: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: Array<{ value: string; label: string }>;
  hint?: JSX.Element;
  error?: string;
  testId?: string;
}): JSX.Element {
  const id = createUniqueId();
  return (
    <div class="kg-field-row">
      <label for={id}>{p.label}</label>
      <select
        id={id}
        class="kg-input"
        value={p.value}
        aria-describedby={`${id}-msg`}
        aria-invalid={p.error ? 'true' : 'false'}
        onChange={(e) => p.onChange(e.currentTarget.value)}
        data-testid={p.testId}
      >
        <For each={p.options}>
          {(o) => (
            <option value={o.value} selected={o.value === p.value}>
              {o.label}
            </option>
          )}
        </For>
      </select>
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

/** The cluster's namespaces as a select; starts on the one chosen in the header, else `fallback`. */
export function NamespaceField(p: { value: string; onChange: (v: string) => void; testId?: string }): JSX.Element {
  const list = createLoader(async () => (await api().call('namespaces.list', {})).items.map((i) => i.name).sort());
  return (
    <SelectField
      label="Namespace"
      value={p.value}
      onChange={p.onChange}
      options={(list.value() ?? [p.value]).map((n) => ({ value: n, label: n }))}
      error={list.error() ? `Cannot list namespaces: ${list.error()!.message}` : undefined}
      testId={p.testId}
    />
  );
}

/** The namespace a new object goes to: the one chosen in the header, else `fallback`. */
export const defaultNamespace = (fallback = 'default'): string => oneNamespace() || fallback;

/** How long something ran: from start to end, or until now while it runs (follows the shared clock). */
export function Duration(p: { start?: string; end?: string; testId?: string }): JSX.Element {
  const text = () => (p.start ? ageSince(p.start, p.end ? Date.parse(p.end) : now()) : '—');
  return (
    <span data-testid={p.testId} title={p.end ? 'Ran for' : 'Running for'}>
      {text()}
    </span>
  );
}

/**
 * Calls `reload` (debounced) whenever objects of these kinds change in the chosen namespaces: the live subscriptions
 * every table uses, so pages never poll. Kinds the cluster does not serve just never fire.
 */
export function followKinds(kinds: () => string[], reload: () => void, ms = 300): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bump = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, ms);
  };
  let subs: Array<() => void> = [];
  createEffect(() => {
    const ns = oneNamespace() || undefined;
    for (const u of subs) u();
    subs = kinds().map((k) => subscribeKind(k, ns, (m) => m.type !== 'error' && bump()));
  });
  onCleanup(() => {
    clearTimeout(timer);
    for (const u of subs) u();
  });
}

/** A form's failure that belongs to no one field (the server refused it), said above the buttons. */
export function FormError(p: { message?: string; testId?: string }): JSX.Element {
  return (
    <Show when={p.message}>
      <div class="kg-banner kg-tone-danger" role="alert" data-testid={p.testId}>
        {p.message}
      </div>
    </Show>
  );
}
