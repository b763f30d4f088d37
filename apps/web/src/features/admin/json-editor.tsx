'use client';

import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic as CmDiagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import styles from './admin.module.css';
import type { Diagnostic } from './json-diagnostics';

export interface JsonEditorHandle {
  /** Selects a range, scrolls it into view and focuses the editor. */
  reveal(from: number, to: number): void;
}

/**
 * A JSON code editor (CodeMirror) that underlines each diagnostic at its place in the text, with a
 * marker in the gutter and the message on hover. Always left to right: JSON is code.
 */
export const JsonEditor = forwardRef<
  JsonEditorHandle,
  { value: string; onChange: (text: string) => void; diagnostics: readonly Diagnostic[]; label: string }
>(function JsonEditor({ value, onChange, diagnostics, label }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  // biome-ignore lint/correctness/useExhaustiveDependencies: created once per mount; the editor owns its text from then on (`value` only seeds it).
  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLine(),
          history(),
          bracketMatching(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          json(),
          syntaxHighlighting(defaultHighlightStyle),
          lintGutter(),
          EditorView.contentAttributes.of({ 'aria-label': label, 'data-testid': 'json-editor-content' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) changed.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const length = editor.state.doc.length;
    const marks: CmDiagnostic[] = diagnostics.map((d) => ({
      from: Math.min(d.from, length),
      to: Math.min(Math.max(d.to, d.from), length),
      severity: d.severity,
      message: d.path ? `${d.path}: ${d.message}` : d.message,
      source: d.code,
    }));
    editor.dispatch(setDiagnostics(editor.state, marks));
  }, [diagnostics]);

  useImperativeHandle(ref, () => ({
    reveal(from, to) {
      const editor = view.current;
      if (!editor) return;
      const length = editor.state.doc.length;
      editor.dispatch({
        selection: { anchor: Math.min(from, length), head: Math.min(to, length) },
        effects: EditorView.scrollIntoView(Math.min(from, length), { y: 'center' }),
      });
      editor.focus();
    },
  }));

  return <div ref={host} className={styles.editor} dir="ltr" data-testid="json-editor" />;
});
