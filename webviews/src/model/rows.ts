// Server rows (`ResourceRow`: identity plus one value per descriptor column) to table rows. Pure.
import type { ResourceRow } from '../../../src/shared/routes/resources';
import { rowKey, searchText, type Cell, type Row } from './tableModel';

const IDENTITY = new Set(['name', 'namespace', 'uid', 'createdAt', 'labels']);

export function toRow(r: ResourceRow): Row {
  const cells: Record<string, Cell> = {};
  for (const [k, v] of Object.entries(r)) {
    if (IDENTITY.has(k)) continue;
    if (typeof v === 'string' || typeof v === 'number') cells[k] = v;
    else if (typeof v === 'boolean') cells[k] = v ? 'True' : 'False';
  }
  cells.name = r.name;
  if (r.namespace) cells.namespace = r.namespace;
  const labels = r.labels ?? {};
  const created = r.createdAt ? Date.parse(r.createdAt) : NaN;
  const status = typeof cells.status === 'string' ? cells.status : undefined;
  return {
    key: rowKey(r.namespace, r.name),
    name: r.name,
    namespace: r.namespace,
    labels,
    status,
    cells,
    createdAt: Number.isFinite(created) ? created : undefined,
    search: searchText(r.name, r.namespace, cells, labels),
    raw: r,
  };
}

/** kubectl-style age from a creation time, for rows whose server text went stale while the page stayed open. */
export function ageOf(createdAt: number | undefined, now: number): string {
  if (createdAt === undefined) return '';
  const s = Math.max(0, Math.floor((now - createdAt) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  return d < 730 ? `${d}d` : `${Math.floor(d / 365)}y`;
}
