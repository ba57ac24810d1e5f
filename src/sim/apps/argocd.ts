// argocd-server's REST API (the grpc-gateway routes the Argo CD UI and CLI call), for what the Kubernetes API cannot
// answer: the rendered target state of each managed resource next to its live state (`argocd app diff`, the UI's
// DIFF tab), a revision's commit metadata, and the manifests of any revision. Reads the same Git data and comparison
// as the simulated application controller. Errors have the gateway's {error, code, message} shape.
import { APP_TK, compareApp, mergeInto, withTracking } from '../controllers/argocd';
import { findRepo, GitError, render, resolveCommit } from '../controllers/argocdGit';
import type { Json } from '../controllers/runtime';
import type { AppRequest, AppResponse, SimApp } from './app';

const VERSION = 'v2.13.1+af54ef8';

/** gRPC status codes the gateway maps to HTTP (NotFound 5 → 404, InvalidArgument 3 → 400, Unknown 2 → 500). */
const fail = (status: number, code: number, message: string): AppResponse => ({
  status,
  body: { error: message, code, message },
});

const json = (v: unknown) => (v === undefined ? 'null' : JSON.stringify(v));

export const argocdApp: SimApp = (r: AppRequest) => {
  if (r.method !== 'GET' && r.method !== 'HEAD') return fail(501, 12, 'Method Not Allowed');
  const p = r.path;
  if (p === '/healthz' || p === '/') return { status: 200, contentType: 'text/plain', body: 'ok' };
  if (p === '/api/version')
    return {
      status: 200,
      body: {
        Version: VERSION,
        BuildDate: '2024-12-05T18:23:21Z',
        GitCommit: 'af54ef8db5adfa77a08d4d05b1318a2198084c22',
        GitTreeState: 'clean',
        GoVersion: 'go1.22.9',
        Compiler: 'gc',
        Platform: 'linux/amd64',
      },
    };
  const m = /^\/api\/v1\/applications\/([^/]+)\/(managed-resources|manifests|revisions\/([^/]+)\/metadata)$/.exec(p);
  if (!m) return fail(404, 5, 'Not Found');
  const name = decodeURIComponent(m[1]);
  const appNs = r.query.get('appNamespace') || r.namespace;
  const app = r.ctx.store.get(APP_TK, appNs, name);
  if (!app) return fail(404, 5, `applications.argoproj.io "${name}" not found`);
  const q = (k: string) => r.query.get(k) ?? '';

  if (m[2] === 'managed-resources') {
    const cmp = compareApp(r.ctx, app);
    if (cmp.error) return fail(500, 2, cmp.error);
    const items = cmp.resources
      .filter(
        (x) =>
          (!r.query.has('group') || x.group === q('group')) &&
          (!q('kind') || x.kind === q('kind')) &&
          (!q('namespace') || x.namespace === q('namespace')) &&
          (!q('name') || x.name === q('name')),
      )
      .map((x) => {
        const target = x.desired ? withTracking(app.metadata.name, x.desired) : undefined;
        const predicted = target ? (x.live ? mergeInto(x.live, target) : target) : undefined;
        return {
          ...(x.group ? { group: x.group } : {}),
          kind: x.kind,
          ...(x.namespace ? { namespace: x.namespace } : {}),
          name: x.name,
          targetState: json(target),
          liveState: json(x.live),
          normalizedLiveState: json(x.live),
          predictedLiveState: json(predicted),
          hook: false,
          modified: x.status !== 'Synced',
          ...(x.live?.metadata.resourceVersion ? { resourceVersion: x.live.metadata.resourceVersion } : {}),
        };
      });
    return { status: 200, body: { items } };
  }

  const src = app.spec?.source ?? {};
  const repo = findRepo(r.ctx, src.repoURL);
  if (!repo) return fail(500, 2, `repository not found: ${src.repoURL ?? '(none)'}`);
  if (m[2] === 'manifests') {
    try {
      const out = render(r.ctx, src, q('revision') || undefined, app.spec?.destination?.namespace);
      return {
        status: 200,
        body: {
          manifests: out.manifests.map((x: Json) => JSON.stringify(withTracking(app.metadata.name, x))),
          namespace: app.spec?.destination?.namespace ?? '',
          server: app.spec?.destination?.server ?? '',
          revision: out.commit.sha,
          sourceType: 'Directory',
        },
      };
    } catch (e) {
      if (e instanceof GitError) return fail(500, 2, e.message);
      throw e;
    }
  }
  try {
    const c = resolveCommit(repo, decodeURIComponent(m[3]));
    return {
      status: 200,
      body: { author: c.author, date: c.date, tags: c.tags ?? [], message: c.message, signatureInfo: '' },
    };
  } catch (e) {
    if (e instanceof GitError) return fail(404, 5, e.message);
    throw e;
  }
};
