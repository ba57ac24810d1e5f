import type { Clock } from './context';

/** Simulated time: `speed`× wall time from the moment the simulator starts. */
export function makeClock(speed: number): Clock {
  const start = Date.now();
  const wall = (simMs: number) => Math.max(1, simMs / speed);
  return {
    speed,
    now: () => (Date.now() - start) * speed,
    after: (simMs, fn) => setTimeout(fn, wall(simMs)).unref(),
    every: (simMs, fn) => setInterval(fn, wall(simMs)).unref(),
  };
}
