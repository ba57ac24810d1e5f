// The `/ws/metrics` stream: a snapshot per interval, kept as a short history for the charts.
import { createSignal } from 'solid-js';
import type { MetricsPoint, MetricsServerMessage, MetricsSnapshot } from '../../../src/shared/metrics';
import type { Channel } from '../host/transport';
import { api } from './app';
import { toApiError } from '../host/apiError';

const KEEP = 120;

export const [latest, setLatest] = createSignal<MetricsSnapshot | undefined>();
/** Cluster-level points: the server's recent history first, then one per live snapshot. */
export const [history, setHistory] = createSignal<MetricsPoint[]>([]);
export const [metricsError, setMetricsError] = createSignal<string | undefined>();
export const [metricsState, setMetricsState] = createSignal<'connecting' | 'open' | 'closed'>('closed');

let channel: Channel | undefined;
let users = 0;
let retry = 0;

let opened = false;

/** A WebSocket handshake failure hides the HTTP status: ask the status route why, and stop retrying on a 501. */
async function explain(reason: string | undefined, wasOpen: boolean): Promise<void> {
  if (!wasOpen) {
    try {
      const st = await api().call('metrics.status', {});
      if (!st.available) setMetricsError(`Metrics are not available: ${st.reason ?? 'metrics.k8s.io does not answer'}`);
    } catch (e) {
      const err = toApiError(e);
      setMetricsError(
        err.notImplemented ? `Not available yet: ${err.message}` : `Metrics stream failed: ${err.message}`,
      );
      if (err.notImplemented) return;
    }
  } else setMetricsError(`Metrics stream disconnected${reason ? `: ${reason}` : ''}; reconnecting…`);
  setTimeout(() => users > 0 && !channel && connect(), Math.min(15_000, 1000 * 2 ** retry++));
}

function connect(): void {
  opened = false;
  channel = api().channel(
    'ws.metrics',
    {},
    {
      onState: (s, reason) => {
        setMetricsState(s);
        if (s === 'open') {
          retry = 0;
          channel?.send(JSON.stringify({ action: 'subscribe', interval: 5000 }));
        }
        if (s === 'open') opened = true;
        if (s === 'closed') {
          channel = undefined;
          if (users > 0) void explain(reason, opened);
        }
      },
      onMessage: (data) => {
        let m: MetricsServerMessage;
        try {
          m = JSON.parse(data) as MetricsServerMessage;
        } catch {
          return;
        }
        if ('type' in m && m.type === 'error') {
          setMetricsError(m.error.message);
          return;
        }
        const snap = m as MetricsSnapshot;
        setMetricsError(snap.available ? undefined : (snap.reason ?? 'Metrics are not available'));
        setLatest(snap);
        if (snap.available) {
          const c = snap.cluster;
          setHistory((h) => [
            ...h.slice(-(KEEP - 1)),
            {
              time: snap.timestamp,
              cpuMillicores: c.cpuMillicores,
              memoryMiB: c.memoryMiB,
              cpuPercent: c.cpuPercent,
              memoryPercent: c.memoryPercent,
            },
          ]);
        }
      },
    },
  );
}

/** Counted: the stream runs while some page shows metrics. Returns the release function. */
export function useMetrics(): () => void {
  users++;
  if (!channel) {
    connect();
    // Charts start with the last half hour the server remembers, not an empty axis.
    api()
      .call('metrics.snapshot', { kind: 'cluster', minutes: 30 })
      .then((r) => {
        if (!history().length || history().length < r.history.points.length)
          setHistory([...r.history.points.slice(-(KEEP - 1))]);
        if (!latest()) setLatest(r.snapshot);
      })
      .catch(() => undefined);
  }
  return () => {
    users--;
    // Leaving one metrics page for another (dashboard → nodes) keeps the stream: the next page takes it over.
    queueMicrotask(() => {
      if (users === 0 && channel) {
        channel.close();
        channel = undefined;
      }
    });
  };
}
