// The runbooks KubeGraf shows with each incident, one per incident type: find one, read its steps and commands, and
// make it yours (a user edit replaces the shipped text everywhere the runbook shows, and can be reset to it).
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { Runbook } from '../../../src/shared/incidents';
import { api, route, navigate, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { toApiError } from '../host/apiError';
import { Badge, Button } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { typeLabel } from '../model/insightFormat';
import '../styles/insightsPages.css';

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function KnowledgeBank(): JSX.Element {
  const data = createLoader(() => api().call('incidents.runbooks', {}));
  const [q, setQ] = createSignal('');
  const [which, setWhich] = createSignal<'all' | 'edited' | 'shipped'>('all');
  const [selected, setSelected] = createSignal<string | undefined>(route().params.type || undefined);
  const [editing, setEditing] = createSignal(false);
  const list = createMemo(() => {
    const t = q().trim().toLowerCase();
    return (data.value()?.runbooks ?? [])
      .filter((r) => which() === 'all' || (which() === 'edited') === r.edited)
      .filter(
        (r) =>
          !t ||
          `${r.type} ${typeLabel(r.type)} ${r.title} ${r.summary} ${r.steps.join(' ')} ${r.commands.join(' ')}`
            .toLowerCase()
            .includes(t),
      )
      .sort((a, b) => a.title.localeCompare(b.title));
  });
  const current = () => {
    const all = data.value()?.runbooks ?? [];
    return all.find((r) => r.type === selected()) ?? list()[0];
  };
  const replace = (r: Runbook) => {
    const v = data.value();
    if (v) data.set({ ...v, runbooks: v.runbooks.map((x) => (x.type === r.type ? r : x)) });
  };
  const edited = () => (data.value()?.runbooks ?? []).filter((r) => r.edited).length;
  return (
    <div class="kg-page" data-testid="page-knowledge-bank">
      <div class="kg-page-head">
        <h1>Knowledge Bank</h1>
        <Show when={data.value()}>
          {(v) => (
            <span class="kg-muted">
              {v().runbooks.length} runbooks, one per incident type · {edited()} edited by you
            </span>
          )}
        </Show>
      </div>
      <Show
        when={!data.error() || data.value()}
        fallback={<ErrorState error={data.error()} retry={data.reload} what="the runbooks" />}
      >
        <Show when={data.value()} fallback={<Loading label="Reading the runbooks…" />}>
          <div class="kg-kb">
            <aside class="kg-kb-list" aria-label="Runbooks">
              <input
                class="kg-input"
                type="search"
                placeholder="Search runbooks…"
                aria-label="Search runbooks"
                value={q()}
                onInput={(e) => setQ(e.currentTarget.value)}
                data-testid="kb-search"
              />
              <div class="kg-chips" role="group" aria-label="Which runbooks">
                <For
                  each={
                    [
                      ['all', 'All'],
                      ['edited', 'Edited'],
                      ['shipped', 'Shipped'],
                    ] as const
                  }
                >
                  {([v, l]) => (
                    <button
                      class="kg-chip kg-chip-btn"
                      aria-pressed={which() === v}
                      onClick={() => setWhich(v)}
                      data-testid={`kb-filter-${v}`}
                    >
                      {l}
                    </button>
                  )}
                </For>
              </div>
              <Show when={list().length} fallback={<p class="kg-muted">No runbook matches.</p>}>
                <ul class="kg-kb-items">
                  <For each={list()}>
                    {(r) => (
                      <li>
                        <button
                          class="kg-kb-item"
                          aria-current={current()?.type === r.type}
                          onClick={() => {
                            setSelected(r.type);
                            setEditing(false);
                          }}
                          data-testid="kb-item"
                          data-type={r.type}
                        >
                          <span class="kg-kb-title">{r.title}</span>
                          <span class="kg-muted">
                            {[typeLabel(r.type) === r.title ? '' : typeLabel(r.type), r.edited ? 'edited' : 'shipped']
                              .filter(Boolean)
                              .join(' · ')}
                          </span>
                        </button>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </aside>
            <Show when={current()} fallback={<Empty title="No runbooks" />} keyed>
              {(r) => (
                <Show when={editing()} fallback={<Reader r={r} onEdit={() => setEditing(true)} onSaved={replace} />}>
                  <Editor
                    r={r}
                    onCancel={() => setEditing(false)}
                    onSaved={(n) => {
                      replace(n);
                      setEditing(false);
                    }}
                  />
                </Show>
              )}
            </Show>
          </div>
        </Show>
      </Show>
    </div>
  );
}

function Reader(p: { r: Runbook; onEdit: () => void; onSaved: (r: Runbook) => void }): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  const reset = async () => {
    setBusy(true);
    try {
      p.onSaved(await api().call('incidents.runbooks.edit', { type: p.r.type, reset: true }));
      toast(`“${typeLabel(p.r.type)}” is back to the shipped runbook`, 'ok');
    } catch (e) {
      toast(`Cannot reset the runbook: ${toApiError(e).message}`, 'danger');
    } finally {
      setBusy(false);
    }
  };
  const copy = (c: string) =>
    void navigator.clipboard?.writeText(c).then(
      () => toast('Command copied', 'ok'),
      () => toast('The clipboard is not available here', 'danger'),
    );
  return (
    <article class="kg-kb-reader" data-testid="kb-reader" aria-label={p.r.title}>
      <header class="kg-kb-head">
        <div>
          <div class="kg-muted">Incident type: {typeLabel(p.r.type)}</div>
          <h2 data-testid="kb-title">{p.r.title}</h2>
          <div>
            <Show
              when={p.r.edited}
              fallback={
                <Badge tone="muted" testId="kb-origin">
                  Shipped with KubeGraf
                </Badge>
              }
            >
              <Badge tone="info" testId="kb-origin">
                Edited by you
              </Badge>{' '}
              <span class="kg-muted">
                <When at={p.r.updatedAt} />
              </span>
            </Show>
          </div>
        </div>
        <div class="kg-actions">
          <Button requires="incidents.runbooks.edit" onClick={p.onEdit} testId="kb-edit">
            Edit
          </Button>
          <Show when={p.r.edited}>
            <Button requires="incidents.runbooks.edit" onClick={() => void reset()} disabled={busy()} testId="kb-reset">
              Reset to shipped
            </Button>
          </Show>
          <Button onClick={() => navigate('incidents')} title="The incidents this runbook is shown with">
            Open incidents
          </Button>
        </div>
      </header>
      <p data-testid="kb-summary">{p.r.summary}</p>
      <h3>Steps</h3>
      <ol class="kg-kb-steps" data-testid="kb-steps">
        <For each={p.r.steps}>{(s) => <li>{s}</li>}</For>
      </ol>
      <Show when={p.r.commands.length}>
        <h3>Commands</h3>
        <ul class="kg-kb-commands">
          <For each={p.r.commands}>
            {(c) => (
              <li>
                <pre class="kg-code">{c}</pre>
                <button class="kg-icon-btn" aria-label={`Copy ${c}`} onClick={() => copy(c)}>
                  Copy
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </article>
  );
}

function Editor(p: { r: Runbook; onCancel: () => void; onSaved: (r: Runbook) => void }): JSX.Element {
  const [title, setTitle] = createSignal(p.r.title);
  const [summary, setSummary] = createSignal(p.r.summary);
  const [steps, setSteps] = createSignal(p.r.steps.join('\n'));
  const [commands, setCommands] = createSignal(p.r.commands.join('\n'));
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const save = async () => {
    if (!title().trim()) return setError('A runbook needs a title.');
    if (!lines(steps()).length) return setError('A runbook needs at least one step.');
    setBusy(true);
    setError('');
    try {
      const r = await api().call('incidents.runbooks.edit', {
        type: p.r.type,
        title: title().trim(),
        summary: summary().trim(),
        steps: lines(steps()),
        commands: lines(commands()),
      });
      toast('Runbook saved', 'ok');
      p.onSaved(r);
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="kg-kb-reader kg-form"
      data-testid="kb-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div class="kg-muted">Editing the runbook for {typeLabel(p.r.type)}</div>
      <label>
        Title
        <input
          class="kg-input"
          value={title()}
          onInput={(e) => setTitle(e.currentTarget.value)}
          data-testid="kb-edit-title"
        />
      </label>
      <label>
        Summary
        <textarea class="kg-input" rows="3" value={summary()} onInput={(e) => setSummary(e.currentTarget.value)} />
      </label>
      <label>
        Steps, one per line
        <textarea
          class="kg-input"
          rows="8"
          value={steps()}
          onInput={(e) => setSteps(e.currentTarget.value)}
          data-testid="kb-edit-steps"
        />
      </label>
      <label>
        Commands, one per line
        <textarea
          class="kg-input kg-code"
          rows="4"
          value={commands()}
          onInput={(e) => setCommands(e.currentTarget.value)}
        />
      </label>
      <Show when={error()}>
        <p class="kg-error-text" role="alert" data-testid="kb-edit-error">
          {error()}
        </p>
      </Show>
      <div class="kg-actions">
        <Button variant="primary" onClick={() => void save()} disabled={busy()} testId="kb-save">
          Save
        </Button>
        <Button onClick={p.onCancel} testId="kb-cancel">
          Cancel
        </Button>
      </div>
    </form>
  );
}
