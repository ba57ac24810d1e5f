// What the integration engines share: the parameter types of their routes and number rounding.
import type { ParamsOf } from '../../shared/route';
import type { INTEGRATION_ROUTES } from '../../shared/routes/integrations';

/** The validated parameters of an integration route. */
export type Params<K extends keyof typeof INTEGRATION_ROUTES> = ParamsOf<(typeof INTEGRATION_ROUTES)[K]>;

/** A finite number, or 0. */
export const num = (v: unknown) => {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
};

export const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;
