// Seeds the store for a scenario. Run before startControllers: the controllers' first pass picks it up.
import type { SimContext } from '../context';
import { loadDemo } from './demo';
import { loadEmpty } from './empty';
import { loadScale } from './scale';

export function loadScenario(
  ctx: SimContext,
  opts: { scenario: 'demo' | 'empty' | 'scale'; pods?: number; nodes?: number },
): void {
  if (opts.scenario === 'demo') loadDemo(ctx);
  else if (opts.scenario === 'scale') loadScale(ctx, { pods: opts.pods, nodes: opts.nodes });
  else loadEmpty(ctx);
}
