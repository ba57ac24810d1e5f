// Kubernetes JSONPath (CRD printer columns, `kubectl get -o jsonpath`), evaluated by jsonpath-plus.
// Kubernetes writes paths without the leading `$`, optionally inside `{…}`, and escapes dots inside a
// name (`.metadata.labels.app\.kubernetes\.io/name`); those become bracketed names here.
import { JSONPath } from 'jsonpath-plus';

const translated = new Map<string, string>();

function toJsonPathPlus(path: string): string {
  let p = translated.get(path);
  if (p !== undefined) return p;
  p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1).trim();
  p = p.replace(/\.((?:[^.[\\]|\\.)*\\\.(?:[^.[\\]|\\.)*)/g, (_, name: string) => {
    const plain = name.replace(/\\(.)/g, '$1');
    return `[${JSON.stringify(plain)}]`;
  });
  if (!p.startsWith('$')) p = `$${p.startsWith('.') || p.startsWith('[') ? '' : '.'}${p}`;
  translated.set(path, p);
  return p;
}

/** Every value the path selects in `o` (none when a key is missing, as Kubernetes' AllowMissingKeys). */
export function jsonPathValues(o: unknown, path: string): unknown[] {
  if (o === null || typeof o !== 'object') return [];
  try {
    return JSONPath({ path: toJsonPathPlus(path), json: o as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch {
    return [];
  }
}

/**
 * The first value a path selects, as the API server's CRD table convertor takes it
 * (`.status.conditions[?(@.type=="Ready")].status` → "True"); undefined when nothing matches.
 */
export function jsonPathValue(o: unknown, path: string): unknown {
  return jsonPathValues(o, path)[0];
}
