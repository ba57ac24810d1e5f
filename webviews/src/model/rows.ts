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
