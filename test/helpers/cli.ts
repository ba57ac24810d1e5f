// The `kubegraf` command as users run it: the bundle `npm ci` / `npm test` build (dist/cli.js). Spawning the bundle
// instead of the TypeScript sources also keeps child processes clear of tsx's off-thread ESM loader hooks, which
// were seen to deadlock a child at start-up now and then on Node 20.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const CLI_JS = resolve(ROOT, 'dist/cli.js');

/** argv for `node` to run `kubegraf ...args`; fails clearly when the bundle was not built. */
export function cliArgs(...args: string[]): string[] {
  if (!existsSync(CLI_JS)) throw new Error(`${CLI_JS} is missing: run npm run build (npm test does it first)`);
  return [CLI_JS, ...args];
}
