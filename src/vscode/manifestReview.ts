// How a manifest apply reads in VS Code: the combined review diff, the confirm text and the summary. Pure (no `vscode`
// import) so the unit suite checks the wording a user sees without a workbench.
import type { ManifestObjectResult } from '../shared/routes/resources';

export const objectLabel = (r: Pick<ManifestObjectResult, 'kind' | 'namespace' | 'name'>): string =>
  `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/** One document for the review editor: a header per object (action, or why it fails), then its diff. */
export function combinedDiff(context: string, results: ManifestObjectResult[]): string {
  const out = [
    `# kubectl apply --server-side (field manager kubegraf) review for context ${context}`,
    `# ${countsText(results)}`,
    '',
  ];
  for (const r of results) {
    out.push(
      `# ${objectLabel(r)} (document ${r.doc}, line ${r.line}): ${r.action}${r.error ? ` — ${r.error.message.split('\n')[0]}` : ''}`,
    );
    for (const c of r.error?.conflicts ?? []) out.push(`#   conflict: ${c.field} is owned by ${c.manager}`);
    if (r.note) out.push(`#   note: ${r.note}`);
    if (r.diff) out.push(r.diff.trimEnd());
    out.push('');
  }
  return out.join('\n');
}

export function countsText(results: ManifestObjectResult[]): string {
  const n = (a: ManifestObjectResult['action']) => results.filter((r) => r.action === a).length;
  return `${n('created')} created, ${n('configured')} configured, ${n('unchanged')} unchanged, ${n('failed')} failed`;
}

/** The modal confirm: names the context and the number of objects that will change. */
export function confirmText(
  context: string,
  results: ManifestObjectResult[],
  force: boolean,
): { message: string; detail: string } {
  const changing = results.filter((r) => r.action === 'created' || r.action === 'configured');
  const lines = changing.slice(0, 15).map((r) => `${r.action === 'created' ? '+' : '~'} ${objectLabel(r)}`);
  if (changing.length > 15) lines.push(`… ${changing.length - 15} more`);
  const failing = results.filter((r) => r.action === 'failed');
  if (failing.length)
    lines.push(
      '',
      `${failing.length} object${failing.length === 1 ? '' : 's'} cannot be applied (see the review): ${failing.slice(0, 5).map(objectLabel).join(', ')}${failing.length > 5 ? ', …' : ''}`,
    );
  const what = `${changing.length} object${changing.length === 1 ? '' : 's'}`;
  return {
    message: `Apply ${what} to context "${context}"${force ? ' (taking over conflicting fields)' : ''}?`,
    detail: `${countsText(results)}.\n\n${lines.join('\n')}`,
  };
}

/** The output-channel lines for objects that failed. */
export function failureLines(results: ManifestObjectResult[]): string[] {
  return results
    .filter((r) => r.action === 'failed')
    .flatMap((r) => [
      `  ${objectLabel(r)} (document ${r.doc}, line ${r.line}): ${r.error?.message ?? 'failed'}${r.error?.status ? ` [HTTP ${r.error.status}]` : ''}`,
      ...(r.error?.conflicts ?? []).map((c) => `    ${c.field} is owned by ${c.manager}`),
    ]);
}
