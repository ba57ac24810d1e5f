// Discovery documents: aggregated (apidiscovery.k8s.io v2/v2beta1) and legacy (APIVersions, APIGroupList, APIResourceList).
import type { ResourceType, TypeRegistry } from './kinds';

const VERSION_RANK = (v: string) => {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return 0;
  const stability = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
  return stability * 1e6 + Number(m[1]) * 1e3 + Number(m[3] ?? 0);
};
export const sortVersions = (vs: string[]) => [...vs].sort((a, b) => VERSION_RANK(b) - VERSION_RANK(a));

/** Groups in the order a real server lists them: core first, then by name. */
function groups(reg: TypeRegistry): Array<{ group: string; versions: string[] }> {
  return reg
    .groupVersions()
    .map((g) => ({ group: g.group, versions: sortVersions(g.versions) }))
    .sort((a, b) => (a.group === '' ? -1 : b.group === '' ? 1 : a.group.localeCompare(b.group)));
}

const served = (reg: TypeRegistry, group: string, version: string) =>
  reg
    .all()
    .filter((t) => t.group === group && t.version === version)
    .sort((a, b) => a.resource.localeCompare(b.resource));

export function aggregatedDiscovery(reg: TypeRegistry, core: boolean, apiVersion: 'v2' | 'v2beta1'): object {
  const items = groups(reg)
    .filter((g) => (core ? g.group === '' : g.group !== ''))
    .map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((version) => ({
        version,
        resources: served(reg, g.group, version).map((t) => ({
          resource: t.resource,
          responseKind: { group: t.group, version: t.version, kind: t.kind },
          scope: t.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: t.singular,
          verbs: t.verbs,
          ...(t.shortNames ? { shortNames: t.shortNames } : {}),
          ...(t.categories ? { categories: t.categories } : {}),
          ...(t.subresources?.length
            ? {
                subresources: t.subresources.map((s) => ({
                  subresource: s.name,
                  responseKind: { group: s.group ?? t.group, version: s.version ?? t.version, kind: s.kind },
                  verbs: s.verbs,
                })),
              }
            : {}),
        })),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${apiVersion}`, metadata: {}, items };
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(g: { group: string; versions: string[] }) {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v }));
  return { name: g.group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(reg: TypeRegistry): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups(reg)
      .filter((g) => g.group !== '')
      .map(apiGroup),
  };
}

export function apiGroupDoc(reg: TypeRegistry, group: string): object | undefined {
  const g = groups(reg).find((x) => x.group === group);
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) };
}

export function apiResourceList(reg: TypeRegistry, group: string, version: string): object | undefined {
  const types = served(reg, group, version);
  if (!types.length) return undefined;
  const resources: object[] = [];
  for (const t of types) {
    resources.push(resourceEntry(t));
    for (const s of t.subresources ?? []) {
      resources.push({
        name: `${t.resource}/${s.name}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(s.group !== undefined ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

function resourceEntry(t: ResourceType): object {
  return {
    name: t.resource,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: t.verbs,
    ...(t.shortNames ? { shortNames: t.shortNames } : {}),
    ...(t.categories ? { categories: t.categories } : {}),
  };
}
