// Child process for the restore crash test: restores the backups named on the command line in turn, forever, and
// prints each outcome once it returned ("restored NAME" or "refused NAME"). The parent kills it with SIGKILL.
import { KubeGrafStore } from '../../src/core/store/store';

void (async () => {
  const [dataDir, ...names] = process.argv.slice(2);
  const s = await KubeGrafStore.open({ dataDir, snapshotDelayMs: 30 });
  process.stdout.write(`open ${String(s.getSetting('v'))}\n`);
  for (let i = 0; ; i++) {
    const name = names[i % names.length];
    try {
      s.restoreBackup(name);
      process.stdout.write(`restored ${name}\n`);
    } catch {
      process.stdout.write(`refused ${name}\n`);
    }
    await s.addNotification({ id: `n-${i}`, severity: 'info', title: 'between restores', message: '', source: 'test' });
  }
})();
