// Actions against one context. Every method fails with a KubeError (notFound, forbidden, conflict, invalid, ...).
import { stringify } from 'yaml';
import { createTwoFilesPatch } from 'diff';
import {
  AuthorizationV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type {
  AccessCheck,
  ApplyPreview,
  BulkDeleteResult,
  Capability,
  DrainResult,
  ObjectKey,
  PortForwardDto,
  RevisionInfo,
} from '../../shared/kube';
import type { ManifestObjectResult } from '../../shared/routes/resources';
import type { Connection } from './connection';
import { apiVersionOf, kindId, resourcePath, type KObject, type KindDescriptor } from './descriptors';
import { describeObject, revisionOf, type DescribeRelated } from './describe';
import { KubeError, guarded, toKubeError } from './errors';
import { startExec, type ExecOptions, type ExecSession } from './execSession';
import { applyOrder, parseManifests, parseOneManifest } from './manifests';
import { readLogs, streamLogs, type LogLine, type LogOptions, type LogSource, type LogStream } from './logs';
import { matchesSelector, type LabelSelector } from './objectIndex';
import type { PortForwards } from './portForward';
import type { WatchCache } from './watchCache';

export interface DrainOptions {
  /** Evict pods no controller manages (kubectl --force). */
  force?: boolean;
  /** Skip DaemonSet pods instead of failing (kubectl --ignore-daemonsets; default true). */
  ignoreDaemonSets?: boolean;
  /** Evict pods with emptyDir volumes (kubectl --delete-emptydir-data). */
  deleteEmptyDirData?: boolean;
  /** Keep retrying evictions a PodDisruptionBudget blocks for this long (0: report at once). */
  timeoutMs?: number;
  gracePeriodSeconds?: number;
}

export interface LogTarget {
  kind: string;
  namespace: string;
  name: string;
  /** A container name, or undefined/'*' for all containers. */
  container?: string;
}

type FindCache = (kind: { group: string; plural: string }, ns?: string) => WatchCache | undefined;

const FIELD_MANAGER = 'kubegraf';
const ROLLBACK_KINDS = ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps'];

type PodTemplate = {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: Array<{ image?: string }> };
};

/** What a rollback would change, from a server-side dry run. */
export interface RollbackPreview extends ApplyPreview {
  revision: number;
  images: string[];
}

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

/** Key-order-independent JSON, so templates that differ only in key order compare equal. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function selectorText(sel: LabelSelector | undefined): string {
  const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of (
    sel as { matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined
  )?.matchExpressions ?? []) {
    if (e.operator === 'In' || e.operator === 'NotIn')
      parts.push(`${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}
const merge = () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** What a YAML diff should show: no managedFields, no resourceVersion churn. */
function forDiff(o: unknown): unknown {
  if (!o) return o;
  const c = JSON.parse(JSON.stringify(o)) as KObject;
  // What the server maintains itself (and a dry run of a new object invents) is noise in a review.
  for (const k of ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp'] as const)
    delete c.metadata?.[k];
  return c;
}

export function toYaml(o: unknown): string {
  // YAML 1.1 quoting (`'yes'`, `'on'`), as kubectl's parser reads them; no folding, no anchors.
  return stringify(o, { version: '1.1', indent: 2, lineWidth: 0, aliasDuplicateObjects: false });
}

export class KubeActions {
  private objApi?: KubernetesObjectApi;

  constructor(
    private readonly conn: Connection,
    private readonly findCache: FindCache,
    private readonly portForwards: PortForwards,
    private readonly accessTtlMs = 60_000,
  ) {}

  private get objects(): KubernetesObjectApi {
    return (this.objApi ??= KubernetesObjectApi.makeApiClient(this.conn.kc));
  }

  private kind(kind: string, apiVersion?: string): KindDescriptor {
    const d = this.conn.registry.resolve(kind, apiVersion);
    if (!d) throw new KubeError('invalid', `unknown kind "${apiVersion ? `${apiVersion} ` : ''}${kind}"`);
    return d;
  }

  private need(d: KindDescriptor, cap: Capability): void {
    if (!d.capabilities.includes(cap)) throw new KubeError('unsupported', `${d.kind} does not support ${cap}`);
  }

  private header(
    d: KindDescriptor,
    namespace: string | undefined,
    name: string,
  ): KubernetesObject & { metadata: { name: string; namespace?: string } } {
    return { apiVersion: apiVersionOf(d), kind: d.kind, metadata: d.namespaced ? { name, namespace } : { name } };
  }

  private async approved(): Promise<void> {
    await this.conn.connect().catch(() => undefined);
  }

  // ---------------- reads ----------------

  /** The object exactly as the server stores it. */
  get(kind: string, namespace: string | undefined, name: string): Promise<KObject> {
    const d = this.kind(kind);
    return guarded(() => this.conn.http.json<KObject>(resourcePath(d, namespace, name)));
  }

  async getYaml(kind: string, namespace: string | undefined, name: string): Promise<string> {
    const o = await this.get(kind, namespace, name);
    delete o.metadata.managedFields;
    return toYaml(o);
  }

  /**
   * A GET of any API path (aggregated APIs such as metrics.k8s.io, non-resource paths), parsed as JSON, through this
   * context's authenticated transport. A non-2xx reply fails as a typed KubeError.
   */
  raw<T = unknown>(
    path: string,
    o: { accept?: string; query?: Record<string, string | number | boolean | undefined>; timeoutMs?: number } = {},
  ): Promise<T> {
    if (!path.startsWith('/'))
      return Promise.reject(new KubeError('invalid', `an API path must start with "/", got "${path}"`));
    return guarded(() => this.conn.http.json<T>(path, { accept: o.accept, query: o.query, timeoutMs: o.timeoutMs }));
  }

  /** Lists (all pages) straight from the server, for one-off reads that need no watch. */
  async list(
    kind: string,
    namespace?: string,
    q: { labelSelector?: string; fieldSelector?: string } = {},
  ): Promise<KObject[]> {
    const d = this.kind(kind);
    return guarded(async () => {
      const out: KObject[] = [];
      let cont: string | undefined;
      do {
        const page: { items?: KObject[]; metadata?: { continue?: string } } = await this.conn.http.json(
          resourcePath(d, namespace),
          { query: { limit: 500, continue: cont, ...q } },
        );
        out.push(...(page.items ?? []));
        cont = page.metadata?.continue || undefined;
      } while (cont);
      return out;
    });
  }

  /** Events about an object, by involvedObject.uid: from the cache when an events watch is open, else one list. */
  async eventsFor(o: KObject): Promise<KObject[]> {
    const uid = o.metadata.uid;
    if (!uid) return [];
    const cached = this.findCache({ group: '', plural: 'events' }, o.metadata.namespace);
    if (cached?.status.live) return cached.index.involving(uid);
    return this.list('events', o.metadata.namespace, { fieldSelector: `involvedObject.uid=${uid}` });
  }

  /** Objects of `kind` in `namespace` whose labels match the selector (cache first). */
  private async selected(kind: string, namespace: string, sel: LabelSelector): Promise<KObject[]> {
    const d = this.kind(kind);
    const cached = this.findCache(d, namespace);
    if (cached?.status.live) return cached.index.matching(sel, namespace);
    const labelSelector = Object.entries(sel.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const items = await this.list(kind, namespace, labelSelector ? { labelSelector } : {});
    return items.filter((p) => matchesSelector(p.metadata.labels, sel));
  }

  async describe(kind: string, namespace: string | undefined, name: string): Promise<string> {
    const d = this.kind(kind);
    const o = await this.get(kind, namespace, name);
    const rel: DescribeRelated = { events: await this.eventsFor(o) };
    const id = kindId(d);
    if (id === 'deployments.apps' && o.spec?.selector) {
      rel.replicaSets = (await this.selected('replicasets', namespace!, o.spec.selector)).filter((r) =>
        r.metadata.ownerReferences?.some((x) => x.uid === o.metadata.uid),
      );
    } else if (id === 'nodes') {
      rel.pods = await this.podsOnNode(name);
    }
    return describeObject(d, o, rel);
  }

  async podsOnNode(node: string): Promise<KObject[]> {
    const cached = this.findCache({ group: '', plural: 'pods' }, undefined);
    if (cached?.status.live && cached.namespace === undefined) return cached.index.onNode(node);
    return this.list('pods', undefined, { fieldSelector: `spec.nodeName=${node}` });
  }

  /** Pods a workload (deployment, statefulset, daemonset, replicaset, job) selects; a pod is itself. */
  async podsOf(kind: string, namespace: string, name: string): Promise<KObject[]> {
    const d = this.kind(kind);
    if (kindId(d) === 'pods') return [await this.get('pods', namespace, name)];
    if (kindId(d) === 'services') {
      const svc = await this.get(kind, namespace, name);
      const sel = svc.spec?.selector as Record<string, string> | undefined;
      return sel && Object.keys(sel).length ? this.selected('pods', namespace, { matchLabels: sel }) : [];
    }
    const o = await this.get(kind, namespace, name);
    const sel = (o.spec?.selector ?? o.spec?.jobTemplate?.spec?.selector) as LabelSelector | undefined;
    if (!sel) throw new KubeError('unsupported', `${d.kind} ${name} has no pod selector`);
    return this.selected('pods', namespace, sel);
  }

  // ---------------- edit / apply ----------------

  private parseOne(yamlText: string): { d: KindDescriptor; obj: KObject } {
    const obj = parseOneManifest(yamlText);
    return { d: this.kind(String(obj.kind), String(obj.apiVersion)), obj };
  }

  private async readTyped(
    d: KindDescriptor,
    ns: string | undefined,
    name: string,
  ): Promise<KubernetesObject | undefined> {
    try {
      return await this.objects.read(this.header(d, ns, name));
    } catch (e) {
      const k = toKubeError(e);
      if (k.code === 'notFound') return undefined;
      throw k;
    }
  }

  /**
   * Server-side dry run of an edited object: the diff between what is stored and what the server would store.
   * An object that does not exist yet is a create.
   */
  async previewApply(yamlText: string, defaultNamespace = 'default'): Promise<ApplyPreview> {
    const { d, obj } = this.parseOne(yamlText);
    if (d.namespaced) obj.metadata.namespace ??= defaultNamespace;
    return guarded(async () => {
      const cur = await this.readTyped(d, obj.metadata.namespace, obj.metadata.name);
      const dry = cur
        ? await this.objects.replace(obj as KubernetesObject, undefined, 'All', FIELD_MANAGER)
        : await this.objects.create(obj as KubernetesObject, undefined, 'All', FIELD_MANAGER);
      const a = cur ? toYaml(forDiff(cur)) : '';
      const b = toYaml(forDiff(dry));
      const label = `${kindId(d)}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
      return {
        diff: a === b ? '' : createTwoFilesPatch(`${label} (live)`, `${label} (edited)`, a, b),
        changed: a !== b,
      };
    });
  }

  /** Applies an edited object (replace if it exists, create if not). A stale resourceVersion fails as conflict. */
  async apply(yamlText: string, defaultNamespace = 'default'): Promise<KObject> {
    const { d, obj } = this.parseOne(yamlText);
    if (d.namespaced) obj.metadata.namespace ??= defaultNamespace;
    await guarded(async () => {
      const cur = await this.readTyped(d, obj.metadata.namespace, obj.metadata.name);
      if (cur) await this.objects.replace(obj as KubernetesObject, undefined, undefined, FIELD_MANAGER);
      else await this.objects.create(obj as KubernetesObject, undefined, undefined, FIELD_MANAGER);
    });
    return this.get(kindId(d), obj.metadata.namespace, obj.metadata.name);
  }

  // ---------------- delete ----------------

  /** Deletes one object; `dryRun` asks the server to validate the delete (`dryRun=All`) without deleting. */
  async delete(
    kind: string,
    namespace: string | undefined,
    name: string,
    o: { gracePeriodSeconds?: number; propagation?: 'Background' | 'Foreground' | 'Orphan'; dryRun?: boolean } = {},
  ): Promise<void> {
    const d = this.kind(kind);
    this.need(d, 'delete');
    await guarded(() =>
      this.objects.delete(
        this.header(d, namespace, name),
        undefined,
        o.dryRun ? 'All' : undefined,
        o.gracePeriodSeconds,
        undefined,
        o.propagation ?? 'Background',
      ),
    );
  }

  /** Deletes several objects (of any kinds) with bounded concurrency; reports each failure, never throws for one. */
  async deleteMany(
    items: Array<{ kind: string; namespace?: string; name: string }>,
    concurrency = 8,
  ): Promise<BulkDeleteResult> {
    const res: BulkDeleteResult = { deleted: [], failed: [] };
    let i = 0;
    const worker = async () => {
      while (i < items.length) {
        const it = items[i++];
        const key: ObjectKey = it.namespace ? { namespace: it.namespace, name: it.name } : { name: it.name };
        try {
          await this.delete(it.kind, it.namespace, it.name);
          res.deleted.push(key);
        } catch (e) {
          res.failed.push({ key, error: toKubeError(e).toDto() });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    return res;
  }

  // ---------------- workloads ----------------

  async scale(kind: string, namespace: string, name: string, replicas: number): Promise<void> {
    const d = this.kind(kind);
    this.need(d, 'scale');
    if (!Number.isInteger(replicas) || replicas < 0)
      throw new KubeError('invalid', `replicas must be a whole number ≥ 0, got ${replicas}`);
    await guarded(() =>
      this.objects.patch(
        { ...this.header(d, namespace, name), spec: { replicas } } as KubernetesObject,
        undefined,
        undefined,
        FIELD_MANAGER,
        undefined,
        PatchStrategy.MergePatch,
      ),
    );
  }

  /** `kubectl rollout restart`: stamps the pod template so the controller rolls every pod. */
  async restart(kind: string, namespace: string, name: string, at = new Date()): Promise<void> {
    const d = this.kind(kind);
    this.need(d, 'restart');
    const body = {
      ...this.header(d, namespace, name),
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at.toISOString() } } } },
    };
    await guarded(() =>
      this.objects.patch(
        body as KubernetesObject,
        undefined,
        undefined,
        FIELD_MANAGER,
        undefined,
        PatchStrategy.StrategicMergePatch,
      ),
    );
  }

  /**
   * A workload's revisions, newest first: a Deployment's from its ReplicaSets' revision annotations, a StatefulSet's or
   * DaemonSet's from the ControllerRevisions its controller keeps (as `kubectl rollout history` reads them).
   */
  async revisions(namespace: string, name: string, kind = 'deployments'): Promise<RevisionInfo[]> {
    return (await this.revisionSources(kind, namespace, name)).map(({ template: _t, ...info }) => info);
  }

  /** Revisions with the pod template each one puts back. */
  private async revisionSources(
    kind: string,
    namespace: string,
    name: string,
  ): Promise<Array<RevisionInfo & { template: PodTemplate }>> {
    const d = this.kind(kind);
    const id = kindId(d);
    if (!ROLLBACK_KINDS.includes(id)) throw new KubeError('unsupported', `${d.kind} has no revision history`);
    const o = await this.get(kind, namespace, name);
    const images = (t: PodTemplate) => (t.spec?.containers ?? []).map((c) => c.image ?? '');
    const ownedBy = (x: KObject) =>
      x.metadata.ownerReferences?.some((r) => r.uid === o.metadata.uid && r.controller) ?? false;
    if (id === 'deployments.apps') {
      const current = revisionOf(o);
      const rss = (await this.selected('replicasets', namespace, o.spec?.selector ?? {})).filter(ownedBy);
      return rss
        .filter((r) => revisionOf(r) > 0)
        .map((r) => {
          const template = clone(r.spec?.template ?? {}) as PodTemplate;
          delete template.metadata?.labels?.['pod-template-hash'];
          return {
            revision: revisionOf(r),
            name: r.metadata.name,
            images: images(template),
            createdAt: r.metadata.creationTimestamp,
            current: revisionOf(r) === current,
            template,
          };
        })
        .sort((a, b) => b.revision - a.revision);
    }
    const labelSelector = selectorText(o.spec?.selector);
    const crs =
      (
        await this.raw<{ items?: KObject[] }>(
          `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/controllerrevisions`,
          { query: labelSelector ? { labelSelector } : {} },
        )
      ).items ?? [];
    const out = crs.filter(ownedBy).map((cr) => {
      const template = clone(
        (cr as KObject & { data?: { spec?: { template?: PodTemplate } } }).data?.spec?.template ?? {},
      ) as PodTemplate & { $patch?: string };
      delete template.$patch;
      return {
        revision: Number((cr as KObject & { revision?: number }).revision ?? 0),
        name: cr.metadata.name,
        images: images(template),
        createdAt: cr.metadata.creationTimestamp,
        current: false,
        template,
      };
    });
    out.sort((a, b) => b.revision - a.revision);
    // The StatefulSet names its update revision; a DaemonSet's current revision is the one holding its template.
    const live = stableJson(o.spec?.template ?? {});
    const cur =
      (id === 'statefulsets.apps' && out.find((r) => r.name === o.status?.updateRevision)) ||
      out.find((r) => stableJson(r.template) === live) ||
      out[0];
    if (cur) cur.current = true;
    return out;
  }

  /** Which revision a rollback goes to (default: the newest one that is not current) and the template it restores. */
  private async rollbackTarget(
    kind: string,
    namespace: string,
    name: string,
    toRevision?: number,
  ): Promise<{ d: KindDescriptor; revision: RevisionInfo; template: PodTemplate }> {
    const d = this.kind(kind);
    this.need(d, 'rollback');
    const revs = await this.revisionSources(kind, namespace, name);
    const cur = revs.find((r) => r.current)?.revision ?? revs[0]?.revision;
    const target = toRevision ?? revs.find((r) => r.revision !== cur)?.revision;
    const rev = revs.find((r) => r.revision === target);
    const what = `${d.kind.toLowerCase()} ${name}`;
    if (!rev)
      throw new KubeError(
        'notFound',
        toRevision ? `revision ${toRevision} of ${what} not found` : `${what} has no previous revision`,
      );
    if (rev.revision === cur) throw new KubeError('invalid', `revision ${rev.revision} is already the current one`);
    const { template, ...revision } = rev;
    return { d, revision, template };
  }

  private patchTemplate(
    d: KindDescriptor,
    namespace: string,
    name: string,
    template: PodTemplate,
    dryRun: boolean,
  ): Promise<KObject> {
    return guarded(() =>
      this.conn.http.json<KObject>(resourcePath(d, namespace, name), {
        method: 'PATCH',
        body: [{ op: 'replace', path: '/spec/template', value: template }],
        contentType: 'application/json-patch+json',
        query: { fieldManager: FIELD_MANAGER, dryRun: dryRun ? 'All' : undefined },
      }),
    );
  }

  /**
   * `kubectl rollout undo [--to-revision]` for Deployments, StatefulSets and DaemonSets: puts a revision's pod template
   * back on the workload (its controller then rolls the pods). Returns the revision rolled back to.
   */
  async rollback(
    kind: string,
    namespace: string,
    name: string,
    toRevision?: number,
    o: { dryRun?: boolean } = {},
  ): Promise<number> {
    const t = await this.rollbackTarget(kind, namespace, name, toRevision);
    await this.patchTemplate(t.d, namespace, name, t.template, o.dryRun === true);
    return t.revision.revision;
  }

  /** The rollback as a server-side dry run: the diff between the live workload and what the server would store. */
  async previewRollback(kind: string, namespace: string, name: string, toRevision?: number): Promise<RollbackPreview> {
    const t = await this.rollbackTarget(kind, namespace, name, toRevision);
    const live = await this.get(kind, namespace, name);
    const dry = await this.patchTemplate(t.d, namespace, name, t.template, true);
    const a = toYaml(forDiff(live));
    const b = toYaml(forDiff(dry));
    const label = `${kindId(t.d)}/${namespace}/${name}`;
    return {
      revision: t.revision.revision,
      images: t.revision.images,
      diff: a === b ? '' : createTwoFilesPatch(`${label} (live)`, `${label} (revision ${t.revision.revision})`, a, b),
      changed: a !== b,
    };
  }

  // ---------------- nodes ----------------

  async cordon(node: string, unschedulable = true): Promise<void> {
    const core = this.conn.kc.makeApiClient(CoreV1Api);
    await guarded(() =>
      core.patchNode(
        { name: node, body: { spec: { unschedulable: unschedulable ? true : null } }, fieldManager: FIELD_MANAGER },
        merge(),
      ),
    );
  }

  uncordon(node: string): Promise<void> {
    return this.cordon(node, false);
  }

  /** Cordons the node, then evicts its pods through the eviction subresource so PodDisruptionBudgets are honoured. */
  async drain(node: string, o: DrainOptions = {}): Promise<DrainResult> {
    await this.cordon(node);
    const pods = await this.list('pods', undefined, { fieldSelector: `spec.nodeName=${node}` });
    const core = this.conn.kc.makeApiClient(CoreV1Api);
    const res: DrainResult = { evicted: [], skipped: [], failed: [] };
    const id = (p: KObject) => `${p.metadata.namespace}/${p.metadata.name}`;
    const todo: KObject[] = [];
    for (const p of pods) {
      const ctrl = p.metadata.ownerReferences?.find((r) => r.controller);
      if (p.metadata.annotations?.['kubernetes.io/config.mirror'])
        res.skipped.push({ pod: id(p), reason: 'mirror pod (managed by the kubelet)' });
      else if (p.metadata.deletionTimestamp) res.skipped.push({ pod: id(p), reason: 'already terminating' });
      else if (ctrl?.kind === 'DaemonSet') {
        if (o.ignoreDaemonSets === false)
          res.failed.push({ pod: id(p), reason: 'managed by a DaemonSet (ignoreDaemonSets is off)' });
        else res.skipped.push({ pod: id(p), reason: 'managed by a DaemonSet' });
      } else if (!ctrl && !o.force)
        res.failed.push({ pod: id(p), reason: 'not managed by a controller (use force to evict it anyway)' });
      else if (
        !o.deleteEmptyDirData &&
        ((p.spec?.volumes ?? []) as Array<{ emptyDir?: unknown }>).some((v) => v.emptyDir)
      ) {
        res.failed.push({ pod: id(p), reason: 'has emptyDir local data (use deleteEmptyDirData)' });
      } else todo.push(p);
    }
    const deadline = Date.now() + (o.timeoutMs ?? 0);
    await Promise.all(
      todo.map(async (p) => {
        for (;;) {
          try {
            await core.createNamespacedPodEviction({
              name: p.metadata.name,
              namespace: p.metadata.namespace!,
              body: {
                apiVersion: 'policy/v1',
                kind: 'Eviction',
                metadata: { name: p.metadata.name, namespace: p.metadata.namespace },
                deleteOptions:
                  o.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: o.gracePeriodSeconds } : undefined,
              },
            });
            res.evicted.push(id(p));
            return;
          } catch (e) {
            const k = toKubeError(e);
            if (k.code === 'notFound') {
              res.evicted.push(id(p));
              return;
            }
            // 429: a PodDisruptionBudget forbids it right now; retry until the deadline like kubectl does.
            if (k.status === 429 && Date.now() < deadline) {
              await new Promise((r) => setTimeout(r, 1000));
              continue;
            }
            res.failed.push({ pod: id(p), reason: k.message });
            return;
          }
        }
      }),
    );
    return res;
  }

  // ---------------- logs, exec, port-forward ----------------

  /** Resolves a pod or workload (and a container or all of them) to log sources. */
  async logSources(t: LogTarget): Promise<LogSource[]> {
    const pods = await this.podsOf(t.kind, t.namespace, t.name);
    const out: LogSource[] = [];
    for (const p of pods) {
      const names = ((p.spec?.containers ?? []) as Array<{ name: string }>).map((c) => c.name);
      const chosen = t.container && t.container !== '*' ? names.filter((n) => n === t.container) : names;
      if (t.container && t.container !== '*' && !chosen.length && kindId(this.kind(t.kind)) === 'pods') {
        throw new KubeError('notFound', `container ${t.container} is not valid for pod ${p.metadata.name}`);
      }
      for (const c of chosen) out.push({ namespace: p.metadata.namespace!, pod: p.metadata.name, container: c });
    }
    return out;
  }

  /** Logs to the end; several pods/containers are interleaved by time. */
  async logs(t: LogTarget, o: LogOptions = {}): Promise<LogLine[]> {
    const sources = await this.logSources(t);
    if (!sources.length) return [];
    return guarded(() => readLogs(this.conn.kc, sources, o));
  }

  /** Follows logs; stop() ends every underlying stream. */
  async followLogs(t: LogTarget, o: LogOptions, onLine: (l: LogLine) => void): Promise<LogStream> {
    const sources = await this.logSources(t);
    return streamLogs(this.conn.kc, sources, { ...o, follow: true }, onLine);
  }

  async exec(o: ExecOptions): Promise<ExecSession> {
    await this.approved();
    return startExec(this.conn.kc, o);
  }

  /**
   * Forwards 127.0.0.1:localPort to a port of a pod — or of a running pod behind a service or workload (a service
   * port is mapped to its targetPort, named ports resolved from the pod's containers).
   */
  async startPortForward(
    kind: string,
    namespace: string,
    name: string,
    port: number,
    localPort = 0,
  ): Promise<PortForwardDto> {
    const d = this.kind(kind);
    this.need(d, 'portForward');
    let remote: number | string = port;
    if (kindId(d) === 'services') {
      const svc = await this.get('services', namespace, name);
      const sp = ((svc.spec?.ports ?? []) as Array<{ port: number; targetPort?: number | string }>).find(
        (p) => p.port === port,
      );
      if (!sp) throw new KubeError('notFound', `service ${name} has no port ${port}`);
      remote = sp.targetPort ?? sp.port;
    }
    const pods = (await this.podsOf(kind, namespace, name)).filter(
      (p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp,
    );
    const pod = pods[0];
    if (!pod) throw new KubeError('notFound', `no running pod for ${d.kind} ${namespace}/${name}`);
    if (typeof remote === 'string') {
      const named = ((pod.spec?.containers ?? []) as Array<{ ports?: Array<{ name?: string; containerPort: number }> }>)
        .flatMap((c) => c.ports ?? [])
        .find((p) => p.name === remote);
      if (!named) throw new KubeError('notFound', `pod ${pod.metadata.name} has no port named ${remote}`);
      remote = named.containerPort;
    }
    return this.portForwards.start(this.conn.kc, this.conn.name, namespace, pod.metadata.name, remote, localPort);
  }

  stopPortForward(id: string): Promise<void> {
    return this.portForwards.stop(id);
  }

  listPortForwards(): PortForwardDto[] {
    return this.portForwards.list(this.conn.name);
  }

  // ---------------- manifests (kubectl apply --server-side) ----------------

  /** One server-side apply PATCH (dryRun: the server computes the result and stores nothing). */
  private ssa(path: string, obj: KObject, o: { dryRun: boolean; force?: boolean }): Promise<KObject> {
    return guarded(() =>
      this.conn.http.json<KObject>(path, {
        method: 'PATCH',
        body: JSON.stringify(obj),
        contentType: 'application/apply-patch+yaml',
        query: {
          fieldManager: FIELD_MANAGER,
          force: o.force ? 'true' : undefined,
          dryRun: o.dryRun ? 'All' : undefined,
        },
      }),
    );
  }

  /**
   * Applies every object of a multi-document manifest the way `kubectl apply --server-side --field-manager=kubegraf`
   * does: namespaces and CRDs first, then the rest in order; each object is first applied as a server-side dry run to
   * get its diff and action, then (unless `dryRun`) for real. A failure is reported on its object and the others still
   * go ahead, as with kubectl. A malformed manifest fails as a whole (badRequest naming the document) before anything
   * is sent.
   */
  async applyManifests(
    yamlText: string,
    o: { dryRun?: boolean; defaultNamespace?: string; force?: boolean } = {},
  ): Promise<{ results: ManifestObjectResult[]; applied: number; failed: number }> {
    const items = applyOrder(parseManifests(yamlText));
    const dryRun = o.dryRun === true;
    const defaultNs = o.defaultNamespace || 'default';
    const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
    const versionOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion);
    const resolve = (obj: KObject) => {
      const d = this.conn.registry.resolve(String(obj.kind), String(obj.apiVersion));
      return d && d.kind === obj.kind && d.group === groupOf(String(obj.apiVersion)) ? d : undefined;
    };
    if (items.some((it) => !resolve(it.obj))) await this.conn.discoverCrds();
    // Kinds and namespaces this manifest brings: a dry run cannot ask the server about their contents yet.
    const crdKinds = new Set(
      items
        .filter((it) => it.obj.kind === 'CustomResourceDefinition')
        .map(
          (it) =>
            `${(it.obj.spec as { group?: string } | undefined)?.group ?? ''}/${(it.obj.spec as { names?: { kind?: string } } | undefined)?.names?.kind ?? ''}`,
        ),
    );
    const newNamespaces = new Set<string>();
    let crdsApplied = false;
    const results: ManifestObjectResult[] = [];

    for (const { doc, line, obj } of items) {
      const r: ManifestObjectResult = {
        doc,
        line,
        kind: String(obj.kind),
        apiVersion: String(obj.apiVersion),
        name: obj.metadata.name,
        action: 'failed',
        diff: '',
      };
      results.push(r);
      let d = resolve(obj);
      if (!d && crdsApplied) {
        // A CRD this manifest just created: its kind is served once the API server has established it.
        for (let i = 0; i < 10 && !d; i++) {
          await this.conn.discoverCrds();
          d = resolve(obj);
          if (!d) await new Promise((res) => setTimeout(res, 300));
        }
      }
      const fromCrd = crdKinds.has(`${groupOf(r.apiVersion)}/${r.kind}`);
      if (!d) {
        if (dryRun && fromCrd) {
          if (obj.metadata.namespace === undefined && o.defaultNamespace) obj.metadata.namespace = defaultNs;
          r.namespace = obj.metadata.namespace;
          r.action = 'created';
          r.diff = createTwoFilesPatch(`${r.kind}/${r.name} (live)`, `${r.kind}/${r.name} (applied)`, '', toYaml(obj));
          r.note = `the ${r.kind} kind is defined by a CustomResourceDefinition in this manifest; the server checks this object when it is applied`;
        } else {
          r.error = {
            code: 'invalid',
            message: `unknown kind "${r.apiVersion} ${r.kind}": the cluster serves no such resource${fromCrd ? ' (its CustomResourceDefinition is in this manifest but is not established yet)' : ' (is its CustomResourceDefinition installed?)'}`,
          };
        }
        continue;
      }
      if (d.namespaced) obj.metadata.namespace ??= defaultNs;
      else delete obj.metadata.namespace;
      r.namespace = obj.metadata.namespace;
      const path = resourcePath({ ...d, version: versionOf(r.apiVersion) }, obj.metadata.namespace, obj.metadata.name);
      const label = `${kindId(d)}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
      try {
        let live: KObject | undefined;
        try {
          live = await guarded(() => this.conn.http.json<KObject>(path));
        } catch (e) {
          if (toKubeError(e).code !== 'notFound') throw e;
        }
        let dry: KObject;
        try {
          dry = await this.ssa(path, obj, { dryRun: true, force: o.force });
        } catch (e) {
          const k = toKubeError(e);
          if (dryRun && !live && k.code === 'notFound' && r.namespace && newNamespaces.has(r.namespace)) {
            r.action = 'created';
            r.diff = createTwoFilesPatch(`${label} (live)`, `${label} (applied)`, '', toYaml(obj));
            r.note = `namespace ${r.namespace} is created by this manifest; the server checks this object when it is applied`;
            continue;
          }
          throw k;
        }
        const a = live ? toYaml(forDiff(live)) : '';
        const b = toYaml(forDiff(dry));
        const action = !live ? 'created' : a === b ? 'unchanged' : 'configured';
        if (kindId(d) === 'secrets') {
          const keys = (x: KObject | undefined) => ({
            ...((x as { data?: Record<string, string> } | undefined)?.data ?? {}),
          });
          const was = keys(live);
          const now = keys(dry);
          const changed = [...new Set([...Object.keys(was), ...Object.keys(now)])]
            .filter((k) => was[k] !== now[k])
            .sort();
          r.diff =
            action === 'unchanged'
              ? ''
              : `(secret values are not shown${changed.length ? `; keys changed: ${changed.join(', ')}` : ''})`;
        } else
          r.diff = action === 'unchanged' ? '' : createTwoFilesPatch(`${label} (live)`, `${label} (applied)`, a, b);
        if (!dryRun && action !== 'unchanged') await this.ssa(path, obj, { dryRun: false, force: o.force });
        r.action = action;
        if (action === 'created' && kindId(d) === 'namespaces') newNamespaces.add(r.name);
        if (!dryRun && action !== 'unchanged' && kindId(d) === 'customresourcedefinitions.apiextensions.k8s.io')
          crdsApplied = true;
      } catch (e) {
        r.action = 'failed';
        r.error = applyErrorOf(toKubeError(e));
      }
    }
    const applied = results.filter((r) => r.action === 'created' || r.action === 'configured').length;
    return {
      results: results.sort((x, y) => x.doc - y.doc || x.line - y.line),
      applied,
      failed: results.filter((r) => r.action === 'failed').length,
    };
  }

  // ---------------- access ----------------

  /** `kubectl auth can-i` via SelfSubjectAccessReview, cached per context for a minute. */
  async canI(c: AccessCheck): Promise<boolean> {
    const key = JSON.stringify([
      c.verb,
      c.group ?? '',
      c.resource,
      c.subresource ?? '',
      c.namespace ?? '',
      c.name ?? '',
    ]);
    const hit = this.conn.access.get(key);
    if (hit && hit.until > Date.now()) return hit.allowed;
    const authz = this.conn.kc.makeApiClient(AuthorizationV1Api);
    const r = await guarded(() =>
      authz.createSelfSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {
            resourceAttributes: {
              verb: c.verb,
              group: c.group ?? '',
              resource: c.resource,
              subresource: c.subresource,
              namespace: c.namespace,
              name: c.name,
            },
          },
        },
      }),
    );
    const allowed = r.status?.allowed === true;
    this.conn.access.set(key, { allowed, until: Date.now() + this.accessTtlMs });
    return allowed;
  }

  /** The usual verbs for a kind in a namespace, so a face can enable or hide its actions in one call. */
  async canIAll(
    kind: string,
    namespace?: string,
    verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  ): Promise<Record<string, boolean>> {
    const d = this.kind(kind);
    const entries = await Promise.all(
      verbs.map(
        async (v) =>
          [
            v,
            await this.canI({
              verb: v,
              group: d.group,
              resource: d.plural,
              namespace: d.namespaced ? namespace : undefined,
            }),
          ] as const,
      ),
    );
    return Object.fromEntries(entries);
  }
}

/** A per-object failure as a face shows it; server-side apply conflicts name each manager and field. */
function applyErrorOf(k: KubeError): NonNullable<ManifestObjectResult['error']> {
  const out: NonNullable<ManifestObjectResult['error']> = { code: k.code, message: k.message };
  if (k.status) out.status = k.status;
  const causes = (
    (k.details as { causes?: Array<{ reason?: string; message?: string; field?: string }> } | undefined)?.causes ?? []
  ).filter((c) => c.reason === 'FieldManagerConflict');
  if (causes.length) {
    out.conflicts = causes.map((c) => ({
      manager: (c.message ?? '').replace(/^conflict with /, ''),
      field: c.field ?? '',
    }));
    out.message = `${k.message.split('\n')[0]} — apply again with force to take over these fields`;
  }
  return out;
}
