// Cluster objects as documents. `kubegraf-view:` is read-only (YAML, describe); `kubegraf-edit:` is editable, and
// saving runs a server-side dry run, shows the diff, asks, then applies. A save that is refused or fails leaves the
// document dirty with the reason, so nothing is lost.
import * as vscode from 'vscode';
import { showGenerated } from './generatedDocs';
import type { KubeGrafHost } from './host';
import { toKubeError } from '../core/kube/errors';

export const VIEW_SCHEME = 'kubegraf-view';
export const EDIT_SCHEME = 'kubegraf-edit';

export interface ObjectRefIn {
  context: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** `kubegraf-view:/ctx/kind/ns/name.yaml` (ns `_` for cluster-scoped), `.describe` for describe output. */
export function objectUri(scheme: string, r: ObjectRefIn, what: 'yaml' | 'describe' = 'yaml'): vscode.Uri {
  const seg = [r.context, r.kind, r.namespace ?? '_', `${r.name}.${what}`].map(encodeURIComponent);
  return vscode.Uri.from({ scheme, path: `/${seg.join('/')}` });
}

export function parseObjectUri(uri: vscode.Uri): ObjectRefIn & { what: 'yaml' | 'describe' } {
  const parts = uri.path.split('/').slice(1).map(decodeURIComponent);
  if (parts.length !== 4) throw vscode.FileSystemError.FileNotFound(uri);
  const [context, kind, ns, file] = parts;
  const m = /^(.*)\.(yaml|describe)$/.exec(file);
  if (!m) throw vscode.FileSystemError.FileNotFound(uri);
  return { context, kind, namespace: ns === '_' ? undefined : ns, name: m[1], what: m[2] as 'yaml' | 'describe' };
}

export class ObjectFileSystem implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly cache = new Map<string, Uint8Array>();

  constructor(
    private readonly host: KubeGrafHost,
    private readonly editable: boolean,
  ) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const data = await this.read(uri);
    return {
      type: vscode.FileType.File,
      ctime: 0,
      mtime: Date.now(),
      size: data.byteLength,
      permissions: this.editable ? undefined : vscode.FilePermission.Readonly,
    };
  }

  private async read(uri: vscode.Uri): Promise<Uint8Array> {
    const hit = this.cache.get(uri.toString());
    if (hit) return hit;
    const r = parseObjectUri(uri);
    const actions = this.host.engine.actions(r.context);
    try {
      const text =
        r.what === 'describe'
          ? await actions.describe(r.kind, r.namespace, r.name)
          : await actions.getYaml(r.kind, r.namespace, r.name);
      const data = Buffer.from(text, 'utf8');
      this.cache.set(uri.toString(), data);
      return data;
    } catch (e) {
      const k = toKubeError(e);
      if (k.code === 'notFound')
        throw vscode.FileSystemError.FileNotFound(
          `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} was not found in ${r.context}`,
        );
      throw vscode.FileSystemError.Unavailable(k.message);
    }
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    this.cache.delete(uri.toString());
    return this.read(uri);
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    if (!this.editable)
      throw vscode.FileSystemError.NoPermissions(
        'This document is read-only; use "KubeGraf: Edit YAML" to change the object.',
      );
    const r = parseObjectUri(uri);
    const actions = this.host.engine.actions(r.context);
    const text = Buffer.from(content).toString('utf8');
    let preview;
    try {
      preview = await actions.previewApply(text, r.namespace ?? 'default');
    } catch (e) {
      throw vscode.FileSystemError.Unavailable(
        `The server rejected the change in a dry run: ${toKubeError(e).message}`,
      );
    }
    if (!preview.changed) {
      void vscode.window.showInformationMessage(`No changes to apply to ${r.kind} ${r.name}.`);
      return;
    }
    await showGenerated(`${r.name} changes.diff`, preview.diff, {
      viewColumn: vscode.ViewColumn.Beside,
      preview: true,
      preserveFocus: true,
    });
    const ok = await vscode.window.showWarningMessage(
      `Apply these changes to ${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} in ${r.context}?`,
      { modal: true, detail: 'The server accepted them in a dry run. The diff is open beside the editor.' },
      'Apply',
    );
    if (ok !== 'Apply') throw vscode.FileSystemError.NoPermissions('Not applied: cancelled. The edit is kept unsaved.');
    try {
      const applied = await actions.apply(text, r.namespace ?? 'default');
      this.cache.delete(uri.toString());
      void vscode.window.showInformationMessage(
        `Applied ${r.kind} ${r.name} (resourceVersion ${applied.metadata.resourceVersion ?? '?'}).`,
      );
      this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    } catch (e) {
      const k = toKubeError(e);
      const hint =
        k.code === 'conflict'
          ? ' The object changed on the cluster since you opened it: reopen it and edit again.'
          : '';
      throw vscode.FileSystemError.Unavailable(`Apply failed: ${k.message}.${hint}`);
    }
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Folders are not supported here');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Use "KubeGraf: Delete…" to delete objects');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Objects cannot be renamed');
  }
}
