// Kind descriptors from the server (`GET /api/capabilities`): columns and capabilities per kind. Kinds are data:
// the row actions a table offers come from here, not from per-page code.
import { createResource, createRoot } from 'solid-js';
import type { Capability, KindDto } from '../../../src/shared/kube';
import { RESOURCE_KINDS, type ResourceEntry } from '../../../src/shared/routes/resources';
import { kindById, kindId } from '../../../src/shared/kinds';
import type { CapabilitiesResult } from '../../../src/shared/routes/cluster';
import { api } from './app';

type Tools = CapabilitiesResult['tools'];

// Created on first use: module imports run before main.tsx has picked the transport.
let created: ReturnType<typeof make> | undefined;
const make = () =>
  createRoot(() => {
    const [caps, { refetch }] = createResource(async () => {
      try {
        const r = await api().call('capabilities', {});
        return { kinds: r.kinds, features: r.features, tools: r.tools as Tools | undefined };
      } catch {
        // Without descriptors the tables still work; actions fall back to what the route table offers.
        return {
          kinds: [] as KindDto[],
          features: {} as Record<string, boolean>,
          tools: undefined as Tools | undefined,
        };
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
/** The tools found on the machine running KubeGraf (the helm binary); undefined until known. */
export const tools = (): Tools | undefined => store.caps()?.tools;
export const allKinds = (): KindDto[] => store.caps()?.kinds ?? [];

export const entryByMany = (many: string): ResourceEntry | undefined => RESOURCE_KINDS.find((e) => e.many === many);

export function kindDto(entry: ResourceEntry): KindDto | undefined {
  return store.caps()?.kinds.find((k) => kindId(k) === entry.kind);
}

/**
 * What a row of this kind can do: the shared table's capabilities (each has its route, see src/shared/kinds.ts); a
 * kind outside the table (a CRD's instances) has the server descriptor's, limited to what has a route here.
 */
export function capabilitiesOf(entry: ResourceEntry): Set<Capability> {
  const def = kindById(entry.kind);
  if (def) return new Set(def.capabilities);
  const routeCaps = entry.caps as readonly string[];
  const base: Capability[] = kindDto(entry)?.capabilities ?? ['edit', 'delete'];
  return new Set(base.filter((c) => (c !== 'scale' && c !== 'restart' && c !== 'rollback') || routeCaps.includes(c)));
}
