// Multi-document manifests as `kubectl apply -f` reads them: every YAML document is one object (or a `*List` of them),
// empty and comment-only documents are skipped, and a malformed document fails the whole manifest before anything is
// sent, naming the document and the line so the user can find it.
import { LineCounter, parseAllDocuments } from 'yaml';
import { flowNestingDeeperThan, MAX_DEPTH, nestedDeeperThan } from '../../shared/limits';
import type { KObject } from './descriptors';
import { KubeError } from './errors';

export interface ManifestObject {
  /** 1-based document number in the text. */
  doc: number;
  /** 1-based line where the document (or the List item) starts. */
  line: number;
  obj: KObject;
}

const where = (doc: number, line: number) => `document ${doc} (line ${line})`;

function check(o: unknown, doc: number, line: number, what = ''): KObject {
  if (!o || typeof o !== 'object' || Array.isArray(o))
    throw new KubeError(
      'badRequest',
      `${where(doc, line)}${what}: expected a Kubernetes object (a YAML mapping), got ${Array.isArray(o) ? 'a list' : typeof o}`,
    );
  const obj = o as KObject;
  const missing = [!obj.apiVersion && 'apiVersion', !obj.kind && 'kind', !obj.metadata?.name && 'metadata.name'].filter(
    Boolean,
  );
  if (missing.length)
    throw new KubeError('badRequest', `${where(doc, line)}${what}: the object has no ${missing.join(', ')}`);
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || typeof obj.metadata.name !== 'string') {
    throw new KubeError('badRequest', `${where(doc, line)}${what}: apiVersion, kind and metadata.name must be strings`);
  }
  return obj;
}

/**
 * Parses every document. YAML 1.1 like kubectl (sigs.k8s.io/yaml): `defaultMode: 0644` is octal and `yes` a boolean,
 * so a manifest means here what it means to kubectl.
 */
export function parseManifests(text: string): ManifestObject[] {
  if (flowNestingDeeperThan(text)) throw new KubeError('badRequest', `the YAML nests deeper than ${MAX_DEPTH} levels`);
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, version: '1.1', prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [];
  const out: ManifestObject[] = [];
  list.forEach((d, i) => {
    const doc = i + 1;
    const startOf = (n: unknown, fallback: number) => {
      const r = (n as { range?: [number, number, number] } | null | undefined)?.range;
      return r ? lc.linePos(r[0]).line : fallback;
    };
    // The line of the object itself, not of the `---` before it.
    const line = startOf(d.contents, lc.linePos(d.range[0]).line);
    const err = d.errors[0];
    if (err) {
      const at = err.linePos?.[0]?.line ?? line;
      throw new KubeError(
        'badRequest',
        `document ${doc} (line ${at}) is not valid YAML: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
      );
    }
    if (d.contents === null) return;
    let js: unknown;
    try {
      js = d.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      const m = (e as Error).message;
      throw new KubeError(
        'badRequest',
        `${where(doc, line)} cannot be read: ${/alias count/i.test(m) ? 'it expands aliases too many times (a YAML bomb?)' : m.split('\n')[0]}`,
      );
    }
    if (nestedDeeperThan(js))
      throw new KubeError('badRequest', `${where(doc, line)} nests deeper than ${MAX_DEPTH} levels`);
    if (js === null || js === undefined) return;
    const o = js as KObject & { items?: unknown };
    // `kind: List` (kubectl get -o yaml) and typed lists (`ConfigMapList`) carry their objects in items.
    if (o && typeof o === 'object' && typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      const nodes = (d.get('items', true) as { items?: unknown[] } | undefined)?.items ?? [];
      o.items.forEach((it, j) => {
        const at = startOf(nodes[j], line);
        out.push({ doc, line: at, obj: check(it, doc, at, `, item ${j + 1}`) });
      });
      return;
    }
    out.push({ doc, line, obj: check(js, doc, line) });
  });
  return out;
}

/** Exactly one object (an edit of one resource): the same parser and limits as a manifest file. */
export function parseOneManifest(text: string): KObject {
  let objs: ManifestObject[];
  try {
    objs = parseManifests(text);
  } catch (e) {
    // An edit that cannot be read is invalid input for that object (422), as the API server says of a bad object.
    throw e instanceof KubeError ? new KubeError('invalid', e.message) : e;
  }
  if (objs.length !== 1) throw new KubeError('invalid', `expected exactly one object, got ${objs.length}`);
  return objs[0].obj;
}

/**
 * The order objects are applied in: namespaces and CRDs first (what everything else may live in or be an instance of),
 * then the rest as written. Stable, so a manifest that is already ordered stays as the author wrote it.
 */
export function applyOrder<T extends { obj: KObject }>(items: T[]): T[] {
  const rank = (o: KObject) =>
    o.kind === 'Namespace' && o.apiVersion === 'v1'
      ? 0
      : o.kind === 'CustomResourceDefinition' && String(o.apiVersion).startsWith('apiextensions.k8s.io/')
        ? 1
        : 2;
  return items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => rank(a.it.obj) - rank(b.it.obj) || a.i - b.i)
    .map((x) => x.it);
}
