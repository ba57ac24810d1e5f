// The only module that knows @vscode/webview-ui-toolkit. The toolkit is archived upstream: our components
// (button.tsx, states.tsx) render its elements, so replacing it means changing this file and those wrappers only.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeProgressRing,
  vsCodeBadge,
  vsCodeDivider,
  vsCodeTag,
} from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeProgressRing(),
    vsCodeBadge(),
    vsCodeDivider(),
    vsCodeTag(),
  );
}

type El = {
  children?: unknown;
  class?: string;
  id?: string;
  title?: string;
  ref?: unknown;
  style?: unknown;
  'aria-label'?: string;
  'data-testid'?: string;
  role?: string;
};

declare module 'solid-js' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    // Solid sets props of custom elements as DOM properties; these must stay attributes (tests, screen readers).
    interface ExplicitAttributes {
      'data-testid': string | undefined;
      'aria-label': string | undefined;
    }
    interface IntrinsicElements {
      'vscode-button': El & {
        appearance?: 'primary' | 'secondary' | 'icon';
        disabled?: boolean;
        onClick?: (e: MouseEvent) => void;
        type?: string;
        tabIndex?: number;
      };
      'vscode-progress-ring': El;
      'vscode-badge': El;
      'vscode-divider': El;
      'vscode-tag': El;
    }
  }
}
