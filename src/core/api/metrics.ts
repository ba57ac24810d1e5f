// Handlers of METRIC_ROUTES, and the `/ws/metrics` stream: `{"action":"subscribe","interval":5000}` starts a
// snapshot every interval (at least the sampling interval apart in content, never faster than 1 s).
import type { SocketPeer } from '../../shared/socket';
import type { Handlers } from '../../shared/route';
import type { METRIC_ROUTES } from '../../shared/routes/metrics';
import type { MetricsServerMessage } from '../../shared/metrics';
import type { KubeEngine } from '../kube/engine';
import type { MetricsEngine } from '../metrics/engine';
import { badRequest } from './errors';

export interface MetricsDeps {
  metrics: MetricsEngine;
  kube: KubeEngine;
}

type H = Handlers<typeof METRIC_ROUTES, MetricsDeps>;

async function started(d: MetricsDeps, c?: string): Promise<string> {
  const context = c || d.kube.currentContext();
  if (!context) throw badRequest('no kubeconfig context: add a cluster first');
  await d.metrics.start(context);
  return context;
}

export const METRIC_HANDLERS: Omit<H, 'ws.metrics'> = {
  metrics: async (p, d) => d.metrics.snapshot(await started(d, p.context), p.namespace || undefined),
  'metrics.snapshot': async (p, d) => {
    const context = await started(d, p.context);
    return {
      snapshot: d.metrics.snapshot(context),
      history: d.metrics.history(context, { kind: p.kind, name: p.name, namespace: p.namespace, minutes: p.minutes }),
    };
  },
  'metrics.status': async (p, d) => d.metrics.status(await started(d, p.context)),
  'pods.metrics': async (p, d) => d.metrics.podMetrics(await started(d, p.context), p.namespace || undefined),
};

export function metricsStream(
  ws: SocketPeer,
  params: { context?: string; namespace?: string },
  deps: MetricsDeps,
): void {
  let timer: NodeJS.Timeout | undefined;
  let namespace = params.namespace || undefined;
  const context = params.context || deps.kube.currentContext();
  const send = (m: MetricsServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  ws.on('message', (raw) => {
    let msg: { action?: string; interval?: unknown; namespace?: unknown };
    try {
      msg = JSON.parse(String(raw)) as typeof msg;
    } catch {
      return send({
        type: 'error',
        error: { code: 'badRequest', message: 'messages must be JSON: {"action":"subscribe","interval":5000}' },
      });
    }
    if (msg.action === 'unsubscribe') return stop();
    if (msg.action !== 'subscribe')
      return send({
        type: 'error',
        error: { code: 'badRequest', message: `unknown action "${String(msg.action)}" (subscribe, unsubscribe)` },
      });
    const interval = msg.interval === undefined ? 5000 : Number(msg.interval);
    if (!Number.isFinite(interval) || interval < 1000 || interval > 3_600_000)
      return send({
        type: 'error',
        error: { code: 'badRequest', message: 'interval must be between 1000 and 3600000 ms' },
      });
    if (typeof msg.namespace === 'string') namespace = msg.namespace || undefined;
    stop();
    void deps.metrics
      .start(context)
      .then(() => {
        if (ws.readyState !== ws.OPEN) return;
        send(deps.metrics.snapshot(context, namespace));
        timer = setInterval(() => send(deps.metrics.snapshot(context, namespace)), interval);
      })
      .catch((e: Error) => send({ type: 'error', error: { code: 'notFound', message: e.message } }));
  });
  ws.on('close', stop);
  ws.on('error', stop);
}
