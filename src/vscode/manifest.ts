// The extension's part of package.json, generated from the command table so menus, palette entries and handlers can
// never drift apart. `npm run manifest` rewrites only these keys; a unit test fails when package.json is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORY, COMMANDS } from './commandTable';

export const VIEW_IDS = {
  clusters: 'kubegraf.clusters',
  incidents: 'kubegraf.incidents',
  portForwards: 'kubegraf.portForwards',
} as const;

const setting = (type: string, def: unknown, description: string, extra: Record<string, unknown> = {}) => ({
  type,
  default: def,
  description,
  ...extra,
});

export const CONFIGURATION = {
  title: 'KubeGraf',
  properties: {
    'kubegraf.kubeconfigPaths': setting(
      'array',
      [],
      'Kubeconfig files to read. Empty: $KUBECONFIG, else ~/.kube/config.',
      { items: { type: 'string' } },
    ),
    'kubegraf.probeTimeoutMs': setting(
      'number',
      5000,
      'How long a cluster may take to answer before its context is shown as unreachable.',
      { minimum: 500 },
    ),
    'kubegraf.tree.refreshDebounceMs': setting(
      'number',
      300,
      'Watch changes are gathered for this long before the tree redraws.',
      { minimum: 0 },
    ),
    'kubegraf.tree.pageSize': setting('number', 200, 'Objects shown per kind before "Load more".', { minimum: 10 }),
    'kubegraf.logs.tailLines': setting('number', 500, 'Lines of history to show when logs open.', { minimum: 0 }),
    'kubegraf.logs.follow': setting('boolean', true, 'Keep streaming new log lines into the output channel.'),
    'kubegraf.exec.command': setting('string', 'sh', 'Command run by "Open Terminal (Exec)" in the container.'),
    'kubegraf.incidents.enabled': setting('boolean', true, 'Detect incidents from the watch cache.'),
    'kubegraf.incidents.rules': setting(
      'object',
      {},
      'Incident rules to turn on or off, by rule id (e.g. {"crashLoop": false}).',
      { additionalProperties: { type: 'boolean' } },
    ),
    'kubegraf.incidents.autoRemediation': setting(
      'boolean',
      false,
      'Apply safe fixes automatically (always previewed with a server-side dry run first).',
    ),
    'kubegraf.dataDirectory': setting(
      'string',
      '',
      "Where KubeGraf keeps its database (incident history, metrics). Empty: the extension's global storage.",
    ),
    'kubegraf.ai.provider': setting('string', 'none', 'AI assistant provider.', {
      enum: ['none', 'vscode', 'openai', 'anthropic', 'ollama'],
    }),
    'kubegraf.ai.endpoint': setting('string', '', 'Endpoint for OpenAI-compatible or Ollama providers.'),
    'kubegraf.ai.model': setting('string', '', 'Model name for the AI provider.'),
    'kubegraf.server.port': setting(
      'number',
      0,
      '"Open Dashboard in Browser": local server port (0 picks a free one).',
      { minimum: 0, maximum: 65535 },
    ),
  },
};

/** `@kubegraf` in VS Code chat (src/vscode/chatParticipant.ts; the id must match CHAT_PARTICIPANT_ID there). */
export const CHAT_PARTICIPANTS = [
  {
    id: 'kubegraf.assistant',
    name: 'kubegraf',
    fullName: 'KubeGraf',
    description: 'Ask about your cluster (read-only lookups)',
    isSticky: true,
    commands: [
      { name: 'incidents', description: 'What is wrong in the cluster right now' },
      { name: 'explain', description: 'Explain an incident or object and the safest fix' },
    ],
  },
];

/** The keys of package.json this extension owns. */
export function extensionManifest(): Record<string, unknown> {
  const menus: Record<string, Array<Record<string, string>>> = { commandPalette: [] };
  for (const c of COMMANDS) {
    if (c.palette !== undefined)
      menus.commandPalette.push({ command: c.id, when: c.palette === false ? 'false' : c.palette });
    for (const m of c.menus ?? [])
      (menus[m.menu] ??= []).push(
        m.group ? { command: c.id, when: m.when, group: m.group } : { command: c.id, when: m.when },
      );
  }
  return {
    main: './dist/extension.js',
    activationEvents: [
      `onView:${VIEW_IDS.clusters}`,
      `onView:${VIEW_IDS.incidents}`,
      `onView:${VIEW_IDS.portForwards}`,
    ],
    contributes: {
      viewsContainers: { activitybar: [{ id: 'kubegraf', title: 'KubeGraf', icon: 'media/kubegraf.svg' }] },
      views: {
        kubegraf: [
          { id: VIEW_IDS.clusters, name: 'Clusters', icon: 'media/kubegraf.svg', contextualTitle: 'KubeGraf' },
          { id: VIEW_IDS.incidents, name: 'Incidents', icon: 'media/kubegraf.svg', contextualTitle: 'KubeGraf' },
          {
            id: VIEW_IDS.portForwards,
            name: 'Port Forwards',
            icon: 'media/kubegraf.svg',
            contextualTitle: 'KubeGraf',
            visibility: 'collapsed',
          },
        ],
      },
      viewsWelcome: [
        {
          view: VIEW_IDS.clusters,
          contents:
            'No Kubernetes contexts found in your kubeconfig.\n[Start Demo Cluster](command:kubegraf.startDemoCluster)\nOr point [kubegraf.kubeconfigPaths](command:workbench.action.openSettings?%5B%22kubegraf.kubeconfigPaths%22%5D) at your kubeconfig files.',
          when: 'kubegraf.noContexts',
        },
      ],
      commands: COMMANDS.map((c) =>
        c.icon
          ? { command: c.id, title: c.title, category: CATEGORY, icon: c.icon }
          : { command: c.id, title: c.title, category: CATEGORY },
      ),
      menus,
      configuration: CONFIGURATION,
      chatParticipants: CHAT_PARTICIPANTS,
    },
  };
}

const KEYS = ['main', 'activationEvents', 'contributes'] as const;

/** True when package.json carries exactly the generated keys. */
export function manifestUpToDate(pkg: Record<string, unknown>): boolean {
  const m = extensionManifest();
  return KEYS.every((k) => JSON.stringify(pkg[k]) === JSON.stringify(m[k]));
}

if (require.main === module && process.argv.includes('--write')) {
  // Read-modify-write of only our keys: the rest of package.json stays as npm wrote it.
  const file = join(__dirname, '../../package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const m = extensionManifest();
  for (const k of KEYS) pkg[k] = m[k];
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  console.log('package.json: extension manifest updated');
}
