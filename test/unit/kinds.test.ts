// The shared table of kinds against every place derived from it: routes, engine descriptors, the Clusters tree, the
// webview's navigation and the tree's menus cannot disagree about a kind.
import assert from 'node:assert/strict';
import {
  KINDS,
  ROUTE_CAPABILITIES,
  capabilityRoute,
  kindById,
  kindByWord,
  kindId,
  pageOfKind,
  treeGroupOf,
  type KindDef,
} from '../../src/shared/kinds';
import { ROUTES } from '../../src/shared/routeTable';
import { RESOURCE_KINDS } from '../../src/shared/routes/resources';
import { BUILTIN_KINDS, DescriptorRegistry, resolveColumns, rowOf, toKindDto } from '../../src/core/kube/descriptors';
import { GROUP_ORDER, groupOf, kindsOfGroup, objectPresentation } from '../../src/vscode/treeModel';
import { COMMANDS } from '../../src/vscode/commandTable';
import { PAGES, SECTIONS, pageById } from '../../webviews/src/model/nav';

const ALL: readonly KindDef[] = KINDS;
const routeIds = new Set(Object.keys(ROUTES));
const descriptor = (d: KindDef) => BUILTIN_KINDS.find((b) => kindId(b) === kindId(d));

describe('the shared table of kinds', () => {
  it('names each kind once, by id, by route words and by Kubernetes kind', () => {
    assert.equal(new Set(ALL.map(kindId)).size, ALL.length);
    const words = ALL.flatMap((d) => (d.one && d.many ? [d.one, d.many] : []));
    assert.equal(new Set(words).size, words.length, 'route words are unique');
    for (const d of ALL) {
      assert.equal(kindById(kindId(d)), d);
      if (d.one) assert.equal(kindByWord(d.one), d);
      if (d.many) assert.equal(kindByWord(d.many), d);
    }
  });

  it('gives every kind its routes: the generic ones for kinds with route words, else a list route of its own', () => {
    for (const d of ALL) {
      if (d.one && d.many) {
        for (const id of [`${d.many}.list`, `${d.one}.details`, `${d.one}.yaml`, `${d.one}.describe`])
          assert.ok(routeIds.has(id), `${kindId(d)}: no route ${id}`);
        const e = RESOURCE_KINDS.find((x) => x.many === d.many);
        assert.equal(e?.kind, kindId(d));
        assert.equal(e?.namespaced, d.namespaced);
      } else assert.ok(d.listRoute && routeIds.has(d.listRoute), `${kindId(d)} has no routes`);
    }
    assert.equal(RESOURCE_KINDS.length, ALL.filter((d) => d.one).length);
  });

  it('has a route for every capability, and a generic action route only where the table gives the capability', () => {
    for (const d of ALL) {
      if (!d.one || !d.many) continue;
      for (const c of d.capabilities)
        assert.ok(routeIds.has(capabilityRoute(c, d.one)), `${kindId(d)} ${c}: no route ${capabilityRoute(c, d.one)}`);
      for (const c of ROUTE_CAPABILITIES) {
        const has = (d.capabilities as readonly string[]).includes(c);
        assert.equal(routeIds.has(capabilityRoute(c, d.one)), has, `${kindId(d)} ${c}: route iff capability`);
      }
      const has = (c: string) => (d.capabilities as readonly string[]).includes(c);
      assert.equal(routeIds.has(`${d.many}.bulkDelete`), has('delete'), `${kindId(d)} bulk delete`);
      assert.equal(routeIds.has(`${d.many}.bulkRestart`), has('restart'), `${kindId(d)} bulk restart`);
    }
  });

  it('offers every capability as a tree menu action, and the tree shows exactly the table’s capabilities', () => {
    const menuCaps = new Set(
      COMMANDS.flatMap((c) => (c.menus ?? []).map((m) => /cap:(\w+)/.exec(m.when)?.[1])).filter(Boolean),
    );
    for (const d of ALL) for (const c of d.capabilities) assert.ok(menuCaps.has(c), `no tree action for ${c}`);
    for (const b of BUILTIN_KINDS) {
      const p = objectPresentation(b, { metadata: { name: 'x' } });
      const caps = p.contextValue.split(' ').filter((w) => w.startsWith('cap:'));
      assert.deepEqual(
        caps.sort(),
        kindById(kindId(b))!
          .capabilities.map((c) => `cap:${c}`)
          .sort(),
        kindId(b),
      );
    }
  });

  it('builds an engine descriptor of every built-in kind from the table, with its columns or the default ones', () => {
    assert.equal(BUILTIN_KINDS.length, ALL.filter((d) => !d.crd).length);
    const reg = new DescriptorRegistry();
    for (const d of ALL) {
      const b = descriptor(d);
      if (d.crd) {
        assert.equal(b, undefined, `${kindId(d)} comes from its CRD`);
        continue;
      }
      assert.ok(b, `${kindId(d)} has no descriptor`);
      const dto = toKindDto(b);
      assert.deepEqual(
        { group: dto.group, version: dto.version, plural: dto.plural, kind: dto.kind, namespaced: dto.namespaced },
        { group: d.group, version: d.version, plural: d.plural, kind: d.kind, namespaced: d.namespaced },
      );
      assert.deepEqual(dto.shortNames, [...d.shortNames]);
      assert.deepEqual(dto.capabilities, [...d.capabilities]);
      const ids = resolveColumns(b).map((c) => c.id);
      assert.deepEqual(ids.slice(0, d.namespaced ? 2 : 1), d.namespaced ? ['namespace', 'name'] : ['name']);
      assert.equal(ids[ids.length - 1], 'age');
      assert.equal(reg.resolve(d.kind), reg.get(kindId(d)));
      for (const s of d.shortNames) assert.equal(reg.resolve(s), reg.get(kindId(d)));
    }
  });

  it('puts every kind in a tree group, listed in its scope (namespaces are the tree level itself)', () => {
    for (const d of ALL) {
      const g = treeGroupOf(d);
      assert.ok(GROUP_ORDER.includes(g), `${kindId(d)}: ${g}`);
      const b = descriptor(d);
      if (!b) continue;
      assert.equal(groupOf(b), g, kindId(d));
      if (kindId(d) !== 'namespaces')
        assert.ok(kindsOfGroup(BUILTIN_KINDS, g, d.namespaced).includes(b), `${kindId(d)} not under ${g}`);
    }
    assert.equal(groupOf({ group: 'cert-manager.io', plural: 'certificates', custom: true }), 'Custom Resources');
  });

  it('gives every kind a navigation page in a sidebar section; resource pages list the kind’s route', () => {
    for (const d of ALL) {
      const want = pageOfKind(d);
      const page = pageById(want.id);
      assert.ok(page, `${kindId(d)}: no page ${want.id}`);
      assert.ok((SECTIONS as readonly string[]).includes(page.section), page.section);
      assert.equal(page.section, want.section);
      assert.equal(page.label, want.label);
      if (want.component) assert.deepEqual(page.view, { type: 'custom', component: want.component });
      else {
        assert.deepEqual(page.view, { type: 'resource', many: d.many });
        assert.ok(routeIds.has(`${d.many}.list`));
      }
      for (const s of d.shortNames) assert.ok(page.keywords?.includes(s), `${want.id} keyword ${s}`);
    }
    const resourcePages = PAGES.filter((p) => p.view.type === 'resource');
    for (const p of resourcePages)
      assert.ok(kindByWord((p.view as { many: string }).many), `${p.id} lists a kind the table does not have`);
  });

  it('has VolumeAttachment as one read-only, cluster-scoped storage kind: routes, descriptor columns, tree, page', () => {
    const d = kindById('volumeattachments.storage.k8s.io');
    assert.ok(d);
    assert.equal(d.namespaced, false);
    for (const id of [
      'volumeattachments.list',
      'volumeattachment.details',
      'volumeattachment.yaml',
      'volumeattachment.describe',
      'volumeattachment.delete',
    ])
      assert.ok(routeIds.has(id), id);
    for (const id of ['volumeattachment.update', 'volumeattachment.scale', 'volumeattachment.restart'])
      assert.ok(!routeIds.has(id), `${id} should not exist: the kind is read-only`);
    assert.equal(ROUTES['volumeattachments.list'].path, '/api/volumeattachments');

    const b = descriptor(d)!;
    assert.deepEqual(
      resolveColumns(b).map((c) => c.label),
      ['Name', 'Attacher', 'PV', 'Node', 'Attached', 'Age'],
    );
    const row = rowOf(
      b,
      {
        metadata: { name: 'csi-1', creationTimestamp: new Date(Date.now() - 3 * 60_000).toISOString() },
        spec: { attacher: 'ebs.csi.aws.com', nodeName: 'worker-a', source: { persistentVolumeName: 'pv-1' } },
        status: { attached: true },
      },
      Date.now(),
    );
    assert.deepEqual(row, ['csi-1', 'ebs.csi.aws.com', 'pv-1', 'worker-a', 'true', '3m']);

    assert.ok(kindsOfGroup(BUILTIN_KINDS, 'Config & Storage', false).includes(b), 'in the tree under Config & Storage');
    const page = pageById('volumeattachments');
    assert.ok(page);
    assert.equal(page.label, 'Volume Attachments');
    assert.equal(page.section, 'Config & Storage');
    assert.deepEqual(page.view, { type: 'resource', many: 'volumeattachments' });
  });
});
