// The push channels the extension host serves over the webview bridge: the server's kube sockets and the engines'
// streams (the local shell is browser-only). No `vscode` import.
import { ENGINE_UPGRADES, type UpgradeHandler } from '../server/upgrades';
import { kubeSocket, podTerminal } from '../server/wsKube';

/** Push channels the extension host serves over the webview bridge (the local shell is browser-only). */
export const HOST_UPGRADES = new Map<string, UpgradeHandler>([
  ['ws', kubeSocket as UpgradeHandler],
  ['pod.terminal', podTerminal as unknown as UpgradeHandler],
  ...Object.entries(ENGINE_UPGRADES),
]);
