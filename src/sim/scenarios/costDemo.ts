// The cost insights' planted case: a recommendations service sized for a launch that never came. It requests a full
// core and 2 GiB but uses a few percent of them (its simulated load and memory need say so), so right-sizing finds it
// many times over-provisioned. The demo's nodes already carry cloud instance types (e2-standard-4, a2-ultragpu-4g),
// which the offline price table knows.
import type { SimContext } from '../context';
import { LOAD_ANNOTATION, MEMORY_NEED_ANNOTATION } from '../controllers/faults';
import { deployment, put, service } from './seed';

export function loadCostDemo(ctx: SimContext): void {
  put(
    ctx,
    deployment('shop', 'recommendations', {
      // CPU at 4% of the request; memory settles just under 160 MiB of the 2 GiB requested.
      podAnnotations: { [LOAD_ANNOTATION]: '0.04', [MEMORY_NEED_ANNOTATION]: '160Mi' },
      containers: [
        { name: 'recommender', image: 'ghcr.io/acme/recommender:2.4.1', cpu: '1', memory: '2Gi', port: 8080 },
      ],
    }),
  );
  put(ctx, service('shop', 'recommendations', 8080));
}
