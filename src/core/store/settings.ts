// Settings persisted as one JSON file in the data dir (until the sql.js store lands). Saves are serialized.
import { join } from 'node:path';
import type { Settings } from '../../shared/routes/system';
import { readJson, writeJsonAtomic } from './atomicFile';

export class SettingsStore {
  readonly file: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = join(dataDir, 'settings.json');
  }

  get(): Promise<Settings> {
    return readJson<Settings>(this.file, {});
  }

  /** Merges `patch` into the stored settings (one level deep for nested objects like `terminal`). */
  save(patch: Settings): Promise<Settings> {
    const run = this.chain.then(async () => {
      const cur = await this.get();
      const next: Settings = { ...cur };
      for (const [k, v] of Object.entries(patch)) {
        const prev = cur[k];
        next[k] =
          v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev)
            ? { ...prev, ...v }
            : v;
      }
      await writeJsonAtomic(this.file, next);
      return next;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}
