// What every API handler is given: the engines and stores of this process.
import type { KubeEngine } from '../kube/engine';
import type { ListKeeper } from './lists';
import type { SettingsStore } from './settings';
import type { AccountStore } from './accounts';

export interface ApiDeps {
  kube: KubeEngine;
  lists: ListKeeper;
  settings: SettingsStore;
  /** Present when the server requires user accounts (non-loopback host). */
  accounts?: AccountStore;
  dataDir: string;
  /** KubeGraf's own version. */
  version: string;
  /** The cluster is the built-in simulator. */
  demo: boolean;
  /** Kubeconfig files in use (helm needs one). */
  kubeconfigFiles: string[];
}
