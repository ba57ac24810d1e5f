// Actions against one context. Every method fails with a KubeError (notFound, forbidden, conflict, invalid, ...).
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
import { kindById } from '../../shared/kinds';
import { apiVersionOf, kindId, resourcePath, type KObject, type KindDescriptor } from './descriptors';
import type { DaemonSet, Deployment, StatefulSet, ViewOf } from './objects';
import { describeObject, revisionOf, type DescribeRelated } from './describe';
import { KubeError, guarded, toKubeError } from './errors';
import { startExec, type ExecOptions, type ExecSession } from './execSession';
import { applyManifests, type ApplyManifestsOptions } from './manifestApply';
import { parseOneManifest } from './manifests';
import { readLogs, streamLogs, type LogLine, type LogOptions, type LogSource, type LogStream } from './logs';
import { matchesSelector, type LabelSelector } from './objectIndex';
import type { PortForwards } from './portForward';
import type { WatchCache } from './watchCache';
import { FIELD_MANAGER, forDiff, toYaml } from './writes';

export { toYaml };

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
  get<K extends string>(kind: K, namespace: string | undefined, name: string): Promise<ViewOf<K>> {
    const d = this.kind(kind);
    return guarded(() => this.conn.http.json<ViewOf<K>>(resourcePath(d, namespace, name)));
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

  /**
   * The kind a manifest's `apiVersion` + `kind` name in this cluster (the group must match), or undefined when the
   * cluster serves no such kind.
   */
  kindOf(kind: string, apiVersion: string): KindDescriptor | undefined {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    const d = this.conn.registry.resolve(kind, apiVersion);
    return d && d.kind === kind && d.group === group ? d : undefined;
  }

  /**
   * Stores one object exactly as given, as raw JSON both ways: `create` is a POST, `replace` a PUT of the whole object
   * (without a resourceVersion it is unconditional, as a storage driver writing its own record does).
   */
  async write(how: 'create' | 'replace', kind: string, obj: KObject): Promise<KObject> {
    const d = this.kind(kind);
    const ns = d.namespaced ? obj.metadata.namespace : undefined;
    return guarded(() =>
      this.conn.http.json<KObject>(resourcePath(d, ns, how === 'replace' ? obj.metadata.name : undefined), {
        method: how === 'create' ? 'POST' : 'PUT',
        body: JSON.stringify(obj),
        contentType: 'application/json',
        query: { fieldManager: FIELD_MANAGER },
      }),
    );
  }

  /**
   * A PUT of the object's status subresource, as a controller's UpdateStatus (`cmctl renew` writes a condition this
   * way). The object's resourceVersion makes it conditional: a change in between answers a conflict.
   */
  async replaceStatus(kind: string, obj: KObject): Promise<KObject> {
    const d = this.kind(kind);
    const ns = d.namespaced ? obj.metadata.namespace : undefined;
    return guarded(() =>
      this.conn.http.json<KObject>(`${resourcePath(d, ns, obj.metadata.name)}/status`, {
        method: 'PUT',
        body: JSON.stringify(obj),
        contentType: 'application/json',
        query: { fieldManager: FIELD_MANAGER },
      }),
    );
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
    // Workloads select their pods in spec.selector, a CronJob in its job template.
    const o = (await this.get(kind, namespace, name)) as KObject<{
      selector?: LabelSelector;
      jobTemplate?: { spec?: { selector?: LabelSelector } };
    }>;
    const sel = o.spec?.selector ?? o.spec?.jobTemplate?.spec?.selector;
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

  /** `kubectl rollout restart` (or, for a kind restarted by recreating it, a delete): see restartObject. */
  async restart(
    kind: string,
    namespace: string,
    name: string,
    at = new Date(),
    o: { force?: boolean } = {},
  ): Promise<void> {
    await this.restartObject(kind, namespace, name, at, o);
  }

  /**
   * `kubectl rollout restart`: stamps the pod template so the controller rolls every pod. A kind the shared table
   * restarts by recreating (pods) is deleted instead, so its controller creates it anew; one without a controller
   * only with `force`. Answers what was done.
   */
  async restartObject(
    kind: string,
    namespace: string,
    name: string,
    at = new Date(),
    o: { force?: boolean } = {},
  ): Promise<string> {
    const d = this.kind(kind);
    this.need(d, 'restart');
    if (kindById(kindId(d))?.restartBy === 'recreate') {
      const one = d.kind.toLowerCase();
      const obj = await this.get(kindId(d), namespace, name);
      const ctrl = obj.metadata.ownerReferences?.find((r) => r.controller);
      if (!ctrl && !o.force)
        throw new KubeError(
          'badRequest',
          `${one} ${namespace}/${name} has no controller, so deleting it would not bring it back; pass force=true to delete it anyway`,
        );
      await this.delete(kindId(d), namespace, name);
      return ctrl
        ? `deleted ${one} ${namespace}/${name}; its ${ctrl.kind} ${ctrl.name} will recreate it`
        : `deleted ${one} ${namespace}/${name} (it had no controller)`;
    }
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
    return `restarted ${d.kind} ${namespace}/${name} (rollout restart)`;
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
    const o = (await this.get(kind, namespace, name)) as Deployment | StatefulSet | DaemonSet;
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
      (id === 'statefulsets.apps' && out.find((r) => r.name === (o as StatefulSet).status?.updateRevision)) ||
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

  /** Every object of a multi-document manifest applied server-side, as kubectl does (see manifestApply.ts). */
  applyManifests(
    yamlText: string,
    o: ApplyManifestsOptions = {},
  ): Promise<{ results: ManifestObjectResult[]; applied: number; failed: number }> {
    return applyManifests(this.conn, yamlText, o);
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
