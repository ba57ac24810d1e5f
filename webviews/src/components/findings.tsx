// A page's findings: severity chips with counts, a text filter, the findings grouped by family (most severe first),
// each object a link to its details drawer and each fixable finding a Fix… through the shared preview and apply.
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import { FINDING_SEVERITIES, type Finding, type FindingSeverity } from '../../../src/shared/insights';
import { Empty } from '../ui/states';
import { FINDING_TONE, FindingRows, objectLabel, SEVERITY_RANK } from './findingRows';
import { ObjectDrawer, type ObjectTarget } from './objectDrawer';

export { FindingRows, SeverityBadge, FindingFixDialog, FINDING_TONE, SEVERITY_RANK } from './findingRows';

export function FindingList(p: {
  findings: Finding[];
  /** Called after a fix was applied (reload the page's data). */
  onChanged?: () => void;
  /** Group by family (default) or show one list. */
  grouped?: boolean;
  /** What the empty state says when nothing is found at all. */
  emptyTitle?: string;
  extra?: (f: Finding) => JSX.Element;
}): JSX.Element {
  const [sev, setSev] = createSignal<FindingSeverity[]>([]);
  const [q, setQ] = createSignal('');
  const [open, setOpen] = createSignal<ObjectTarget | undefined>();
  const counts = createMemo(() => {
    const c = Object.fromEntries(FINDING_SEVERITIES.map((s) => [s, 0])) as Record<FindingSeverity, number>;
    for (const f of p.findings) c[f.severity]++;
    return c;
  });
  const shown = createMemo(() => {
    const words = q().toLowerCase().split(/\s+/).filter(Boolean);
    return p.findings
      .filter((f) => !sev().length || sev().includes(f.severity))
      .filter((f) => {
        if (!words.length) return true;
        const text = `${f.title} ${f.family} ${f.check} ${objectLabel(f.target)} ${f.container ?? ''}`.toLowerCase();
        return words.every((w) => text.includes(w));
      })
      .sort(
        (a, b) =>
          SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
          objectLabel(a.target).localeCompare(objectLabel(b.target)),
      );
  });
  const groups = createMemo(() => {
    if (p.grouped === false) return [{ family: '', findings: shown() }];
    const by = new Map<string, Finding[]>();
    for (const f of shown()) by.set(f.family, [...(by.get(f.family) ?? []), f]);
    return [...by.entries()]
      .map(([family, findings]) => ({ family, findings }))
      .sort(
        (a, b) =>
          SEVERITY_RANK[a.findings[0].severity] - SEVERITY_RANK[b.findings[0].severity] ||
          b.findings.length - a.findings.length,
      );
  });
  const toggle = (s: FindingSeverity) => setSev((x) => (x.includes(s) ? x.filter((y) => y !== s) : [...x, s]));
  return (
    <div class="kg-finding-list" data-testid="finding-list">
      <div class="kg-toolbar">
        <span class="kg-chips" role="group" aria-label="Filter by severity">
          <For each={FINDING_SEVERITIES.filter((s) => s !== 'info' || counts().info)}>
            {(s) => (
              <button
                class="kg-chip kg-chip-btn"
                aria-pressed={sev().includes(s)}
                onClick={() => toggle(s)}
                data-testid={`finding-sev-${s}`}
              >
                <span class={`kg-dot kg-tone-${FINDING_TONE[s]}`} /> {s}{' '}
                <span class="kg-muted" data-testid={`finding-sev-${s}-count`}>
                  {counts()[s]}
                </span>
              </button>
            )}
          </For>
        </span>
        <input
          class="kg-input kg-grow"
          type="search"
          placeholder="Filter findings by check, object or container"
          aria-label="Filter findings"
          value={q()}
          onInput={(e) => setQ(e.currentTarget.value)}
          data-testid="finding-filter"
        />
      </div>
      <Show
        when={shown().length}
        fallback={
          <Empty
            title={p.findings.length ? 'No finding matches the filter' : (p.emptyTitle ?? 'Nothing to report')}
            hint={p.findings.length ? 'Clear the severity chips or the text filter.' : undefined}
          />
        }
      >
        <For each={groups()}>
          {(g) => (
            <section class="kg-section" data-testid="finding-group" data-family={g.family}>
              <Show when={g.family}>
                <h3 class="kg-finding-family">
                  {g.family} <span class="kg-muted">{g.findings.length}</span>
                </h3>
              </Show>
              <FindingRows findings={g.findings} onOpen={setOpen} onChanged={p.onChanged} extra={p.extra} />
            </section>
          )}
        </For>
      </Show>
      <Show when={open()} keyed>
        {(t) => <ObjectDrawer target={t} onClose={() => setOpen(undefined)} />}
      </Show>
    </div>
  );
}
