// Kind descriptors from the server (`GET /api/capabilities`): columns and capabilities per kind. Kinds are data:
// the row actions a table offers come from here, not from per-page code.
import { createResource, createRoot } from 'solid-js';
import type { Capability, KindDto } from '../../../src/shared/kube';
import { RESOURCE_KINDS, type ResourceEntry } from '../../../src/shared/routes/resources';
import { api } from './app';

const kindIdOf = (k: { group: string; plural: string }): string => (k.group ? `${k.plural}.${k.group}` : k.plural);

// Created on first use: module imports run before main.tsx has picked the transport.
let created: ReturnType<typeof make> | undefined;
const make = () =>
  createRoot(() => {
    const [caps, { refetch }] = createResource(async () => {
      try {
        const r = await api().call('capabilities', {});
        return { kinds: r.kinds, features: r.features };
      } catch {
        // Without descriptors the tables still work; actions fall back to what the route table offers.
        return { kinds: [] as KindDto[], features: {} as Record<string, boolean> };
      }
    });
    return { caps, refetch };
  });
const store = {
  get caps() {
    created ??= make();
    return created.caps;
  },
  refetch: () => {
    created ??= make();
    return created.refetch();
  },
};

export const refetchKinds = (): void => void store.refetch();
export const features = (): Record<string, boolean> => store.caps()?.features ?? {};
export const allKinds = (): KindDto[] => store.caps()?.kinds ?? [];

export const entryByMany = (many: string): ResourceEntry | undefined => RESOURCE_KINDS.find((e) => e.many === many);

export function kindDto(entry: ResourceEntry): KindDto | undefined {
  return store.caps()?.kinds.find((k) => kindIdOf(k) === entry.kind);
}

/** What a row of this kind can do: the descriptor's capabilities, limited to what has a route here. */
export function capabilitiesOf(entry: ResourceEntry): Set<Capability> {
  const dto = kindDto(entry);
  const routeCaps = entry.caps as readonly string[];
  const base: Capability[] = dto?.capabilities ?? [
    'edit',
    'delete',
    ...(entry.one === 'pod' ? (['logs', 'exec', 'portForward'] as Capability[]) : []),
    ...(entry.one === 'node' ? (['cordon', 'drain'] as Capability[]) : []),
  ];
  const out = new Set<Capability>();
  for (const c of base) {
    if ((c === 'scale' || c === 'restart' || c === 'rollback') && !routeCaps.includes(c)) continue;
    out.add(c);
  }
  // Pods restart through their own route (delete so the controller recreates them).
  if (routeCaps.includes('restart')) out.add('restart');
  return out;
}
