// The layering is enforced by ESLint, not by review: each probe below breaks one rule from a file in the layer it
// names, and the lint must fail with that rule. A clean probe in every layer must pass, so the rules are not just
// failing on everything. Prettier's check is probed the same way.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';

const root = resolve(__dirname, '../..');

interface Probe {
  file: string;
  code: string;
  rule: string;
}

const broken: Probe[] = [
  {
    file: 'src/core/api/probe.ts',
    code: "import { startApp } from '../../server/app';\nvoid startApp;\n",
    rule: 'import-x/no-restricted-paths',
  },
  {
    file: 'src/core/kube/probe.ts',
    code: "import * as vscode from 'vscode';\nvoid vscode;\n",
    rule: 'no-restricted-imports',
  },
  {
    file: 'src/core/kube/probe.ts',
    code: "import { startSim } from '../../sim/index';\nvoid startSim;\n",
    rule: 'import-x/no-restricted-paths',
  },
  {
    file: 'src/sim/probe.ts',
    code: "import { KubeEngine } from '../core/kube/engine';\nvoid KubeEngine;\n",
    rule: 'import-x/no-restricted-paths',
  },
  {
    file: 'src/server/probe.ts',
    code: "import { startSim } from '../sim/index';\nvoid startSim;\n",
    rule: 'import-x/no-restricted-paths',
  },
  {
    file: 'src/server/probe.ts',
    code: "import * as vscode from 'vscode';\nvoid vscode;\n",
    rule: 'no-restricted-imports',
  },
  {
    file: 'src/shared/probe.ts',
    code: "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n",
    rule: 'no-restricted-imports',
  },
  {
    file: 'src/shared/probe.ts',
    code: "import { KubeEngine } from '../core/kube/engine';\nvoid KubeEngine;\n",
    rule: 'import-x/no-restricted-paths',
  },
  {
    file: 'webviews/src/probe.ts',
    code: "import { KubeEngine } from '../../src/core/kube/engine';\nvoid KubeEngine;\n",
    rule: 'import-x/no-restricted-paths',
  },
  {
    file: 'webviews/src/probe.ts',
    code: "import { startApp } from '../../src/server/app';\nvoid startApp;\n",
    rule: 'import-x/no-restricted-paths',
  },
  {
    file: 'src/vscode/probe.ts',
    code: "import { main } from '../cli/main';\nvoid main;\n",
    rule: 'import-x/no-restricted-paths',
  },
  { file: 'src/core/kube/probe.ts', code: 'export const x: any = 1;\n', rule: '@typescript-eslint/no-explicit-any' },
];

const clean: Probe[] = [
  {
    file: 'src/core/api/probe.ts',
    code: "import { ROUTES } from '../../shared/routeTable';\nvoid ROUTES;\n",
    rule: '',
  },
  {
    file: 'src/server/probe.ts',
    code: "import { KubeEngine } from '../core/kube/engine';\nvoid KubeEngine;\n",
    rule: '',
  },
  {
    file: 'webviews/src/probe.ts',
    code: "import { ROUTES } from '../../src/shared/routeTable';\nvoid ROUTES;\n",
    rule: '',
  },
  { file: 'src/vscode/probe.ts', code: "import { startSim } from '../sim/index';\nvoid startSim;\n", rule: '' },
];

describe('lint: the layering rules bite', function () {
  this.timeout(120_000);
  const eslint = new ESLint({ cwd: root });

  for (const p of broken) {
    it(`${p.file} breaking ${p.rule} fails the lint`, async () => {
      const [result] = await eslint.lintText(p.code, { filePath: resolve(root, p.file) });
      const rules = result.messages.map((m) => m.ruleId);
      assert.ok(
        rules.includes(p.rule),
        `expected ${p.rule}, got ${JSON.stringify(result.messages.map((m) => m.message))}`,
      );
      assert.ok(result.errorCount > 0);
    });
  }

  for (const p of clean) {
    it(`${p.file} importing what its layer may import passes`, async () => {
      const [result] = await eslint.lintText(p.code, { filePath: resolve(root, p.file) });
      assert.deepEqual(
        result.messages.map((m) => `${m.ruleId}: ${m.message}`),
        [],
      );
    });
  }

  it('Prettier rejects a badly formatted file and accepts the formatted one', async () => {
    const file = resolve(root, 'src/core/api/probe.ts');
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    const ugly = 'export const x = {a:1,b:"two"}\n';
    assert.equal(await prettier.check(ugly, options), false);
    assert.equal(await prettier.check(await prettier.format(ugly, options), options), true);
    assert.equal(await prettier.format(ugly, options), "export const x = { a: 1, b: 'two' };\n");
  });
});
