// The plugin table gates what it names: every route of a plugin's family and every page it names must be in it and
// exist, or turning the plugin off would leave a page half-working or hide nothing.
import assert from 'node:assert/strict';
import { PLUGINS } from '../../src/shared/plugins';
import { ROUTES } from '../../src/shared/routeTable';
import { PAGES } from '../../webviews/src/model/nav';

const FAMILY: Record<string, RegExp> = {
  helm: /^helm\./,
  argocd: /^argocd\./,
  'cert-manager': /^certificates?\./,
  kserve: /^inference\./,
  kubeflow: /^ml\.jobs\./,
  kiali: /^kiali\./,
  mlflow: /^mlflow\./,
  feast: /^feast\./,
  gpu: /^gpu\./,
};

describe('plugins: what each one gates', () => {
  it('owns every route of its family, and every route and page it names exists', () => {
    const pages = new Set(PAGES.map((p) => p.id));
    for (const p of PLUGINS) {
      const family = FAMILY[p.name];
      assert.ok(family, `a route family for plugin ${p.name}`);
      const missing = Object.keys(ROUTES).filter((id) => family.test(id) && !p.routes.includes(id as never));
      assert.deepEqual(missing, [], `${p.name} gates every ${family} route`);
      for (const r of p.routes) assert.ok(r in ROUTES, `${p.name}: route ${r} exists`);
      for (const pg of p.pages) assert.ok(pages.has(pg), `${p.name}: page ${pg} is in the navigation`);
    }
  });
});
