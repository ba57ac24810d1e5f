// Fault injection under /_sim/ (admin token only): what tests use to prove clients survive a real cluster's bad days.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext, User } from './context';
import type { KObj } from './store';
import { StatusError, badRequest, forbidden, notFound } from './status';
import { decodeBody, readBody, sendJson } from './server';

export class Faults {
  private failNext = 0;
  private failCode = 500;
  private latencyMs = 0;
  private pausedUntil = 0;
  private resume: Array<() => void> = [];
  /** Counts of what was injected, for tests to check the fault really happened. */
  readonly injected = { dropped: 0, expired: 0, failed: 0, paused: 0, restarted: 0 };
  /** False while the API server is down for a restart. */
  up = true;

  constructor(
    private readonly ctx: SimContext,
    private readonly watches: Set<ServerResponse>,
    private readonly applyFault: (o: FaultRequest) => KObj,
    private readonly restartServer: (downMs: number) => Promise<void> = async () => {
      throw badRequest('this simulator cannot restart');
    },
  ) {}

  /** Delays or fails a cluster request as configured. Returns true when it answered the request itself. */
  async intercept(_req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (Date.now() < this.pausedUntil) await new Promise<void>((r) => this.resume.push(r));
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    if (this.failNext > 0) {
      this.failNext--;
      this.injected.failed++;
      const e = new StatusError(
        this.failCode,
        this.failCode === 503 ? 'ServiceUnavailable' : 'InternalError',
        'Internal error occurred: injected fault',
      );
      sendJson(res, e.code, e.toStatus());
      return true;
    }
    return false;
  }

  dropWatches(): number {
    const n = this.watches.size;
    for (const w of [...this.watches]) w.destroy();
    this.watches.clear();
    this.injected.dropped += n;
    return n;
  }

  pause(seconds: number): void {
    this.pausedUntil = Date.now() + seconds * 1000;
    this.injected.paused++;
    // Open watch streams go silent too: their bytes are held back until the pause ends.
    const corked = [...this.watches].map((w) => w.socket).filter((s) => s && !s.destroyed);
    corked.forEach((s) => s!.cork());
    setTimeout(() => {
      this.pausedUntil = 0;
      corked.forEach((s) => !s!.destroyed && s!.uncork());
      this.resume.splice(0).forEach((r) => r());
    }, seconds * 1000).unref();
  }

  /**
   * An API server restart: every connection (watches, exec, port-forwards, keep-alive) is cut, the port refuses
   * connections for `seconds`, then the same server comes back with the same store (etcd survives a restart), so
   * clients must reconnect and resume their watches from the resourceVersion they had.
   */
  async restart(seconds: number): Promise<void> {
    this.up = false;
    this.injected.restarted++;
    this.watches.clear();
    try {
      await this.restartServer(seconds * 1000);
    } finally {
      this.up = true;
    }
  }

  async admin(req: IncomingMessage, res: ServerResponse, url: URL, user: User): Promise<boolean> {
    if (user.role !== 'admin') throw forbidden(user.name, 'create', '_sim', '', undefined);
    const q = url.searchParams;
    const num = (k: string, d: number) => {
      const v = q.get(k);
      if (v === null) return d;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw badRequest(`${k} must be a non-negative number`);
      return n;
    };
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /_sim/stats': {
        const counts: Record<string, number> = {};
        for (const rt of this.ctx.types.all()) {
          if (rt.virtual) continue;
          const n = this.ctx.store.count(rt.group ? `${rt.group}/${rt.resource}` : rt.resource);
          if (n) counts[rt.group ? `${rt.resource}.${rt.group}` : rt.resource] = n;
        }
        sendJson(res, 200, {
          resourceVersion: this.ctx.store.rev,
          watches: this.watches.size,
          counts,
          injected: this.injected,
        });
        return true;
      }
      case 'POST /_sim/watches/drop':
        sendJson(res, 200, { dropped: this.dropWatches() });
        return true;
      case 'POST /_sim/expire':
        this.ctx.store.expireAll();
        this.injected.expired++;
        sendJson(res, 200, { compactedRevision: this.ctx.store.compactedRev, dropped: this.dropWatches() });
        return true;
      case 'POST /_sim/fail':
        this.failNext = num('count', 1);
        this.failCode = num('code', 500);
        sendJson(res, 200, { failNext: this.failNext, code: this.failCode });
        return true;
      case 'POST /_sim/latency':
        this.latencyMs = num('ms', 0);
        sendJson(res, 200, { latencyMs: this.latencyMs });
        return true;
      case 'POST /_sim/pause': {
        const seconds = num('seconds', 10);
        sendJson(res, 200, { pausedSeconds: seconds });
        this.pause(seconds);
        return true;
      }
      case 'POST /_sim/restart': {
        const seconds = num('seconds', 2);
        if (seconds > 300) throw badRequest('seconds must be at most 300');
        sendJson(res, 200, { restartingForSeconds: seconds });
        // Answer first: the restart cuts this very connection.
        res.on('finish', () => void this.restart(seconds).catch(() => undefined));
        return true;
      }
      case 'POST /_sim/fault': {
        const body = decodeBody(await readBody(req), 'application/json');
        sendJson(res, 200, this.applyFault(body as unknown as FaultRequest));
        return true;
      }
    }
    throw notFound('_sim', '', url.pathname);
  }
}

/** `{"kind":"pod","namespace":"shop","name":"web-x","fault":"crashloop"}` or `{"kind":"node","name":"n1","fault":"notready"}`. */
export interface FaultRequest {
  kind: 'pod' | 'node' | 'deployment';
  namespace?: string;
  name: string;
  fault: string;
}
