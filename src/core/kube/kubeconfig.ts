// Kubeconfig loading the way kubectl does it: KUBECONFIG files merged (first one wins), else ~/.kube/config.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import type { ExecApprovalRequest } from '../../shared/kube';

/** The files kubectl would read: `$KUBECONFIG` (path list) or `~/.kube/config`. */
export function kubeconfigFiles(env: NodeJS.ProcessEnv = process.env, home: string = env.HOME || homedir()): string[] {
  const k = env.KUBECONFIG;
  if (k && k.length > 0) return [...new Set(k.split(delimiter).filter(Boolean))];
  return [join(home, '.kube', 'config')];
}

export interface LoadedKubeconfig {
  config: KubeConfig;
  files: string[];
  /** Files that could not be read or parsed, with why. */
  problems: Array<{ file: string; message: string }>;
}

/**
 * Merges kubeconfig files with kubectl's rules: for clusters, users and contexts the first file that names an entry
 * wins, and `current-context` comes from the first file that sets one. client-node's own merge throws on duplicates.
 */
export function loadKubeconfigs(files: string[]): LoadedKubeconfig {
  const clusters: Cluster[] = [];
  const users: User[] = [];
  const contexts: Context[] = [];
  let currentContext = '';
  const problems: LoadedKubeconfig['problems'] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const one = new KubeConfig();
    try {
      // loadFromFile also makes relative cert/key/exec paths absolute against the file's directory.
      one.loadFromFile(file, { onInvalidEntry: 'filter' });
    } catch (e) {
      problems.push({ file, message: (e as Error).message });
      continue;
    }
    for (const c of one.clusters ?? []) if (!clusters.some((x) => x.name === c.name)) clusters.push(c);
    for (const u of one.users ?? []) if (!users.some((x) => x.name === u.name)) users.push(u);
    for (const c of one.contexts ?? []) if (!contexts.some((x) => x.name === c.name)) contexts.push(c);
    if (!currentContext && one.currentContext) currentContext = one.currentContext;
  }
  const config = new KubeConfig();
  config.loadFromOptions({ clusters, users, contexts, currentContext });
  return { config, files, problems };
}

/** A KubeConfig whose current context is `name`, so every client-node class built from it talks to that context. */
export function configForContext(all: KubeConfig, name: string): KubeConfig {
  const ctx = all.getContextObject(name);
  if (!ctx) throw new Error(`no context named ${name}`);
  const kc = new KubeConfig();
  const cluster = all.getCluster(ctx.cluster);
  const user = all.getUser(ctx.user);
  kc.loadFromOptions({
    clusters: cluster ? [cluster] : [],
    users: user ? [user] : [],
    contexts: [ctx],
    currentContext: name,
  });
  return kc;
}

interface ExecSpec {
  command: string;
  args?: string[] | null;
  env?: Array<{ name: string; value: string }> | null;
}

function execSpecOf(user: User | null | undefined): ExecSpec | undefined {
  if (!user) return undefined;
  const spec = (user.exec ?? user.authProvider?.config?.exec) as ExecSpec | undefined;
  return spec?.command ? spec : undefined;
}

const shellQuote = (s: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The exact exec credential plugin a context would run, or undefined if it runs none. */
export function execRequestFor(all: KubeConfig, contextName: string): ExecApprovalRequest | undefined {
  const ctx = all.getContextObject(contextName);
  if (!ctx) return undefined;
  const user = all.getUser(ctx.user);
  const spec = execSpecOf(user);
  if (!spec) return undefined;
  const args = spec.args ?? [];
  const envPart = (spec.env ?? []).map((e) => `${e.name}=${shellQuote(e.value)}`);
  return {
    context: contextName,
    user: ctx.user,
    command: spec.command,
    args,
    commandLine: [...envPart, shellQuote(spec.command), ...args.map(shellQuote)].join(' '),
  };
}

/** Remembers which exact exec commands a user approved, per context. Faces persist it (globalState, a file). */
export interface ApprovalStore {
  get(context: string): string[] | undefined | Promise<string[] | undefined>;
  set(context: string, approvedCommandLines: string[]): void | Promise<void>;
}

export type ExecApprover = (req: ExecApprovalRequest) => boolean | Promise<boolean>;

export class MemoryApprovalStore implements ApprovalStore {
  private readonly m = new Map<string, string[]>();
  get(context: string): string[] | undefined {
    return this.m.get(context);
  }
  set(context: string, v: string[]): void {
    this.m.set(context, v);
  }
}
