// Durable JSON files: write a temp file, fsync it, rename it over the old one, fsync the directory, so a crash
// leaves either the old file or the new one, never half of one.
import { promises as fs } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeJsonAtomic(file: string, value: unknown, mode = 0o600): Promise<void> {
  const dir = dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fs.open(tmp, 'w', mode);
  try {
    await fh.writeFile(JSON.stringify(value, null, 2) + '\n', 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  try {
    const d = await fs.open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Some filesystems cannot fsync a directory; the rename is still atomic.
  }
}

const swept = new Set<string>();

/** Temp files of writes that a kill interrupted (they never replaced the file): removed once per file per process. */
async function sweepTemps(file: string): Promise<void> {
  if (swept.has(file)) return;
  swept.add(file);
  const dir = dirname(file);
  const prefix = `.${basename(file)}.`;
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => n.startsWith(prefix) && n.endsWith('.tmp')).map((n) => fs.rm(join(dir, n), { force: true })),
  );
}

/** The parsed file, or `fallback` when it does not exist. A corrupt file is an error, not silently replaced. */
export async function readJson<T>(file: string, fallback: T): Promise<T> {
  await sweepTemps(file);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw e;
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}); fix or remove it`, { cause: e });
  }
}
