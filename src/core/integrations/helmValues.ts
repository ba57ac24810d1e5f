// Chart values and rendered manifests as KubeGraf shows them: computed values (the chart's defaults under the user's),
// credentials masked by key name, Secret data masked in manifests.
import { isMap as isYamlMap, parseAllDocuments } from 'yaml';
import { MASK } from '../api/rows';

/** Keys whose values are credentials by name (chart values carry passwords as `auth.password`, `apiKey`, …). */
const SECRET_KEY =
  /pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential|auth[-_]?key|access[-_]?key|cert(ificate)?[-_]?key/i;

/** Values with every credential-named leaf replaced by MASK, as the secret routes show a Secret. */
export function maskValues(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => maskValues(x, key));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskValues(x, k)]));
  return SECRET_KEY.test(key) && v !== null && v !== '' && typeof v !== 'boolean' ? MASK : v;
}

/** A rendered manifest with the values of every Secret's data/stringData masked (keys kept), the rest as written. */
export function maskManifest(manifest: string): string {
  if (!/\bkind:\s*["']?Secret\b/.test(manifest)) return manifest;
  let docs;
  try {
    docs = parseAllDocuments(manifest);
  } catch {
    return '# (the manifest could not be read, so it is not shown: it may hold Secret values)\n';
  }
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length))
    return '# (the manifest could not be read, so it is not shown: it may hold Secret values)\n';
  return docs
    .map((d) => {
      if (d.get('kind') === 'Secret') {
        for (const field of ['data', 'stringData']) {
          const m = d.get(field);
          if (isYamlMap(m)) for (const item of m.items) item.value = d.createNode(MASK);
        }
      }
      return d.toString();
    })
    .join('');
}

export const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** `chartutil.CoalesceValues`: the user's values over the chart's, maps merged deeply, a null removing a key. */
export function coalesceValues(chart: unknown, user: unknown): unknown {
  if (isMap(chart) && isMap(user)) {
    const out: Record<string, unknown> = { ...chart };
    for (const [k, v] of Object.entries(user)) {
      if (v === null) delete out[k];
      else out[k] = coalesceValues(chart[k], v);
    }
    return out;
  }
  return user === undefined ? chart : user;
}
