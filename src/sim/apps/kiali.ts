// Kiali's HTTP API subset under its web root (/kiali as the Istio addon sets it): status, healthz, namespaces, and
// the namespace graph (GET /api/namespaces/graph?namespaces=a,b) in Kiali's Cytoscape JSON. Traffic is derived from
// what the cluster wires together: ingress backends (from the ingress gateway), Service hosts named in ConfigMaps,
// and NetworkPolicy "from" pods. Rates move with simulated time; workloads without ready pods fail their requests.
import { createHash } from 'node:crypto';
import type { AppRequest, AppResponse, SimApp } from './app';
import { seedOf, wave } from './app';
import { isReady } from '../controllers/runtime';

/** A demo knob on a Deployment or StatefulSet: the percentage of its requests answered 5xx while its pods are ready. */
export const HTTP_ERRORS_ANNOTATION = 'sim.kubegraf.io/http-error-percent';

const ROOT = '/kiali';
const VERSION = 'v2.1.0';
const GRAPH_TYPES = ['workload', 'app', 'versionedApp', 'service'];
const DURATION = /^(\d+)(s|m|h|d)$/;

interface Wl {
  namespace: string;
  name: string;
  kind: string;
  app: string;
  version: string;
  ready: number;
  replicas: number;
  services: string[];
  errorPercent: number;
}

// Kiali's node and edge ids are hashes of what they name; a prefix of the name would collide (payments/payments-api
// and payments/payments-worker share their first 16 bytes).
const id = (s: string) => createHash('md5').update(s).digest('hex');

function workloads(r: AppRequest, ns: string): Wl[] {
  const out: Wl[] = [];
  const svcs = [...r.ctx.store.iterate('services', ns)];
  const pods = [...r.ctx.store.iterate('pods', ns)];
  for (const [tk, kind] of [
    ['deployments', 'Deployment'],
    ['statefulsets', 'StatefulSet'],
  ] as const) {
    for (const d of r.ctx.store.iterate(tk.startsWith('deploy') ? 'apps/deployments' : 'apps/statefulsets', ns)) {
      const sel = (d.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
      const mine = pods.filter((p) => Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v));
      const tl = (d.spec?.template?.metadata?.labels ?? {}) as Record<string, string>;
      out.push({
        namespace: ns,
        name: d.metadata.name,
        kind,
        app: tl.app ?? tl['app.kubernetes.io/name'] ?? d.metadata.name,
        version: tl.version ?? 'v1',
        ready: mine.filter((p) => isReady(p)).length,
        replicas: d.spec?.replicas ?? 1,
        errorPercent: Math.min(100, Math.max(0, Number(d.metadata.annotations?.[HTTP_ERRORS_ANNOTATION]) || 0)),
        services: svcs
          .filter(
            (s) =>
              s.spec?.selector &&
              Object.keys(s.spec.selector).length &&
              Object.entries(s.spec.selector as Record<string, string>).every(([k, v]) => tl[k] === v),
          )
          .map((s) => s.metadata.name),
      });
    }
  }
  return out;
}

interface Edge {
  from: Wl | 'gateway';
  to: Wl;
  service: string;
}

function edges(r: AppRequest, nss: string[], all: Wl[]): Edge[] {
  const out: Edge[] = [];
  const bySvc = (ns: string, svc: string) => all.find((w) => w.namespace === ns && w.services.includes(svc));
  const push = (from: Wl | 'gateway', ns: string, svc: string) => {
    const to = bySvc(ns, svc);
    if (to && to !== from && !out.some((e) => e.from === from && e.to === to)) out.push({ from, to, service: svc });
  };
  for (const ns of nss) {
    for (const ing of r.ctx.store.iterate('networking.k8s.io/ingresses', ns)) {
      for (const rule of ing.spec?.rules ?? [])
        for (const p of rule.http?.paths ?? [])
          if (p.backend?.service?.name) push('gateway', ns, p.backend.service.name);
    }
    // "http://catalog.shop.svc:8080" in a workload's config: that workload calls the service.
    for (const cm of r.ctx.store.iterate('configmaps', ns)) {
      const owner = all.find((w) => w.namespace === ns && cm.metadata.name.startsWith(`${w.name}-`));
      if (!owner) continue;
      for (const v of Object.values((cm.data ?? {}) as Record<string, string>)) {
        for (const m of String(v).matchAll(/\b([a-z0-9-]+)\.([a-z0-9-]+)\.svc\b/g)) push(owner, m[2], m[1]);
      }
    }
    for (const np of r.ctx.store.iterate('networking.k8s.io/networkpolicies', ns)) {
      const target = all.filter(
        (w) =>
          w.namespace === ns &&
          Object.entries((np.spec?.podSelector?.matchLabels ?? {}) as Record<string, string>).every(
            ([k, v]) => k === 'app' && v === w.app,
          ),
      );
      for (const rule of np.spec?.ingress ?? []) {
        for (const f of rule.from ?? []) {
          const app = f.podSelector?.matchLabels?.app;
          const src = app && !f.namespaceSelector ? all.find((w) => w.namespace === ns && w.app === app) : undefined;
          if (src) for (const t of target) for (const s of t.services.slice(0, 1)) push(src, ns, s);
        }
      }
    }
  }
  return out;
}

function graph(r: AppRequest): AppResponse {
  const nss = (r.query.get('namespaces') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!nss.length)
    return {
      status: 400,
      body: { error: 'at least one namespace must be specified via the namespaces query parameter.' },
    };
  const graphType = r.query.get('graphType') ?? 'workload';
  if (!GRAPH_TYPES.includes(graphType)) return { status: 400, body: { error: `Invalid graphType [${graphType}]` } };
  const duration = r.query.get('duration') ?? '10m';
  const dm = DURATION.exec(duration);
  if (!dm) return { status: 400, body: { error: `Invalid duration [${duration}]` } };
  for (const ns of nss)
    if (!r.ctx.store.get('namespaces', undefined, ns))
      return { status: 403, body: { error: `No permissions to read namespace [${ns}] or it does not exist` } };
  const secs = Number(dm[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[dm[2] as 's']!;
  const all = nss.flatMap((ns) => workloads(r, ns));
  const es = edges(r, nss, all);
  const nodes: Array<{ data: Record<string, unknown> }> = [];
  const gwId = id('istio-system/istio-ingressgateway');
  const nodeId = (w: Wl) => id(`${w.namespace}/${w.name}`);
  const rateIn = new Map<string, number>();
  const rateOut = new Map<string, number>();
  const edgeOut = es.map((e) => {
    const src = e.from === 'gateway' ? 'gateway' : `${e.from.namespace}/${e.from.name}`;
    const rate = Math.round((2 + 18 * wave(r.ctx, seedOf(`${src}>${e.to.name}`))) * 100) / 100;
    const failing = e.to.ready === 0;
    const pct5xx = failing ? 100 : e.to.errorPercent || (e.to.ready < e.to.replicas ? 5 : 0);
    const key = e.from === 'gateway' ? gwId : nodeId(e.from);
    rateOut.set(key, (rateOut.get(key) ?? 0) + rate);
    rateIn.set(nodeId(e.to), (rateIn.get(nodeId(e.to)) ?? 0) + rate);
    const responses: Record<string, unknown> = failing
      ? { '503': { flags: { UH: '100.0' }, hosts: { [`${e.service}.${e.to.namespace}.svc.cluster.local`]: '100.0' } } }
      : pct5xx
        ? {
            '200': { flags: { '-': String(100 - pct5xx) + '.0' } },
            // The app's own errors pass Envoy unflagged; unready backends show as upstream failures.
            ...(e.to.errorPercent
              ? { '500': { flags: { '-': String(pct5xx) + '.0' } } }
              : { '503': { flags: { UF: String(pct5xx) + '.0' } } }),
          }
        : {
            '200': {
              flags: { '-': '100.0' },
              hosts: { [`${e.service}.${e.to.namespace}.svc.cluster.local`]: '100.0' },
            },
          };
    const rates: Record<string, string> = { http: rate.toFixed(2), httpPercentReq: '100.0' };
    if (pct5xx) rates.http5xx = ((rate * pct5xx) / 100).toFixed(2);
    return {
      data: {
        id: id(`${key}>${nodeId(e.to)}`),
        source: key,
        target: nodeId(e.to),
        traffic: { protocol: 'http', rates, responses },
        responseTime: String(failing ? 1 : Math.round(20 + 60 * wave(r.ctx, seedOf(e.to.name) + 1))),
        throughput: String(Math.round(rate * 2048)),
        isMTLS: '100',
        // Kiali's default tolerance for HTTP 5xx: any is Degraded, more than 10% is Failure.
        healthStatus: pct5xx > 10 ? 'Failure' : pct5xx ? 'Degraded' : 'Healthy',
      },
    };
  });
  if (es.some((e) => e.from === 'gateway')) {
    nodes.push({
      data: {
        id: gwId,
        nodeType: 'workload',
        cluster: 'Kubernetes',
        namespace: 'istio-system',
        workload: 'istio-ingressgateway',
        app: 'istio-ingressgateway',
        version: 'latest',
        isRoot: true,
        isOutside: !nss.includes('istio-system'),
        traffic: [{ protocol: 'http', rates: { httpOut: (rateOut.get(gwId) ?? 0).toFixed(2) } }],
      },
    });
  }
  for (const w of all) {
    const rates: Record<string, string> = {};
    if (rateIn.has(nodeId(w))) rates.httpIn = rateIn.get(nodeId(w))!.toFixed(2);
    if (rateOut.has(nodeId(w))) rates.httpOut = rateOut.get(nodeId(w))!.toFixed(2);
    nodes.push({
      data: {
        id: nodeId(w),
        nodeType: graphType === 'service' ? 'service' : graphType === 'workload' ? 'workload' : 'app',
        cluster: 'Kubernetes',
        namespace: w.namespace,
        workload: w.name,
        app: w.app,
        version: w.version,
        ...(w.services[0] ? { service: w.services[0] } : {}),
        ...(Object.keys(rates).length ? { traffic: [{ protocol: 'http', rates }] } : {}),
        healthData: {
          workloadStatus: {
            name: w.name,
            desiredReplicas: w.replicas,
            currentReplicas: w.replicas,
            availableReplicas: w.ready,
            syncedProxies: w.ready,
          },
        },
        ...(!rateIn.has(nodeId(w)) && !rateOut.has(nodeId(w)) ? { isIdle: true } : {}),
      },
    });
  }
  return {
    status: 200,
    body: { timestamp: Math.floor(Date.now() / 1000), duration: secs, graphType, elements: { nodes, edges: edgeOut } },
  };
}

export const kialiApp: SimApp = (r) => {
  if (r.method !== 'GET' && r.method !== 'HEAD') return { status: 405, body: { error: 'method not allowed' } };
  if (!r.path.startsWith(ROOT + '/') && r.path !== ROOT)
    return {
      status: 302,
      headers: { Location: `${ROOT}/` },
      contentType: 'text/html; charset=utf-8',
      body: `<a href="${ROOT}/">Found</a>.\n`,
    };
  const p = r.path.slice(ROOT.length) || '/';
  if (p === '/healthz') return { status: 200, contentType: 'text/plain; charset=utf-8', body: '' };
  if (p === '/api' || p === '/api/status') {
    return {
      status: 200,
      body: {
        status: {
          'Kiali commit hash': 'ad4ce6f0',
          'Kiali container version': VERSION,
          'Kiali state': 'running',
          'Kiali version': VERSION,
          'Disabled features': '',
        },
        externalServices: [
          { name: 'Istio', version: '1.24.1' },
          { name: 'Prometheus', version: '2.54.1' },
          { name: 'Kubernetes', version: `v1.${r.ctx.kubeMinor}.0` },
        ],
        warningMessages: [],
        istioEnvironment: { istioAPIEnabled: true },
      },
    };
  }
  if (p === '/api/namespaces')
    return {
      status: 200,
      body: [...r.ctx.store.iterate('namespaces')].map((n) => ({
        name: n.metadata.name,
        cluster: 'Kubernetes',
        isAmbient: false,
        labels: n.metadata.labels ?? {},
        annotations: {},
      })),
    };
  if (p === '/api/namespaces/graph') return graph(r);
  const h = /^\/api\/namespaces\/([^/]+)\/health$/.exec(p);
  if (h) {
    if (!r.ctx.store.get('namespaces', undefined, h[1]))
      return { status: 404, body: { error: `Namespace [${h[1]}] is not accessible for Kiali` } };
    const out: Record<string, unknown> = {};
    for (const w of workloads(r, h[1]))
      out[w.name] = {
        workloadStatus: {
          name: w.name,
          desiredReplicas: w.replicas,
          currentReplicas: w.replicas,
          availableReplicas: w.ready,
          syncedProxies: w.ready,
        },
        requests: { inbound: {}, outbound: {}, healthAnnotations: {} },
      };
    return { status: 200, body: out };
  }
  if (p === '/' || p === '')
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><title>Kiali</title><div id="root"></div>',
    };
  return { status: 404, body: { error: 'Not Found' } };
};
