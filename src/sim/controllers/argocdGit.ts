// The Git repositories the simulated Argo CD reads: there is no network, so a scenario registers each repository's
// commits (manifests per directory) here, and the application controller and argocd-server resolve revisions and
// render manifests from them as the repo-server would from a clone. A repository nobody registered is "not found".
import type { SimContext } from '../context';
import type { Json } from './runtime';

export interface GitCommit {
  sha: string;
  message: string;
  author: string;
  /** RFC 3339. */
  date: string;
  /** Directory → the manifests in it at this commit (a full snapshot of every directory). */
  tree: Record<string, Json[]>;
  tags?: string[];
}

export interface GitRepo {
  url: string;
  /** Oldest first; the last one is HEAD (and the default branch). */
  commits: GitCommit[];
  defaultBranch: string;
}

const repos = new WeakMap<SimContext, Map<string, GitRepo>>();

const normUrl = (u: string) =>
  u
    .trim()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .toLowerCase();

export function registerRepo(ctx: SimContext, repo: GitRepo): void {
  let m = repos.get(ctx);
  if (!m) repos.set(ctx, (m = new Map()));
  m.set(normUrl(repo.url), repo);
}

export function findRepo(ctx: SimContext, url: string | undefined): GitRepo | undefined {
  return url ? repos.get(ctx)?.get(normUrl(url)) : undefined;
}

export class GitError extends Error {}

/** A revision (HEAD, the branch, a tag, a full or abbreviated SHA) to its commit, as `git rev-parse` would. */
export function resolveCommit(repo: GitRepo, revision: string | undefined): GitCommit {
  const rev = (revision ?? '').trim();
  const head = repo.commits[repo.commits.length - 1];
  if (!rev || rev === 'HEAD' || rev === repo.defaultBranch) return head;
  const byTag = repo.commits.find((c) => c.tags?.includes(rev));
  if (byTag) return byTag;
  if (/^[0-9a-f]{4,40}$/i.test(rev)) {
    const hits = repo.commits.filter((c) => c.sha.startsWith(rev.toLowerCase()));
    if (hits.length === 1) return hits[0];
  }
  throw new GitError(`unable to resolve '${rev}' to a commit SHA`);
}

export interface Rendered {
  commit: GitCommit;
  /** The manifests with their namespace set (the destination's where the manifest names none). */
  manifests: Json[];
}

/** Renders an Application source at a revision: the directory's manifests, as a Directory source does. */
export function render(
  ctx: SimContext,
  source: { repoURL?: string; path?: string; targetRevision?: string } | undefined,
  revision: string | undefined,
  destNamespace: string | undefined,
): Rendered {
  const repo = findRepo(ctx, source?.repoURL);
  if (!repo)
    throw new GitError(
      `rpc error: code = Unknown desc = repository not found: ${source?.repoURL ?? '(no repoURL)'} (the simulated cluster reaches no Git server; only repositories its scenario registered exist)`,
    );
  const commit = resolveCommit(repo, revision ?? source?.targetRevision);
  const path = (source?.path ?? '').replace(/^\.?\/+|\/+$/g, '');
  const files = commit.tree[path];
  if (!files) throw new GitError(`${path || '.'}: app path does not exist`);
  const manifests = files.map((m) => {
    const o = structuredClone(m);
    o.metadata ??= {};
    if (!o.metadata.namespace && destNamespace && !CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = destNamespace;
    return o;
  });
  return { commit, manifests };
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PersistentVolume',
  'IngressClass',
  'PriorityClass',
]);

/** Builds a repository from changes: each commit copies the previous tree and replaces the directories it names. */
export function buildRepo(
  url: string,
  changes: Array<Omit<GitCommit, 'tree'> & { dirs: Record<string, Json[]> }>,
): GitRepo {
  const commits: GitCommit[] = [];
  let tree: Record<string, Json[]> = {};
  for (const c of changes) {
    tree = { ...tree, ...structuredClone(c.dirs) };
    const { dirs: _dirs, ...rest } = c;
    commits.push({ ...rest, tree });
  }
  return { url, commits, defaultBranch: 'main' };
}
