// Checks an edited object before it goes to the server: YAML syntax (with the line and column the parser stopped
// at) and the structure an update needs. Editing changes one object, as `kubectl edit` does, so its kind, name and
// namespace must stay those of the object that was opened. Pure and DOM-free: the editor and the unit tests share it.
import {
  isMap,
  isScalar,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
  type YAMLMap,
} from 'yaml';

export interface ObjectIdentity {
  apiVersion?: string;
  kind?: string;
  name?: string;
  /** Absent: the object is cluster-scoped (the server always writes the namespace of a namespaced object). */
  namespace?: string;
  /** The opened YAML carried one, so an update is checked against concurrent changes. */
  hasResourceVersion?: boolean;
}

export type LintCode =
  | 'syntax'
  | 'empty'
  | 'multipleDocuments'
  | 'notAnObject'
  | 'missingField'
  | 'badField'
  | 'identityChanged'
  | 'noResourceVersion';

export interface LintIssue {
  code: LintCode;
  severity: 'error' | 'warning';
  message: string;
  /** Offsets into the text (from < to unless the text is empty). */
  from: number;
  to: number;
  /** 1-based. */
  line: number;
  col: number;
}

type ParsedDoc = Document.Parsed;
type Mapping = YAMLMap<unknown, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The group of an apiVersion: `apps` for `apps/v1`, empty for the core `v1`. */
export function apiGroup(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** What the opened YAML is: the reference every edit is checked against. Unparseable text gives an empty identity. */
export function identityOf(text: string): ObjectIdentity {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return {};
  const doc = docs.find((d) => d.contents !== null);
  if (!doc || doc.errors.length) return {};
  const o = doc.toJS() as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown; namespace?: unknown; resourceVersion?: unknown };
  } | null;
  if (!o || typeof o !== 'object') return {};
  const id: ObjectIdentity = {
    apiVersion: str(o.apiVersion),
    kind: str(o.kind),
    name: str(o.metadata?.name),
    namespace: str(o.metadata?.namespace),
  };
  if (o.metadata?.resourceVersion !== undefined) id.hasResourceVersion = true;
  return id;
}

/**
 * Every problem in `text`, in document order. Errors block Review and Apply; warnings only inform. Without
 * `expected` only syntax and required fields are checked.
 */
export function lintYaml(text: string, expected?: ObjectIdentity): LintIssue[] {
  const lc = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false });
  const issues: LintIssue[] = [];
  const at = (code: LintCode, severity: LintIssue['severity'], message: string, from: number, to: number) => {
    const f = Math.max(0, Math.min(from, text.length));
    let t = Math.max(f, Math.min(to, text.length));
    // An empty range would be a barely visible point: mark the rest of the line instead.
    if (t === f) t = lineEnd(f);
    const { line, col } = lc.linePos(f);
    issues.push({ code, severity, message, from: f, to: t, line: Math.max(1, line), col: Math.max(1, col) });
  };
  const lineEnd = (from: number) => {
    const nl = text.indexOf('\n', from);
    return nl < 0 ? text.length : nl;
  };
  const docs: ParsedDoc[] = Array.isArray(parsed) ? parsed : [];
  for (const d of docs) {
    // The parser points at one character; underlining the rest of its line is easier to see.
    for (const e of d.errors)
      at('syntax', 'error', sentence(e.message), e.pos[0], Math.max(e.pos[1], lineEnd(e.pos[0])));
  }
  // One mistake often trips several parser rules on the same line: the first says it best.
  if (issues.length) return sorted(issues).filter((i, n, all) => n === 0 || all[n - 1].line !== i.line);
  // An empty document (a trailing `---`) is no object; the server skips it too.
  const objects = docs.filter((d) => d.contents !== null && !(isScalar(d.contents) && d.contents.value === null));
  if (!objects.length) {
    at('empty', 'error', 'The YAML is empty: it must hold the object being edited.', 0, lineEnd(0));
    return issues;
  }
  if (objects.length > 1) {
    const extra = objects[1];
    const start = extra.range[0];
    at(
      'multipleDocuments',
      'error',
      `Only one object can be edited here, and this is a second document (${objects.length} in all): remove it.`,
      start,
      lineEnd(start),
    );
  }
  checkObject(objects[0], text, expected, at, lineEnd);
  return sorted(issues);
}

function checkObject(
  doc: ParsedDoc,
  text: string,
  expected: ObjectIdentity | undefined,
  at: (code: LintCode, severity: LintIssue['severity'], message: string, from: number, to: number) => void,
  lineEnd: (from: number) => number,
): void {
  const root: unknown = doc.contents;
  const docStart = firstContentOffset(text, doc.range[0]);
  if (!isMap(root)) {
    const r = (root as YamlNode | null)?.range ?? [docStart, lineEnd(docStart)];
    at(
      'notAnObject',
      'error',
      'The YAML must be one object (a mapping of apiVersion, kind, metadata, ...), not a list or a single value.',
      r[0],
      lineEnd(r[0]),
    );
    return;
  }
  const keyRange = (map: Mapping, key: string): [number, number] | undefined => {
    for (const it of map.items)
      if (isScalar(it.key) && it.key.value === key && it.key.range) return [it.key.range[0], it.key.range[1]];
    return undefined;
  };
  const valueRange = (node: unknown, fallback: [number, number]): [number, number] => {
    const r = (node as YamlNode | undefined)?.range;
    return r && r[1] > r[0] ? [r[0], r[1]] : fallback;
  };
  const top: [number, number] = [docStart, lineEnd(docStart)];

  // Required fields, each of them a non-empty string.
  const field = (
    map: Mapping,
    key: string,
    path: string,
    where: [number, number],
  ): { value?: string; range: [number, number] } => {
    const node: unknown = map.get(key, true);
    const kr = keyRange(map, key);
    if (node === undefined || (isScalar(node) && (node.value === null || node.value === ''))) {
      at(
        'missingField',
        'error',
        `${path} is missing: an object needs apiVersion, kind and metadata.name.`,
        ...(kr ?? where),
      );
      return { range: kr ?? where };
    }
    const range = valueRange(node, kr ?? where);
    if (!isScalar(node) || typeof node.value !== 'string') {
      at('badField', 'error', `${path} must be a string.`, ...range);
      return { range };
    }
    return { value: node.value, range };
  };
  const apiVersion = field(root, 'apiVersion', 'apiVersion', top);
  const kind = field(root, 'kind', 'kind', top);
  const metaNode: unknown = root.get('metadata', true);
  const metaKey = keyRange(root, 'metadata');
  let name: { value?: string; range: [number, number] } | undefined;
  let namespace: { value?: string; range: [number, number] } | undefined;
  if (metaNode === undefined || (isScalar(metaNode) && metaNode.value === null)) {
    at(
      'missingField',
      'error',
      'metadata.name is missing: an object needs apiVersion, kind and metadata.name.',
      ...(metaKey ?? top),
    );
  } else if (!isMap(metaNode)) {
    at(
      'badField',
      'error',
      'metadata must be a mapping (name, namespace, labels, ...).',
      ...valueRange(metaNode, metaKey ?? top),
    );
  } else {
    name = field(metaNode, 'name', 'metadata.name', metaKey ?? top);
    const nsNode: unknown = metaNode.get('namespace', true);
    if (nsNode !== undefined) {
      const r = valueRange(nsNode, keyRange(metaNode, 'namespace') ?? metaKey ?? top);
      if (isScalar(nsNode) && (typeof nsNode.value === 'string' || nsNode.value === null))
        namespace = { value: nsNode.value ?? undefined, range: r };
      else at('badField', 'error', 'metadata.namespace must be a string.', ...r);
    }
    if (expected?.hasResourceVersion && metaNode.get('resourceVersion') === undefined) {
      at(
        'noResourceVersion',
        'warning',
        'Without metadata.resourceVersion, Apply overwrites any change made on the cluster since you opened this object.',
        ...(metaKey ?? top),
      );
    }
  }
  if (!expected) return;

  // The object being edited stays that object: what kubectl edit refuses, we refuse too, before the server does.
  const label = `${expected.kind ?? 'object'} "${expected.name ?? ''}"`;
  if (expected.kind && kind.value && kind.value !== expected.kind) {
    at(
      'identityChanged',
      'error',
      `kind cannot be changed from ${expected.kind} to ${kind.value}: this editor updates ${label} only. Create a new object to change its kind.`,
      ...kind.range,
    );
  }
  if (expected.apiVersion && apiVersion.value && apiGroup(apiVersion.value) !== apiGroup(expected.apiVersion)) {
    at(
      'identityChanged',
      'error',
      `apiVersion cannot move ${label} to another API group (${expected.apiVersion} → ${apiVersion.value}).`,
      ...apiVersion.range,
    );
  }
  if (expected.name && name?.value && name.value !== expected.name) {
    at(
      'identityChanged',
      'error',
      `metadata.name cannot be changed from "${expected.name}" to "${name.value}": to rename, create a copy under the new name and delete this one.`,
      ...name.range,
    );
  }
  if (namespace?.value && namespace.value !== expected.namespace) {
    const msg = expected.namespace
      ? `metadata.namespace cannot be changed from "${expected.namespace}" to "${namespace.value}": objects cannot move between namespaces.`
      : `${label} is cluster-scoped: it has no namespace, so remove metadata.namespace.`;
    at('identityChanged', 'error', msg, ...namespace.range);
  }
}

/** The first offset of a document that is not blank, a comment or a `---` marker. */
function firstContentOffset(text: string, from: number): number {
  const re = /^(?:[ \t]*(?:#.*)?|---[ \t]*(?:#.*)?)$/;
  let pos = from;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    if (!re.test(text.slice(pos, end))) return pos;
    if (nl < 0) break;
    pos = nl + 1;
  }
  return from;
}

/** The parser's messages start lower-case and end without a stop; ours are sentences. */
function sentence(m: string): string {
  const s = m.split('\n')[0].trim();
  const c = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?:]$/.test(c) ? c : `${c}.`;
}

function sorted(issues: LintIssue[]): LintIssue[] {
  return issues.sort((a, b) => a.from - b.from || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

/** Whether the issues block sending the text to the server. */
export const hasErrors = (issues: readonly LintIssue[]): boolean => issues.some((i) => i.severity === 'error');
