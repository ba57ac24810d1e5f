// The YAML editor's checks before Review: syntax errors at the line the parser stopped at, the fields an update
// needs, and the kubectl-edit rule that an edit keeps the object's kind, name and namespace.
import assert from 'node:assert/strict';
import { hasErrors, identityOf, lintYaml, type LintIssue } from '../../webviews/src/components/yamlLint';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  resourceVersion: "812"
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;
const id = identityOf(DEPLOYMENT);
const lint = (text: string) => lintYaml(text, id);
const only = (issues: LintIssue[]) => {
  assert.equal(issues.length, 1, JSON.stringify(issues, null, 1));
  return issues[0];
};
/** The text an issue underlines. */
const marked = (text: string, i: LintIssue) => text.slice(i.from, i.to);

describe('YAML editor lint', () => {
  it('reads the identity of the opened object', () => {
    assert.deepEqual(id, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'web',
      namespace: 'shop',
      hasResourceVersion: true,
    });
    assert.deepEqual(identityOf('apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n'), {
      apiVersion: 'v1',
      kind: 'Node',
      name: 'n1',
      namespace: undefined,
    });
    assert.deepEqual(identityOf('kind: [broken'), {});
  });

  it('finds nothing wrong with the object as opened, or with a changed spec', () => {
    assert.deepEqual(lint(DEPLOYMENT), []);
    assert.deepEqual(lint(DEPLOYMENT.replace('replicas: 2', 'replicas: 5').replace('nginx:1.27', 'nginx:1.28')), []);
    // A trailing document marker is no second object (the server skips empty documents too).
    assert.deepEqual(lint(`${DEPLOYMENT}---\n`), []);
    // A comment or `---` before the object is fine.
    assert.deepEqual(lint(`# edited\n---\n${DEPLOYMENT}`), []);
  });

  it('puts a syntax error on the line and column where the parser stopped', () => {
    const text = DEPLOYMENT.replace('  replicas: 2', '  replicas: 2: 3');
    const i = lint(text).find((x) => x.code === 'syntax');
    assert.ok(i, 'a syntax error');
    assert.equal(i.severity, 'error');
    assert.equal(i.line, 8);
    assert.equal(i.col, 13);
    assert.match(i.message, /^Nested mappings are not allowed/);
    assert.equal(marked(text, i), '2: 3', 'the rest of the line is underlined');
    assert.equal(lint(text).length, 1, 'one mistake, one problem');
    assert.ok(hasErrors(lint(text)));
  });

  it('reports a mapping key that breaks the indentation at its own line', () => {
    const text = DEPLOYMENT.replace('  template:', ' template:');
    const i = lint(text)[0];
    assert.equal(i.code, 'syntax');
    assert.equal(i.line, 9);
    assert.match(i.message, /same column|indent/i);
  });

  it("rejects tabs as indentation and duplicate keys, as the server's parser does", () => {
    const tabs = only(lint(DEPLOYMENT.replace('  replicas: 2', '\treplicas: 2')));
    assert.equal(tabs.line, 8);
    assert.match(tabs.message, /Tabs are not allowed/);
    const dup = only(lint(DEPLOYMENT.replace('  replicas: 2', '  replicas: 2\n  replicas: 3')));
    assert.equal(dup.line, 9);
    assert.match(dup.message, /unique/);
  });

  it('needs apiVersion, kind and metadata.name', () => {
    const noKind = only(lint(DEPLOYMENT.replace('kind: Deployment\n', '')));
    assert.equal(noKind.code, 'missingField');
    assert.match(noKind.message, /^kind is missing/);
    assert.equal(noKind.line, 1);
    const noApi = only(lint(DEPLOYMENT.replace('apiVersion: apps/v1\n', '')));
    assert.match(noApi.message, /^apiVersion is missing/);
    const emptyName = only(lint(DEPLOYMENT.replace('  name: web\n', '  name:\n')));
    assert.match(emptyName.message, /^metadata\.name is missing/);
    assert.equal(emptyName.line, 4);
    const noMeta = lint('apiVersion: apps/v1\nkind: Deployment\nspec: {}\n');
    assert.deepEqual(
      noMeta.map((i) => i.code),
      ['missingField'],
    );
    assert.match(noMeta[0].message, /^metadata\.name is missing/);
    const numericKind = only(lint(DEPLOYMENT.replace('kind: Deployment', 'kind: 3')));
    assert.equal(numericKind.code, 'badField');
    assert.match(numericKind.message, /kind must be a string/);
  });

  it('needs exactly one object', () => {
    assert.equal(only(lint('')).code, 'empty');
    assert.equal(only(lint('# nothing here\n')).code, 'empty');
    const list = only(lint('- a\n- b\n'));
    assert.equal(list.code, 'notAnObject');
    const two = lint(`${DEPLOYMENT}---\n${DEPLOYMENT}`);
    const extra = two.find((i) => i.code === 'multipleDocuments');
    assert.ok(extra);
    assert.equal(extra.line, DEPLOYMENT.split('\n').length);
    assert.match(extra.message, /Only one object can be edited here/);
  });

  it('refuses a change of kind, name or namespace, pointing at the changed value', () => {
    const kindText = DEPLOYMENT.replace('kind: Deployment', 'kind: StatefulSet');
    const kind = only(lint(kindText));
    assert.equal(kind.code, 'identityChanged');
    assert.equal(kind.line, 2);
    assert.equal(marked(kindText, kind), 'StatefulSet');
    assert.match(kind.message, /^kind cannot be changed from Deployment to StatefulSet/);

    const nameText = DEPLOYMENT.replace('name: web\n', 'name: web-2\n');
    const name = only(lint(nameText));
    assert.equal(name.line, 4);
    assert.equal(marked(nameText, name), 'web-2');
    assert.match(name.message, /^metadata\.name cannot be changed from "web" to "web-2"/);

    const nsText = DEPLOYMENT.replace('namespace: shop', 'namespace: "prod"');
    const ns = only(lint(nsText));
    assert.equal(ns.line, 5);
    assert.equal(marked(nsText, ns), '"prod"');
    assert.match(ns.message, /cannot move between namespaces/);

    const group = only(lint(DEPLOYMENT.replace('apiVersion: apps/v1', 'apiVersion: v1')));
    assert.match(group.message, /another API group/);
    // Another version of the same group is the same object.
    assert.deepEqual(lint(DEPLOYMENT.replace('apiVersion: apps/v1', 'apiVersion: apps/v1beta2')), []);
  });

  it('lets the namespace be left out (the server fills it in) but not added to a cluster-scoped object', () => {
    assert.deepEqual(lint(DEPLOYMENT.replace('  namespace: shop\n', '')), []);
    const node = 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n';
    const nodeId = identityOf(node);
    const i = only(lintYaml(node.replace('  name: n1\n', '  name: n1\n  namespace: default\n'), nodeId));
    assert.equal(i.code, 'identityChanged');
    assert.match(i.message, /cluster-scoped/);
  });

  it('warns, without blocking, when resourceVersion is removed (the apply would overwrite concurrent changes)', () => {
    const w = only(lint(DEPLOYMENT.replace('  resourceVersion: "812"\n', '')));
    assert.equal(w.severity, 'warning');
    assert.equal(w.code, 'noResourceVersion');
    assert.equal(hasErrors([w]), false);
  });

  it('checks syntax and required fields only when nothing is being edited yet', () => {
    assert.deepEqual(lintYaml(DEPLOYMENT.replace('kind: Deployment', 'kind: StatefulSet')), []);
    assert.equal(only(lintYaml('apiVersion: v1\nmetadata:\n  name: x\n')).code, 'missingField');
  });
});
