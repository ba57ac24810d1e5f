// Services: cluster IPs and node ports where the API server would have allocated them, load balancer
// addresses, and Endpoints and EndpointSlices kept from the ready (and not-ready) pods each selector matches.
import type { KObj } from '../store';
import type { Runtime } from './runtime';
import type { Json } from './runtime';
import { isReady, isTerminal, keyOf, ownerRef } from './runtime';

const selects = (sel: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!sel && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels?.[k] === v);

export function installEndpoints(r: Runtime): void {
  let ipSeq = 10;
  let portSeq = 30080;
  let lbSeq = 10;
  r.on('services', (e) => {
    if (e.type === 'DELETED') r.guard(() => r.remove('endpoints', e.object.metadata.namespace, e.object.metadata.name));
    else r.enqueue('endpoints', keyOf(e.object));
  });
  r.on('pods', (e) => {
    const ns = e.object.metadata.namespace;
    for (const svc of r.ctx.store.iterate('services', ns))
      if (selects(svc.spec?.selector, e.object.metadata.labels)) r.enqueue('endpoints', keyOf(svc));
  });

  r.handle('endpoints', (key) => {
    let svc = r.byKey('services', key);
    if (!svc || svc.spec?.type === 'ExternalName') return;
    // Allocation the API server does on create, when the service arrived without it.
    const spec = { ...svc.spec };
    let changed = false;
    if (!spec.clusterIP) {
      spec.clusterIP = `10.96.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`;
      spec.clusterIPs = [spec.clusterIP];
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      spec.internalTrafficPolicy ??= 'Cluster';
      changed = true;
    }
    if (
      (spec.type === 'NodePort' || spec.type === 'LoadBalancer') &&
      (spec.ports ?? []).some((p: KObj) => !p.nodePort)
    ) {
      spec.ports = spec.ports.map((p: KObj) => (p.nodePort ? p : { ...p, nodePort: portSeq++ }));
      spec.externalTrafficPolicy ??= 'Cluster';
      changed = true;
    }
    if (changed) svc = r.update('services', { ...svc, spec });
    if (spec.type === 'LoadBalancer' && !svc.status?.loadBalancer?.ingress?.length) {
      const ip = `203.0.113.${lbSeq++ % 250}`;
      svc = r.setStatus('services', svc, {
        loadBalancer: { ingress: [{ ip, ...(r.ctx.kubeMinor >= 30 ? { ipMode: 'VIP' } : {}) }] },
      });
      r.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer', 'service-controller');
    }
    const sel = svc.spec?.selector as Record<string, string> | undefined;
    if (!sel || Object.keys(sel).length === 0) return; // endpoints of selector-less services are the user's
    const ns = svc.metadata.namespace!;
    const groups = new Map<string, { ports: Json[]; addresses: Json[]; notReadyAddresses: Json[] }>();
    const sliceGroups = new Map<string, { ports: Json[]; endpoints: Json[] }>();
    for (const pod of r.ctx.store.iterate('pods', ns)) {
      if (!selects(sel, pod.metadata.labels) || isTerminal(pod) || !pod.status?.podIP) continue;
      const ports = resolvePorts(svc, pod);
      if (!ports) continue;
      const sig = JSON.stringify(ports);
      const targetRef = { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid };
      // EndpointSlices keep terminating pods (marked so); Endpoints drop them.
      let sg = sliceGroups.get(sig);
      if (!sg) sliceGroups.set(sig, (sg = { ports, endpoints: [] }));
      const terminating = !!pod.metadata.deletionTimestamp;
      const serving = isReady(pod) || !!svc.spec.publishNotReadyAddresses;
      sg.endpoints.push({
        addresses: [pod.status.podIP],
        conditions: { ready: serving && !terminating, serving, terminating },
        nodeName: pod.spec.nodeName,
        targetRef,
      });
      if (terminating && !svc.spec.publishNotReadyAddresses) continue;
      let g = groups.get(sig);
      if (!g) groups.set(sig, (g = { ports, addresses: [], notReadyAddresses: [] }));
      const addr = { ip: pod.status.podIP, nodeName: pod.spec.nodeName, targetRef };
      (isReady(pod) || svc.spec.publishNotReadyAddresses ? g.addresses : g.notReadyAddresses).push(addr);
    }
    syncSlices(r, svc, [...sliceGroups.values()]);
    const byIp = (a: Json, b: Json) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
    const subsets = [...groups.values()].map((g) => ({
      ...(g.addresses.length ? { addresses: g.addresses.sort(byIp) } : {}),
      ...(g.notReadyAddresses.length ? { notReadyAddresses: g.notReadyAddresses.sort(byIp) } : {}),
      ports: g.ports,
    }));
    const ep = r.get('endpoints', ns, svc.metadata.name);
    const body = {
      metadata: { name: svc.metadata.name, namespace: ns, labels: { ...(svc.metadata.labels ?? {}) } },
      ...(subsets.length ? { subsets } : {}),
    };
    if (!ep) r.create('endpoints', body);
    else {
      const next = { ...ep, metadata: { ...ep.metadata, labels: body.metadata.labels } } as KObj;
      if (subsets.length) next.subsets = subsets;
      else delete next.subsets;
      r.update('endpoints', next);
    }
  });
}

/** Service ports with targetPort resolved against the pod's container ports; undefined if a named port is missing. */
function resolvePorts(svc: KObj, pod: KObj): Json[] | undefined {
  const out: Json[] = [];
  for (const p of svc.spec.ports ?? []) {
    let port = p.targetPort ?? p.port;
    if (typeof port === 'string' && !/^\d+$/.test(port)) {
      const named = (pod.spec.containers ?? [])
        .flatMap((c: KObj) => c.ports ?? [])
        .find((cp: KObj) => cp.name === port);
      if (!named) return undefined;
      port = named.containerPort;
    }
    out.push({
      ...(p.name ? { name: p.name } : {}),
      port: Number(port),
      protocol: p.protocol ?? 'TCP',
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    });
  }
  return out;
}

const SLICES = 'discovery.k8s.io/endpointslices';
const SERVICE_NAME = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const CONTROLLER = 'endpointslice-controller.k8s.io';
/** The endpointslice controller's default --max-endpoints-per-slice. */
const MAX_PER_SLICE = 100;

/** One slice per distinct port set (split past 100 endpoints), reusing the service's existing slices by name order. */
function syncSlices(r: Runtime, svc: KObj, groups: Array<{ ports: Json[]; endpoints: Json[] }>): void {
  const ns = svc.metadata.namespace!;
  const byIp = (a: Json, b: Json) => (a.addresses[0] < b.addresses[0] ? -1 : a.addresses[0] > b.addresses[0] ? 1 : 0);
  const want: Array<{ ports: Json[]; endpoints: Json[] }> = [];
  for (const g of groups) {
    const eps = g.endpoints.sort(byIp);
    for (let i = 0; i < eps.length; i += MAX_PER_SLICE)
      want.push({ ports: g.ports, endpoints: eps.slice(i, i + MAX_PER_SLICE) });
  }
  // A service that selects nothing still has one (empty) slice, as the controller keeps one.
  if (!want.length) want.push({ ports: [], endpoints: [] });
  const existing = r.ctx.store
    .dependents(svc.metadata.uid!)
    .filter((d) => d.tk === SLICES && d.object.metadata.labels?.[MANAGED_BY] === CONTROLLER)
    .map((d) => d.object)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const labels = { ...(svc.metadata.labels ?? {}), [SERVICE_NAME]: svc.metadata.name, [MANAGED_BY]: CONTROLLER };
  want.forEach((w, i) => {
    const body = {
      addressType: 'IPv4',
      endpoints: w.endpoints,
      ports: w.ports.map((p) => ({
        name: p.name ?? '',
        port: p.port,
        protocol: p.protocol,
        ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
      })),
    };
    const cur = existing[i];
    if (!cur) {
      r.create(SLICES, {
        metadata: {
          name: '',
          generateName: `${svc.metadata.name}-`,
          namespace: ns,
          labels,
          ownerReferences: [ownerRef(svc)],
        },
        ...body,
      });
    } else {
      r.update(SLICES, { ...cur, metadata: { ...cur.metadata, labels }, ...body });
    }
  });
  for (const extra of existing.slice(want.length)) r.remove(SLICES, ns, extra.metadata.name);
}
