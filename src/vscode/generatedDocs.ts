// Documents KubeGraf makes to be read (dry-run diffs, incident reports): read-only, so closing one never asks to
// save an "Untitled" file. The name's extension picks the language (`.diff`, `.md`).
import * as vscode from 'vscode';

export const GENERATED_SCHEME = 'kubegraf-generated';
const contents = new Map<string, string>();
let seq = 0;

export function registerGeneratedDocs(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(GENERATED_SCHEME, {
      provideTextDocumentContent: (uri) => contents.get(uri.toString()) ?? '',
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === GENERATED_SCHEME) contents.delete(d.uri.toString());
    }),
  );
}

/** Shows `content` as a read-only document titled `name`. */
export async function showGenerated(
  name: string,
  content: string,
  options: vscode.TextDocumentShowOptions = { preview: true },
): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.from({ scheme: GENERATED_SCHEME, path: `/${++seq}/${name.replace(/[\\/]/g, '_')}` });
  contents.set(uri.toString(), content);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), options);
}
