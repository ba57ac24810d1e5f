// Pod logs through client-node's Log: one container, all containers, or every pod of a workload merged by time.
import { Writable } from 'node:stream';
import { Log, type KubeConfig } from '@kubernetes/client-node';
import { toKubeError, type KubeError } from './errors';

export interface LogOptions {
  follow?: boolean;
  tailLines?: number;
  previous?: boolean;
  sinceSeconds?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

export interface LogSource {
  namespace: string;
  pod: string;
  container: string;
}

export interface LogLine {
  pod: string;
  container: string;
  /** RFC3339 timestamp when known (merged logs always ask for one so they can interleave). */
  time?: string;
  text: string;
}

export interface LogStream {
  stop(): void;
  /** Resolves when every source ended (follow: when stopped or the pods went away); rejects on the first error if nothing was read. */
  readonly done: Promise<void>;
}

const TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (.*)$/s;

/** Streams lines from several sources; `onLine` gets each whole line as it arrives. */
export function streamLogs(
  kc: KubeConfig,
  sources: LogSource[],
  o: LogOptions,
  onLine: (l: LogLine) => void,
): LogStream {
  const log = new Log(kc);
  const controllers: AbortController[] = [];
  const finishers: Array<() => void> = [];
  let stopped = false;
  const wantTs = o.timestamps || sources.length > 1;
  const runs = sources.map(
    (src) =>
      new Promise<void>((resolve, reject) => {
        let buf = '';
        const emit = (line: string) => {
          const m = wantTs ? TS.exec(line) : null;
          onLine(
            m
              ? { pod: src.pod, container: src.container, time: m[1], text: o.timestamps ? line : m[2] }
              : { pod: src.pod, container: src.container, text: line },
          );
        };
        const sink = new Writable({
          write(chunk: Buffer, _e, cb) {
            buf += chunk.toString('utf8');
            let i: number;
            while ((i = buf.indexOf('\n')) >= 0) {
              emit(buf.slice(0, i));
              buf = buf.slice(i + 1);
            }
            cb();
          },
          final(cb) {
            if (buf) emit(buf);
            buf = '';
            cb();
          },
        });
        let finished = false;
        const finish = (err?: unknown) => {
          if (finished) return;
          finished = true;
          if (buf) {
            emit(buf);
            buf = '';
          }
          if (err && !stopped) reject(toKubeError(err));
          else resolve();
        };
        sink.on('finish', () => finish());
        finishers.push(() => finish());
        log
          .log(src.namespace, src.pod, src.container, sink, (err: unknown) => finish(err), {
            follow: o.follow,
            tailLines: o.tailLines,
            previous: o.previous,
            sinceSeconds: o.sinceSeconds,
            timestamps: wantTs,
            limitBytes: o.limitBytes,
          })
          .then((c) => {
            controllers.push(c);
            if (stopped) c.abort();
          })
          .catch((e) => finish(e));
      }),
  );
  const done = Promise.allSettled(runs).then((rs) => {
    const failed = rs.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length === rs.length && failed.length) throw failed[0].reason as KubeError;
  });
  return {
    stop: () => {
      stopped = true;
      controllers.forEach((c) => c.abort());
      // An aborted body never ends the sink: settle every source ourselves.
      finishers.forEach((f) => f());
    },
    done,
  };
}

/** Reads logs to the end (no follow) and returns them; several sources are interleaved by timestamp. */
export async function readLogs(kc: KubeConfig, sources: LogSource[], o: LogOptions): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  const s = streamLogs(kc, sources, { ...o, follow: false }, (l) => lines.push(l));
  await s.done;
  if (sources.length > 1) {
    // Stable sort keeps each source's own order for equal or missing timestamps.
    return lines
      .map((l, i) => ({ l, i }))
      .sort((a, b) => (a.l.time ?? '').localeCompare(b.l.time ?? '') || a.i - b.i)
      .map((x) => x.l);
  }
  return lines;
}
