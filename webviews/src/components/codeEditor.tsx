// A YAML code editor (CodeMirror 6) themed from VS Code's variables, so it follows the workbench theme inside the
// panel and the app's own dark/light theme in a browser tab. Only the pieces we use are bundled: no meta-package.
import { onCleanup, onMount, createEffect, on, type JSX } from 'solid-js';
import {
  Compartment,
  EditorSelection,
  EditorState,
  RangeSetBuilder,
  type Extension,
  type StateCommand,
} from '@codemirror/state';
import {
  Decoration,
  EditorView,
  ViewPlugin,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  type DecorationSet,
  type ViewUpdate,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentLess, indentMore } from '@codemirror/commands';
import {
  bracketMatching,
  foldGutter,
  foldKeymap,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
  syntaxTree,
} from '@codemirror/language';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { forceLinting, lintGutter, linter, lintKeymap, type Diagnostic } from '@codemirror/lint';
import { yaml } from '@codemirror/lang-yaml';
import { tagHighlighter, tags as t } from '@lezer/highlight';

export interface EditorProblem {
  from: number;
  to: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface CodeEditorHandle {
  text(): string;
  /** Replaces the whole text. `resetHistory`: a fresh start (undo cannot go back past it). */
  setText(text: string, opts?: { resetHistory?: boolean }): void;
  focus(): void;
  /** Moves the cursor to a 1-based line and column, scrolls there and focuses the editor. */
  goTo(line: number, col?: number): void;
  /** Runs the linter now instead of after the typing pause. */
  lintNow(): void;
}

export interface CodeEditorProps {
  value: string;
  readOnly: boolean;
  /** The accessible name of the text box. */
  label: string;
  /** Ids of elements that describe the editor (problem list, key hints). */
  describedBy?: string;
  testId?: string;
  /** Checks the text after each pause in typing; the problems show inline, in the gutter and in `onProblems`. */
  lint?: (text: string) => EditorProblem[];
  onChange?: (text: string) => void;
  /** Ctrl/Cmd-S. */
  onSave?: () => void;
  ref?: (h: CodeEditorHandle) => void;
}

// Token classes (styled in styles.css from VS Code's variables) rather than inline colours: a theme switch is a CSS
// change, and tests can see what was highlighted.
const highlighter = tagHighlighter([
  { tag: t.definition(t.propertyName), class: 'kg-tok-key' },
  { tag: [t.string, t.special(t.string), t.attributeValue], class: 'kg-tok-string' },
  { tag: t.lineComment, class: 'kg-tok-comment' },
  { tag: t.labelName, class: 'kg-tok-anchor' },
  { tag: t.typeName, class: 'kg-tok-tag' },
  { tag: [t.meta, t.keyword], class: 'kg-tok-meta' },
  { tag: [t.separator, t.punctuation, t.squareBracket, t.brace], class: 'kg-tok-punct' },
]);

// The YAML grammar tags every plain value as content; YAML itself reads some of them as numbers, booleans or null,
// and so should the reader.
const ATOM = /^(?:true|false|True|False|TRUE|FALSE|null|Null|NULL|~)$/;
const NUMBER =
  /^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|0x[\da-fA-F]+|0o[0-7]+|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN)$/;
const valueMarks = {
  atom: Decoration.mark({ class: 'kg-tok-atom' }),
  number: Decoration.mark({ class: 'kg-tok-number' }),
  plain: Decoration.mark({ class: 'kg-tok-value' }),
};

function scalarDecorations(view: EditorView): DecorationSet {
  const b = new RangeSetBuilder<Decoration>();
  const tree = syntaxTree(view.state);
  for (const { from, to } of view.visibleRanges) {
    tree.iterate({
      from,
      to,
      enter: (n) => {
        if (n.name === 'BlockLiteralContent') {
          b.add(n.from, n.to, valueMarks.plain);
          return false;
        }
        if (n.name !== 'Literal' || n.node.parent?.name === 'Key') return undefined;
        const text = view.state.doc.sliceString(n.from, n.to);
        b.add(
          n.from,
          n.to,
          ATOM.test(text) ? valueMarks.atom : NUMBER.test(text) ? valueMarks.number : valueMarks.plain,
        );
        return false;
      },
    });
  }
  return b.finish();
}

const scalarHighlight = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = scalarDecorations(view);
    }
    update(u: ViewUpdate) {
      if (u.docChanged || u.viewportChanged || syntaxTree(u.startState) !== syntaxTree(u.state))
        this.decorations = scalarDecorations(u.view);
    }
  },
  { decorations: (v) => v.decorations },
);

/** Tab inserts two spaces at the cursor (YAML forbids tab characters); with lines selected it indents them. */
const insertSoftTab: StateCommand = ({ state, dispatch }) => {
  if (state.readOnly) return false;
  if (state.selection.ranges.some((r) => !r.empty && state.doc.lineAt(r.from).number !== state.doc.lineAt(r.to).number))
    return indentMore({ state, dispatch });
  dispatch(state.update(state.replaceSelection('  '), { scrollIntoView: true, userEvent: 'input' }));
  return true;
};

// Everything reads VS Code variables (the browser tab defines fallbacks in styles.css). Colours here, not in the
// CSS file, because CodeMirror's own base theme would otherwise win on specificity.
const theme = EditorView.theme({
  '&': {
    color: 'var(--vscode-editor-foreground)',
    backgroundColor: 'var(--vscode-editor-background)',
    fontSize: 'var(--vscode-editor-font-size, 12px)',
    border: '1px solid var(--vscode-panel-border)',
    borderRadius: '4px',
  },
  '&.cm-focused': { outline: '1px solid var(--vscode-focusBorder)' },
  '.cm-scroller': { fontFamily: 'var(--vscode-editor-font-family)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--vscode-editorCursor-foreground)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--vscode-editorCursor-foreground)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-content ::selection': {
    backgroundColor: 'var(--vscode-editor-selectionBackground)',
  },
  '.cm-selectionBackground': { backgroundColor: 'var(--vscode-editor-inactiveSelectionBackground)' },
  '.cm-activeLine': { backgroundColor: 'var(--vscode-editor-lineHighlightBackground)' },
  '.cm-gutters': {
    backgroundColor: 'var(--vscode-editorGutter-background, var(--vscode-editor-background))',
    color: 'var(--vscode-editorLineNumber-foreground)',
    border: 'none',
  },
  '.cm-activeLineGutter': { backgroundColor: 'transparent', color: 'var(--vscode-editorLineNumber-activeForeground)' },
  '.cm-foldGutter .cm-gutterElement': {
    color: 'var(--vscode-editorGutter-foldingControlForeground, var(--vscode-editorLineNumber-foreground))',
    cursor: 'pointer',
    padding: '0 4px',
  },
  '.cm-foldPlaceholder': {
    backgroundColor: 'var(--vscode-editor-foldBackground, var(--vscode-editor-inactiveSelectionBackground))',
    border: '1px solid var(--vscode-panel-border)',
    color: 'var(--vscode-descriptionForeground)',
  },
  '&.cm-focused .cm-matchingBracket': {
    backgroundColor: 'var(--vscode-editorBracketMatch-background)',
    outline: '1px solid var(--vscode-editorBracketMatch-border)',
  },
  '&.cm-focused .cm-nonmatchingBracket': { color: 'var(--vscode-editorError-foreground)' },
  '.cm-searchMatch': {
    backgroundColor: 'var(--vscode-editor-findMatchHighlightBackground)',
    outline: '1px solid var(--vscode-editor-findMatchHighlightBorder, transparent)',
  },
  '.cm-searchMatch.cm-searchMatch-selected': { backgroundColor: 'var(--vscode-editor-findMatchBackground)' },
  '.cm-selectionMatch': { backgroundColor: 'var(--vscode-editor-selectionHighlightBackground)' },
  '.cm-panels': {
    backgroundColor: 'var(--vscode-editorWidget-background)',
    color: 'var(--vscode-editorWidget-foreground, var(--vscode-foreground))',
  },
  '.cm-panels.cm-panels-top': {
    borderBottom: '1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border))',
  },
  '.cm-panels.cm-panels-bottom': {
    borderTop: '1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border))',
  },
  '.cm-panel.cm-search': {
    fontFamily: 'var(--vscode-font-family)',
    fontSize: 'var(--vscode-font-size, 13px)',
    padding: '4px 8px',
  },
  '.cm-panel.cm-search label': { fontSize: 'inherit' },
  '.cm-textfield': {
    backgroundColor: 'var(--vscode-input-background)',
    color: 'var(--vscode-input-foreground)',
    border: '1px solid var(--vscode-input-border, transparent)',
    borderRadius: '2px',
    fontSize: 'inherit',
  },
  '.cm-textfield:focus': { outline: '1px solid var(--vscode-focusBorder)' },
  '.cm-button': {
    backgroundImage: 'none',
    backgroundColor: 'var(--vscode-button-secondaryBackground)',
    color: 'var(--vscode-button-secondaryForeground)',
    border: '1px solid transparent',
    borderRadius: '2px',
    fontSize: 'inherit',
  },
  '.cm-button:hover': { backgroundColor: 'var(--vscode-button-secondaryHoverBackground)' },
  '.cm-panel.cm-search [name=close]': { color: 'var(--vscode-foreground)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--vscode-editorHoverWidget-background, var(--vscode-editorWidget-background))',
    color: 'var(--vscode-editorHoverWidget-foreground, var(--vscode-foreground))',
    border: '1px solid var(--vscode-editorHoverWidget-border, var(--vscode-panel-border))',
  },
  '.cm-diagnostic': { fontFamily: 'var(--vscode-font-family)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--vscode-editorError-foreground)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--vscode-editorWarning-foreground)' },
  '.cm-lintRange-error': {
    backgroundImage: 'none',
    textDecoration: 'underline wavy var(--vscode-editorError-foreground)',
    textUnderlineOffset: '3px',
  },
  '.cm-lintRange-warning': {
    backgroundImage: 'none',
    textDecoration: 'underline wavy var(--vscode-editorWarning-foreground)',
    textUnderlineOffset: '3px',
  },
  '.cm-lintPoint:after': { borderBottomColor: 'var(--vscode-editorError-foreground)' },
  '.cm-panel.cm-panel-lint ul [aria-selected]': { backgroundColor: 'var(--vscode-list-activeSelectionBackground)' },
});

export function CodeEditor(p: CodeEditorProps): JSX.Element {
  let host!: HTMLDivElement;
  let view: EditorView | undefined;
  const editable = new Compartment();
  const checks = new Compartment();

  const editableExt = (readOnly: boolean): Extension => [
    EditorState.readOnly.of(readOnly),
    EditorView.contentAttributes.of({ 'aria-readonly': String(readOnly) }),
  ];
  const lintExt = (readOnly: boolean): Extension => {
    const lint = p.lint;
    if (readOnly || !lint) return [];
    return [
      linter(
        (v): Diagnostic[] =>
          lint(v.state.doc.toString()).map((d) => ({
            from: d.from,
            to: d.to,
            severity: d.severity,
            message: d.message,
          })),
        { delay: 300 },
      ),
      lintGutter(),
    ];
  };
  const extensions = (): Extension[] => [
    lineNumbers(),
    foldGutter(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    EditorState.tabSize.of(2),
    indentUnit.of('  '),
    yaml(),
    syntaxHighlighting(highlighter),
    scalarHighlight,
    theme,
    keymap.of([
      // Review is the "save" of this editor; the browser's own save-page dialog would only get in the way.
      { key: 'Mod-s', preventDefault: true, run: () => (p.onSave?.(), true) },
      { key: 'Tab', run: insertSoftTab, shift: indentLess },
      ...defaultKeymap,
      ...searchKeymap,
      ...historyKeymap,
      ...foldKeymap,
      ...lintKeymap,
    ]),
    // An explicit tab stop: assistive tech and axe do not count a contenteditable as focusable on its own.
    EditorView.contentAttributes.of({
      tabindex: '0',
      'aria-label': p.label,
      ...(p.describedBy ? { 'aria-describedby': p.describedBy } : {}),
    }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) p.onChange?.(u.state.doc.toString());
    }),
    editable.of(editableExt(p.readOnly)),
    checks.of(lintExt(p.readOnly)),
  ];

  onMount(() => {
    view = new EditorView({ parent: host, state: EditorState.create({ doc: p.value, extensions: extensions() }) });
    p.ref?.({
      text: () => view!.state.doc.toString(),
      setText: (text, opts) => {
        const v = view!;
        if (opts?.resetHistory) {
          v.setState(EditorState.create({ doc: text, extensions: extensions() }));
          return;
        }
        if (text === v.state.doc.toString()) return;
        v.dispatch({
          changes: { from: 0, to: v.state.doc.length, insert: text },
          selection: EditorSelection.cursor(Math.min(v.state.selection.main.head, text.length)),
          userEvent: 'set',
        });
      },
      focus: () => view!.focus(),
      goTo: (line, col = 1) => {
        const v = view!;
        const l = v.state.doc.line(Math.max(1, Math.min(line, v.state.doc.lines)));
        const pos = Math.min(l.from + Math.max(0, col - 1), l.to);
        v.dispatch({
          selection: EditorSelection.cursor(pos),
          effects: EditorView.scrollIntoView(pos, { y: 'center' }),
        });
        v.focus();
      },
      lintNow: () => forceLinting(view!),
    });
  });
  // Read-only and editable share one editor, so switching keeps the scroll position and the selection.
  createEffect(
    on(
      () => p.readOnly,
      (ro) => view?.dispatch({ effects: [editable.reconfigure(editableExt(ro)), checks.reconfigure(lintExt(ro))] }),
      { defer: true },
    ),
  );
  onCleanup(() => view?.destroy());
  return <div ref={host} class="kg-cm" data-testid={p.testId} data-readonly={String(p.readOnly)} />;
}
