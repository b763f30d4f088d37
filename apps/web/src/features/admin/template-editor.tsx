'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert, Badge, Spinner } from '@/components/ui/feedback';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { adminText } from '@/i18n/dictionaries/admin';
import { formatNumber } from '@/i18n/format';
import { api } from '@/lib/api/client';
import { ApiError } from '@/lib/api/errors';
import styles from './admin.module.css';
import { type Diagnostic, locateProblems, type Problem, syntaxDiagnostics } from './json-diagnostics';
import { JsonEditor, type JsonEditorHandle } from './json-editor';

export interface Validation {
  ok: boolean;
  errors: Problem[];
  warnings: Problem[];
}

interface DraftAnswer {
  id: string;
  slug: string;
  status: 'draft' | 'published' | 'unpublished';
  draft_updated_at: string;
  document: Record<string, unknown>;
  validation: Validation;
}

/** How long typing must pause before the document is checked by the content service. */
const CHECK_DELAY_MS = 900;

/**
 * The problems list under the editor: where each one is (line, column, JSON path) and what it is;
 * a click puts the cursor on it.
 */
export function ProblemList({
  diagnostics,
  onPick,
}: {
  diagnostics: readonly Diagnostic[];
  onPick: (d: Diagnostic) => void;
}) {
  const t = useT(adminText);
  const locale = useLocale();
  return (
    <ul className={styles.problems} data-testid="problems">
      {diagnostics.map((d, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: two problems may share a path and code.
        <li key={i}>
          <button
            type="button"
            className={styles.problem}
            data-severity={d.severity}
            data-path={d.path}
            data-line={d.line}
            title={t('editor.jump')}
            onClick={() => onPick(d)}
          >
            <span className={styles.problemWhere}>
              {t('editor.line', { line: formatNumber(d.line, locale), col: formatNumber(d.column, locale) })}
            </span>
            <span>
              {d.path ? <span className={styles.problemPath}>{d.path}</span> : null}{' '}
              <span dir="ltr" style={{ unicodeBidi: 'isolate' }}>
                {d.code === 'json_syntax'
                  ? t('editor.syntax', { message: d.message })
                  : d.code === 'not_an_object'
                    ? t('editor.notObject')
                    : d.message}
              </span>{' '}
              <Badge tone={d.severity === 'error' ? 'danger' : 'warning'}>{d.code}</Badge>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * The platform template editor: the document as JSON, checked as one types (syntax at once, the
 * engine's rules after a pause), with every problem underlined at its path; save the draft, publish.
 */
export function TemplateEditor({
  templateId,
  initialText,
  initialValidation,
  hasUnpublished,
}: {
  templateId: string | null;
  initialText: string;
  initialValidation: Validation | null;
  hasUnpublished?: boolean;
}) {
  const t = useT(adminText);
  const locale = useLocale();
  const router = useRouter();
  const editor = useRef<JsonEditorHandle>(null);
  const [text, setText] = useState(initialText);
  const [saved, setSaved] = useState(initialText);
  const [validation, setValidation] = useState<Validation | null>(initialValidation);
  const [checking, setChecking] = useState(false);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const syntax = useMemo(() => syntaxDiagnostics(text), [text]);
  const diagnostics = useMemo<Diagnostic[]>(() => {
    if (syntax.length > 0) return syntax;
    if (!validation) return [];
    return [
      ...locateProblems(text, validation.errors, 'error'),
      ...locateProblems(text, validation.warnings, 'warning'),
    ];
  }, [text, syntax, validation]);

  // The engine's rules, once typing pauses and the text is JSON.
  useEffect(() => {
    if (syntax.length > 0) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setChecking(true);
      try {
        const response = await fetch('/api/gw/v1/templates/validate', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ document: JSON.parse(text) }),
          signal: controller.signal,
        });
        if (response.ok) setValidation((await response.json()) as Validation);
      } catch {
        // A check that did not answer is asked again with the next edit.
      } finally {
        if (!controller.signal.aborted) setChecking(false);
      }
    }, CHECK_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, syntax]);

  const document = () => JSON.parse(text) as Record<string, unknown>;

  const save = async (): Promise<string | null> => {
    if (templateId === null) {
      const created = await api.post<DraftAnswer>('/v1/admin/templates', { document: document() });
      setSaved(text);
      setValidation(created.validation);
      router.replace(`/admin/templates/${created.id}`);
      return created.id;
    }
    const answer = await api.put<DraftAnswer>(`/v1/admin/templates/${templateId}/draft`, {
      document: document(),
    });
    setSaved(text);
    setValidation(answer.validation);
    return templateId;
  };

  const act = async (which: 'save' | 'publish') => {
    setBusy(which);
    setError(null);
    setNotice(null);
    try {
      const id = text !== saved || templateId === null ? await save() : templateId;
      if (which === 'save' || !id) {
        setNotice(t('editor.saved'));
        return;
      }
      const published = await api.post<{ version: number; warnings: Problem[] }>(
        `/v1/admin/templates/${id}/publish`,
      );
      setNotice(t('editor.published', { v: formatNumber(published.version, locale) }));
      setValidation({ ok: true, errors: [], warnings: published.warnings });
      router.refresh();
    } catch (e) {
      // A refused publication carries the engine's problems: they go where they belong in the text.
      if (e instanceof ApiError && e.problems.length > 0)
        setValidation({
          ok: false,
          errors: e.problems.map((p) => ({ path: p.path ?? '', code: p.code, message: p.message })),
          warnings: [],
        });
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return (
    <div className="fr-stack">
      <FormError error={error} />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {hasUnpublished && text === saved ? <Alert tone="info">{t('editor.hasUnpublished')}</Alert> : null}
      <div className={styles.editorBar}>
        <Button
          variant="primary"
          busy={busy === 'save'}
          disabled={busy !== null || syntax.length > 0}
          onClick={() => act('save')}
          data-testid="template-save"
        >
          {templateId === null ? t('editor.create') : t('editor.save')}
        </Button>
        {templateId !== null ? (
          <Button
            busy={busy === 'publish'}
            disabled={busy !== null || syntax.length > 0}
            onClick={() => act('publish')}
            data-testid="template-publish"
          >
            {t('editor.publish')}
          </Button>
        ) : null}
        <span className="fr-grow" />
        {text !== saved ? <Badge tone="warning">{t('editor.unsaved')}</Badge> : null}
        <span
          data-testid="validation-summary"
          data-errors={errors}
          data-warnings={warnings}
          className="fr-row fr-small"
        >
          {checking ? (
            <Spinner label={t('editor.checking')} />
          ) : diagnostics.length === 0 && validation ? (
            <Badge tone="success">{t('editor.ok')}</Badge>
          ) : (
            <>
              {errors > 0 ? <Badge tone="danger">{t('editor.errors', { n: errors })}</Badge> : null}
              {warnings > 0 ? <Badge tone="warning">{t('editor.warnings', { n: warnings })}</Badge> : null}
            </>
          )}
        </span>
      </div>
      <JsonEditor
        ref={editor}
        value={initialText}
        onChange={setText}
        diagnostics={diagnostics}
        label={t('editor.document')}
      />
      {diagnostics.length > 0 ? (
        <ProblemList diagnostics={diagnostics} onPick={(d) => editor.current?.reveal(d.from, d.to)} />
      ) : null}
    </div>
  );
}
