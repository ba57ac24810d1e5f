// Namespaces: new ones get their default ServiceAccount; deleted ones take their
// contents with them. Finalizers that belong to controllers simulated here are released (the garbage
// collector's own, foregroundDeletion and orphan, by it: gc.ts).
import type { Runtime } from './runtime';

/** Finalizers whose owners would release them promptly on a real cluster. */
const RELEASED_FINALIZERS = new Set([
  'kubernetes',
  'kubernetes.io/pvc-protection',
  'kubernetes.io/pv-protection',
  'batch.kubernetes.io/job-tracking',
  'resources-finalizer.argocd.argoproj.io',
  'finalizer.kserve.io',
]);

export function installNamespaces(r: Runtime): void {
  r.on('namespaces', (e) => {
    const ns = e.object;
    if (e.type === 'DELETED' || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating')
      r.enqueue('namespace-purge', ns.metadata.name);
    else if (e.type === 'ADDED') r.enqueue('namespace-init', ns.metadata.name);
  });
  r.handle('namespace-init', (name) => {
    const ns = r.get('namespaces', undefined, name);
    if (!ns) return;
    if (!ns.status?.phase) r.setStatus('namespaces', ns, { phase: 'Active' });
    if (!r.get('serviceaccounts', name, 'default'))
      r.create('serviceaccounts', { metadata: { name: 'default', namespace: name } });
  });
  r.handle('namespace-purge', (name) => {
    for (const rt of r.ctx.types.all()) {
      if (!rt.namespaced || rt.virtual) continue;
      const tk = rt.group ? `${rt.group}/${rt.resource}` : rt.resource;
      for (const o of [...r.ctx.store.iterate(tk, name)]) r.guard(() => r.remove(tk, name, o.metadata.name));
    }
    const ns = r.get('namespaces', undefined, name);
    if (ns && (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating')) {
      r.after(200, () => {
        const cur = r.get('namespaces', undefined, name);
        if (!cur || cur.metadata.uid !== ns.metadata.uid) return;
        if (cur.metadata.finalizers?.length)
          r.update('namespaces', { ...cur, metadata: { ...cur.metadata, finalizers: [] } });
        r.remove('namespaces', undefined, name);
      });
    }
  });

  r.on('*', (e) => {
    const o = e.object;
    if (e.type === 'DELETED' || !o.metadata.deletionTimestamp || !o.metadata.finalizers?.length) return;
    if (!o.metadata.finalizers.some((f) => RELEASED_FINALIZERS.has(f))) return;
    r.enqueue('finalizers', `${e.tk}|${o.metadata.namespace ?? ''}|${o.metadata.name}`);
  });
  r.handle('finalizers', (k) => {
    const [tk, ns, name] = k.split('|');
    r.after(300, () => {
      const o = r.get(tk, ns || undefined, name);
      if (!o?.metadata.deletionTimestamp) return;
      r.update(tk, {
        ...o,
        metadata: {
          ...o.metadata,
          finalizers: (o.metadata.finalizers ?? []).filter((f) => !RELEASED_FINALIZERS.has(f)),
        },
      });
    });
  });
}
