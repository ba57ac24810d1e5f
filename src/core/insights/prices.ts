// Prices for cost allocation: OpenCost's on-prem defaults, an offline snapshot of on-demand list prices of common
// cloud instance types (keyed by `node.kubernetes.io/instance-type`), and the user's own prices per node type, which
// win over both. A node's price is split over its CPU, memory and GPUs in the default prices' proportions, as OpenCost
// does when it knows only what a whole node costs.
import type { CatalogPrice, NodeTypePrices, PriceOverride, PriceSource, UnitPrices } from '../../shared/cost';

/** OpenCost's configs/default.json ("based on GCP us-central1"): CPU per core-hour, RAM per GiB-hour, GPU per hour. */
export const OPENCOST_DEFAULTS: UnitPrices = {
  cpuPerCoreHour: 0.031611,
  ramPerGiBHour: 0.004237 * 1.073741824,
  gpuPerHour: 0.95,
};

export const CATALOG_NOTE =
  'On-demand Linux list prices of common instance types, a snapshot taken in 2024 (AWS us-east-1, GCP us-central1, ' +
  'Azure East US). Discounts, spot and committed-use prices are not included: set your own per node type.';

const c = (
  provider: CatalogPrice['provider'],
  type: string,
  vcpu: number,
  memoryGiB: number,
  hourly: number,
  gpus = 0,
  gpuModel?: string,
): CatalogPrice => ({
  type,
  provider,
  region: provider === 'AWS' ? 'us-east-1' : provider === 'GCP' ? 'us-central1' : 'eastus',
  vcpu,
  memoryGiB,
  gpus,
  ...(gpuModel ? { gpuModel } : {}),
  hourly,
});

export const INSTANCE_CATALOG: CatalogPrice[] = [
  c('AWS', 't3.medium', 2, 4, 0.0416),
  c('AWS', 't3.large', 2, 8, 0.0832),
  c('AWS', 't3.xlarge', 4, 16, 0.1664),
  c('AWS', 'm5.large', 2, 8, 0.096),
  c('AWS', 'm5.xlarge', 4, 16, 0.192),
  c('AWS', 'm5.2xlarge', 8, 32, 0.384),
  c('AWS', 'm5.4xlarge', 16, 64, 0.768),
  c('AWS', 'm6i.large', 2, 8, 0.096),
  c('AWS', 'm6i.xlarge', 4, 16, 0.192),
  c('AWS', 'm6i.2xlarge', 8, 32, 0.384),
  c('AWS', 'm7g.xlarge', 4, 16, 0.1632),
  c('AWS', 'c5.xlarge', 4, 8, 0.17),
  c('AWS', 'c5.2xlarge', 8, 16, 0.34),
  c('AWS', 'r5.xlarge', 4, 32, 0.252),
  c('AWS', 'r5.2xlarge', 8, 64, 0.504),
  c('AWS', 'g4dn.xlarge', 4, 16, 0.526, 1, 'NVIDIA T4'),
  c('AWS', 'g5.xlarge', 4, 16, 1.006, 1, 'NVIDIA A10G'),
  c('AWS', 'p3.2xlarge', 8, 61, 3.06, 1, 'NVIDIA V100'),
  c('AWS', 'p4d.24xlarge', 96, 1152, 32.7726, 8, 'NVIDIA A100 40GB'),
  c('GCP', 'e2-standard-2', 2, 8, 0.067006),
  c('GCP', 'e2-standard-4', 4, 16, 0.134012),
  c('GCP', 'e2-standard-8', 8, 32, 0.268024),
  c('GCP', 'n1-standard-4', 4, 15, 0.189999),
  c('GCP', 'n2-standard-4', 4, 16, 0.194236),
  c('GCP', 'n2-standard-8', 8, 32, 0.388472),
  c('GCP', 'c2-standard-8', 8, 32, 0.4176),
  c('GCP', 'g2-standard-4', 4, 16, 0.70683, 1, 'NVIDIA L4'),
  c('GCP', 'a2-highgpu-1g', 12, 85, 3.673385, 1, 'NVIDIA A100 40GB'),
  c('GCP', 'a2-ultragpu-4g', 48, 680, 20.27, 4, 'NVIDIA A100 80GB'),
  c('Azure', 'Standard_B2ms', 2, 8, 0.0832),
  c('Azure', 'Standard_D2s_v3', 2, 8, 0.096),
  c('Azure', 'Standard_D4s_v3', 4, 16, 0.192),
  c('Azure', 'Standard_D8s_v3', 8, 32, 0.384),
  c('Azure', 'Standard_D4s_v5', 4, 16, 0.192),
  c('Azure', 'Standard_E4s_v3', 4, 32, 0.252),
  c('Azure', 'Standard_F4s_v2', 4, 8, 0.169),
  c('Azure', 'Standard_NC4as_T4_v3', 4, 28, 0.526, 1, 'NVIDIA T4'),
  c('Azure', 'Standard_NC6s_v3', 6, 112, 3.06, 1, 'NVIDIA V100'),
];

const CATALOG = new Map(INSTANCE_CATALOG.map((x) => [x.type, x]));
export const catalogPrice = (type: string): CatalogPrice | undefined => CATALOG.get(type);

/** The settings key the overrides live under: node type (or `*`) → override. */
export const PRICES_SETTING = 'costPrices';
export const DEFAULT_TYPE = '*';
export const NO_TYPE = '(no instance type)';

/** A whole-node price split over the node's resources in the default prices' proportions. */
function split(hourly: number, cores: number, gib: number, gpus: number, d: UnitPrices): UnitPrices {
  const base = cores * d.cpuPerCoreHour + gib * d.ramPerGiBHour + gpus * d.gpuPerHour;
  const f = base > 0 ? hourly / base : 1;
  return { cpuPerCoreHour: d.cpuPerCoreHour * f, ramPerGiBHour: d.ramPerGiBHour * f, gpuPerHour: d.gpuPerHour * f };
}

export function defaultPrices(overrides: Record<string, PriceOverride>): UnitPrices {
  const o = overrides[DEFAULT_TYPE] ?? {};
  return {
    cpuPerCoreHour: o.cpuPerCoreHour ?? OPENCOST_DEFAULTS.cpuPerCoreHour,
    ramPerGiBHour: o.ramPerGiBHour ?? OPENCOST_DEFAULTS.ramPerGiBHour,
    gpuPerHour: o.gpuPerHour ?? OPENCOST_DEFAULTS.gpuPerHour,
  };
}

export interface ResolvedPrices extends UnitPrices {
  source: PriceSource;
  sourceDetail: string;
}

/** The unit prices of a node of `type` with this capacity. */
export function resolvePrices(
  type: string,
  cap: { cores: number; gib: number; gpus: number },
  overrides: Record<string, PriceOverride>,
  defaults: UnitPrices,
): ResolvedPrices {
  const o = type === NO_TYPE ? undefined : overrides[type];
  if (o && Object.values(o).some((v) => typeof v === 'number')) {
    if (typeof o.nodeHourly === 'number')
      return {
        ...split(o.nodeHourly, cap.cores, cap.gib, cap.gpus, defaults),
        source: 'custom',
        sourceDetail: `set in KubeGraf: $${o.nodeHourly}/h per node`,
      };
    return {
      cpuPerCoreHour: o.cpuPerCoreHour ?? defaults.cpuPerCoreHour,
      ramPerGiBHour: o.ramPerGiBHour ?? defaults.ramPerGiBHour,
      gpuPerHour: o.gpuPerHour ?? defaults.gpuPerHour,
      source: 'custom',
      sourceDetail: 'set in KubeGraf',
    };
  }
  const cat = catalogPrice(type);
  if (cat)
    return {
      ...split(cat.hourly, cap.cores, cap.gib, cap.gpus, defaults),
      source: 'catalog',
      sourceDetail: `${cat.provider} ${cat.type} on-demand list price (${cat.region}, 2024 snapshot)`,
    };
  return {
    ...defaults,
    source: 'default',
    sourceDetail: overrides[DEFAULT_TYPE] ? 'default prices set in KubeGraf' : 'OpenCost default pricing (on-prem)',
  };
}

export type { NodeTypePrices };
