// Child process for the store crash test: writes notifications in a loop and prints each id once the write is
// acknowledged (durable). The parent kills it with SIGKILL at random moments.
import { KubeGrafStore } from '../../src/core/store/store';

void (async () => {
  const dataDir = process.argv[2];
  const tag = process.argv[3];
  const s = await KubeGrafStore.open({ dataDir, snapshotDelayMs: 30, maxLogBytes: 20_000 });
  process.stdout.write(`open ${s.notifications({ limit: 1_000_000 }).length}\n`);
  for (let i = 0; ; i++) {
    const id = `${tag}-${i}`;
    await s.addNotification({
      id,
      severity: 'info',
      title: `record ${i}`,
      message: 'x'.repeat(200),
      source: 'crash-test',
    });
    process.stdout.write(`ack ${id}\n`);
  }
})();
