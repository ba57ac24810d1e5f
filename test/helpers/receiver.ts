// A local HTTP receiver for connector tests (node:http on 127.0.0.1, a free port): records every request and answers
// what the test scripts per path (a queue of answers, then the default).
import http from 'node:http';

export interface Received {
  method: string;
  /** Path and query. */
  url: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: any;
}

export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface Receiver {
  base: string;
  requests: Received[];
  /** Requests whose path starts with `prefix`. */
  at(prefix: string): Received[];
  /** The next answers for paths starting with `prefix`, in order; afterwards the default again. */
  script(prefix: string, answers: Answer[]): void;
  /** Resolves once `n` requests reached paths starting with `prefix`. */
  waitFor(prefix: string, n: number, ms?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(defaultAnswer: Answer = { status: 200, body: 'ok' }): Promise<Receiver> {
  const requests: Received[] = [];
  const scripts = new Map<string, Answer[]>();
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const url = req.url ?? '/';
      requests.push({ method: req.method ?? '', url, headers: req.headers, raw, body });
      let answer = defaultAnswer;
      for (const [prefix, queue] of scripts)
        if (url.startsWith(prefix) && queue.length) {
          answer = queue.shift()!;
          break;
        }
      res.writeHead(answer.status, { 'Content-Type': 'text/plain', ...(answer.headers ?? {}) });
      res.end(answer.body ?? '');
      for (const w of [...waiters]) w();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const at = (prefix: string) => requests.filter((r) => r.url.startsWith(prefix));
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    at,
    script: (prefix, answers) => scripts.set(prefix, [...answers]),
    waitFor: (prefix, n, ms = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (at(prefix).length < n) return;
          cleanup();
          resolve(at(prefix));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${prefix} got ${at(prefix).length} of ${n} requests`));
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
