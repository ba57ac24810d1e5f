// Where credentials KubeGraf holds (AI provider keys) live: VS Code's SecretStorage (the OS keychain) in the extension
// host, a 0600 file beside the database for `kubegraf web`. Never in the database, so backups carry no keys.
import { join } from 'node:path';
import { readJson, writeJsonAtomic } from './atomicFile';

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Where the secrets are kept, in words for the user. */
  readonly where: string;
}

/** `secrets.json` (mode 0600, in the 0700 data dir), written atomically; writes are serialised so none is lost. */
export function fileSecretStore(dataDir: string): SecretStore {
  const file = join(dataDir, 'secrets.json');
  let queue: Promise<unknown> = Promise.resolve();
  const read = () => readJson<Record<string, string>>(file, {});
  const update = (change: (all: Record<string, string>) => void): Promise<void> => {
    const next = queue.then(async () => {
      const all = await read();
      change(all);
      await writeJsonAtomic(file, all, 0o600);
    });
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    where: `${file} (readable by you only)`,
    get: async (key) => {
      await queue;
      const v = (await read())[key];
      return typeof v === 'string' ? v : undefined;
    },
    set: (key, value) => update((all) => void (all[key] = value)),
    delete: (key) => update((all) => void delete all[key]),
  };
}
