// Routes of the metrics engine (metrics.k8s.io sampling, history) and its stream.
import { z } from 'zod';
import { route } from '../route';
import type { MetricsHistory, MetricsSnapshot, MetricsStatus, PodMetric } from '../metrics';
import { base, int, name, namespaceFilter, namespaceName } from './params';

export const METRIC_ROUTES = {
  metrics: route<MetricsSnapshot>()(
    'GET',
    '/api/metrics',
    'metrics',
    'Get cluster metrics snapshot (available:false with a reason when metrics.k8s.io is absent)',
    z.object({ ...base, namespace: namespaceFilter }),
  ),
  'metrics.snapshot': route<{ snapshot: MetricsSnapshot; history: MetricsHistory }>()(
    'GET',
    '/api/metrics/snapshot',
    'metrics',
    'Get metrics snapshot with history (cluster, node or pod; memory ring or stored 5-minute buckets)',
    z.object({
      ...base,
      kind: z.enum(['cluster', 'node', 'pod']).optional(),
      name: name.optional(),
      namespace: namespaceName.optional(),
      minutes: int(1, 60 * 24 * 7).optional(),
    }),
  ),
  'metrics.status': route<MetricsStatus>()(
    'GET',
    '/api/metrics/status',
    'metrics',
    'Get metrics system status',
    z.object({ ...base }),
  ),
  'pods.metrics': route<{ available: boolean; reason?: string; timestamp: string; pods: PodMetric[] }>()(
    'GET',
    '/api/pods/metrics',
    'metrics',
    'Get pod metrics',
    z.object({ ...base, namespace: namespaceFilter }),
  ),
  'ws.metrics': route<never>()(
    'WS',
    '/ws/metrics',
    'metrics',
    'Real-time metrics stream ({"action":"subscribe","interval":5000})',
    z.object({ ...base, namespace: namespaceFilter }),
    { role: 'viewer' },
  ),
} as const;
