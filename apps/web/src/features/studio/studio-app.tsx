'use client';

import {
  applySceneEdits,
  type FieldValues,
  getBlock,
  localize,
  parseTemplate,
  projectScenes,
  resolveComposition,
  type Template,
} from '@flatrender/engine';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Alert } from '@/components/ui/feedback';
import { errorMessage } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { galleryText } from '@/i18n/dictionaries/gallery';
import { studioText } from '@/i18n/dictionaries/studio';
import { api, uploadMultipart } from '@/lib/api/client';
import type { Aspect, FileView, FontFaceView, Project, ProjectChecks, SceneEdit } from '@/lib/api/types';
import { type PendingChanges, useAutosave } from './autosave';
import { FieldEditor } from './field-editor';
import { RenderButton } from './render-dialog';
import { SceneList, type SceneRow } from './scene-list';
import { SnapshotButton } from './snapshot-dialog';
import styles from './studio.module.css';
import {
  currentValues,
  fieldGroups,
  issuesByField,
  sceneName,
  setField,
  toFieldValues,
} from './studio-model';
import { type OutputLimits, type PreviewHandle, StudioPreview } from './studio-preview';
import type { UploadFn } from './studio-types';

export interface StudioAppProps {
  project: Project;
  /** The signed-in person's current tenant (plan and allowance for the render quote). */
  tenantId: string;
  /** The pinned template version's document, as published. */
  document: unknown;
  fonts: FontFaceView[];
  output: OutputLimits;
}

const upload: UploadFn = (file, name, onProgress) =>
  uploadMultipart<FileView>('/v1/files', file, name, { query: { purpose: 'project_asset' }, onProgress });

/** Applies unsaved changes on top of other values (keeping mine after a conflict). */
function reapply(template: Template, values: FieldValues, changes: PendingChanges): FieldValues {
  let next = values;
  if (changes.edits.length) {
    const result = applySceneEdits(template, next, changes.edits);
    if (result.ok) next = result.values;
  }
  for (const [path, value] of Object.entries(changes.fields)) next = setField(next, path, value);
  return next;
}

export function StudioApp({ project: initial, tenantId, document, fonts, output }: StudioAppProps) {
  const t = useT(studioText);
  const tg = useT(galleryText);
  const locale = useLocale();
  const template = useMemo(() => parseTemplate(document), [document]);
  const [project, setProject] = useState(initial);
  const [values, setValues] = useState<FieldValues>(() => toFieldValues(initial.values));
  const [aspect, setAspect] = useState<Aspect>(initial.aspect);
  const [name, setName] = useState(initial.name);
  const [checks, setChecks] = useState<ProjectChecks | null>(null);
  const [selected, setSelected] = useState<string | undefined>(template.scenes[0]?.id);
  const [editError, setEditError] = useState<string | null>(null);
  const preview = useRef<PreviewHandle>(null);
  const time = useRef(0);
  const projectLocale = project.locale;

  const checkTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // After saves settle: checks are advice, a failed request leaves the last result in place.
  const loadChecks = useCallback(
    (forAspect: Aspect, delayMs = 1000) => {
      clearTimeout(checkTimer.current);
      checkTimer.current = setTimeout(() => {
        api
          .get<ProjectChecks>(`/v1/projects/${initial.id}/checks`, { aspect: forAspect })
          .then(setChecks, () => undefined);
      }, delayMs);
    },
    [initial.id],
  );

  const save = useAutosave({
    projectId: initial.id,
    revision: initial.revision,
    delayMs: 1000,
    onSaved: (saved, settled) => {
      setProject(saved);
      // The server's values are the truth once nothing newer is waiting (e.g. ids of added scenes).
      if (settled) setValues(toFieldValues(saved.values));
      loadChecks(saved.aspect);
    },
  });

  useEffect(() => {
    loadChecks(initial.aspect, 0);
    return () => clearTimeout(checkTimer.current);
  }, [loadChecks, initial.aspect]);

  const { scenes } = useMemo(() => projectScenes(template, values), [template, values]);
  const durationSeconds = useMemo(() => {
    try {
      return resolveComposition(template, values, aspect, { locale: projectLocale }).durationSeconds;
    } catch {
      return 0;
    }
  }, [template, values, aspect, projectLocale]);
  const groups = useMemo(() => fieldGroups(template, values), [template, values]);
  const current = useMemo(
    () => currentValues(template, values, projectLocale),
    [template, values, projectLocale],
  );
  const allPaths = useMemo(() => groups.flatMap((g) => g.fields.map((f) => f.path)), [groups]);
  const issues = useMemo(() => issuesByField(checks, allPaths), [checks, allPaths]);

  const sceneRows: SceneRow[] = scenes.map((scene, index) => ({
    id: scene.id,
    name: sceneName(scene, index, locale),
    duration: values.durations?.[scene.id] ?? scene.duration.default,
    min: scene.duration.min,
    max: scene.duration.max,
    errorCount: [...issues.byField.entries()]
      .filter(([path]) => path.startsWith(`${scene.id}.`))
      .reduce((n, [, i]) => n + i.errors.length, 0),
  }));

  const changeField = (path: string, value: unknown) => {
    setValues((v) => setField(v, path, value));
    save.queue({ fields: { [path]: value } });
  };
  const resetField = (path: string) => {
    setValues((v) => setField(v, path, null));
    save.queue({ fields: { [path]: null } });
  };
  const editScenes = (edit: SceneEdit) => {
    const result = applySceneEdits(template, values, [edit]);
    if (!result.ok) {
      setEditError(result.errors.map((e) => e.message).join(' '));
      return;
    }
    setEditError(null);
    setValues(result.values);
    save.queue({ edits: [edit] });
  };
  const selectScene = (id: string) => {
    setSelected(id);
    let start = 0;
    for (const row of sceneRows) {
      if (row.id === id) break;
      start += row.duration;
    }
    preview.current?.seek(start + 0.5);
    globalThis.document?.getElementById(`scene-fields-${id}`)?.scrollIntoView({ block: 'nearest' });
  };

  const blocks = (template.allowedBlocks ?? []).map((id) => {
    const block = getBlock(template.engine, id);
    return { id, name: block ? localize(block.title, locale) : id };
  });
  const fallbackAspect = (() => {
    const size = template.aspects[aspect];
    return size ? size[0] / size[1] : undefined;
  })();

  const statusText = {
    saved: t('saved'),
    pending: t('unsaved'),
    saving: t('saving'),
    error: t('saveFailed'),
    conflict: t('conflictTitle'),
  }[save.status];

  return (
    <div className={styles.studio}>
      <div className={styles.topbar}>
        <Link href="/templates" className="fr-btn fr-btn-ghost fr-btn-sm">
          {t('backToGallery')}
        </Link>
        <input
          className={styles.nameInput}
          aria-label={t('projectName')}
          dir="auto"
          value={name}
          maxLength={200}
          onChange={(event) => setName(event.target.value)}
          onBlur={() => {
            const trimmed = name.trim();
            if (trimmed && trimmed !== project.name) save.queue({ name: trimmed });
            else setName(project.name);
          }}
        />
        <span className={styles.saveState} data-status={save.status} data-testid="save-state" role="status">
          {statusText}
          {save.status === 'error' ? (
            <button type="button" className={styles.linkButton} onClick={save.retry}>
              {t('saveRetry')}
            </button>
          ) : null}
        </span>
        <div className={styles.topbarEnd}>
          <label className="fr-visually-hidden" htmlFor="studio-aspect">
            {t('aspect')}
          </label>
          <select
            id="studio-aspect"
            className={`fr-select ${styles.aspectSelect}`}
            value={aspect}
            data-testid="aspect-switch"
            onChange={(event) => {
              const next = event.target.value as Aspect;
              setAspect(next);
              save.queue({ aspect: next });
            }}
          >
            {(Object.keys(template.aspects) as Aspect[]).map((a) => (
              <option key={a} value={a}>
                {tg(`aspect.${a}`)}
              </option>
            ))}
          </select>
          <SnapshotButton
            projectId={initial.id}
            aspect={aspect}
            currentTime={() => time.current}
            beforeRequest={save.retry}
          />
          <RenderButton
            projectId={initial.id}
            tenantId={tenantId}
            aspect={aspect}
            durationSeconds={durationSeconds}
            checks={checks}
            saveStatus={save.status}
            flush={save.retry}
          />
        </div>
      </div>
      {save.status === 'error' && save.error ? (
        <Alert tone="error">{errorMessage(save.error, locale)}</Alert>
      ) : null}
      <div className={styles.body}>
        <aside className={`${styles.panel} ${styles.panelStart}`} aria-label={t('scenesTitle')}>
          <h2 className={styles.panelTitle}>{t('scenesTitle')}</h2>
          <SceneList
            scenes={sceneRows}
            flexible={template.mode === 'flexible'}
            minScenes={template.minScenes}
            maxScenes={template.maxScenes}
            blocks={blocks}
            selected={selected}
            onSelect={selectScene}
            onEdit={editScenes}
          />
          {editError ? <Alert tone="error">{editError}</Alert> : null}
        </aside>
        <section className={styles.center} aria-label={template.id}>
          <StudioPreview
            ref={preview}
            template={template}
            values={values}
            aspect={aspect}
            projectLocale={projectLocale}
            fonts={fonts}
            output={output}
            onTimeChange={(seconds) => {
              time.current = seconds;
            }}
          />
          {project.template.latest_version && project.template.latest_version > project.template.version ? (
            <Alert tone="info">{t('upgradeAvailable')}</Alert>
          ) : null}
        </section>
        <aside className={`${styles.panel} ${styles.panelEnd}`} aria-label={t('fieldsTitle')}>
          {checks ? (
            <div className={styles.checks} data-ok={checks.ok} data-testid="checks-summary">
              <strong>{checks.ok ? t('checksOk') : t('checksErrors', { n: checks.errors.length })}</strong>
              {checks.warnings.length ? (
                <div>{t('checksWarnings', { n: checks.warnings.length })}</div>
              ) : null}
              {issues.other.errors.length ? (
                <ul>
                  {issues.other.errors.map((issue) => (
                    <li key={`${issue.code}:${issue.path}`}>{issue.message}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
          <h2 className={styles.panelTitle}>{t('fieldsTitle')}</h2>
          {groups.map((group, index) =>
            group.fields.length === 0 ? null : (
              <details
                key={group.scene?.id ?? '__template'}
                id={group.scene ? `scene-fields-${group.scene.id}` : undefined}
                className={styles.group}
                open={!group.scene || group.scene.id === selected || index <= 1}
                onToggle={(event) => {
                  if (group.scene && event.currentTarget.open) setSelected(group.scene.id);
                }}
              >
                <summary>
                  {group.scene ? sceneName(group.scene, index - 1, locale) : t('globalFields')}
                </summary>
                <div className={styles.groupFields}>
                  {group.fields.map(({ path, def }) => (
                    <FieldEditor
                      key={path}
                      path={path}
                      def={def}
                      value={current.get(path)}
                      isDefault={values.fields?.[path] === undefined}
                      onChange={(value) => changeField(path, value)}
                      onReset={() => resetField(path)}
                      issues={issues.byField.get(path)}
                      fonts={fonts}
                      upload={upload}
                      {...(fallbackAspect ? { fallbackAspect } : {})}
                    />
                  ))}
                </div>
              </details>
            ),
          )}
        </aside>
      </div>
      <Dialog
        open={save.status === 'conflict'}
        onClose={() => undefined}
        title={t('conflictTitle')}
        actions={
          <>
            <Button
              onClick={() => {
                const theirs = save.reload();
                if (!theirs) return;
                setProject(theirs);
                setValues(toFieldValues(theirs.values));
                setAspect(theirs.aspect);
                setName(theirs.name);
              }}
              data-testid="conflict-reload"
            >
              {t('conflictReload')}
            </Button>
            <Button
              variant="primary"
              onClick={() => {
                const { current: theirs, changes } = save.overwrite();
                if (!theirs) return;
                setProject(theirs);
                setValues(reapply(template, toFieldValues(theirs.values), changes));
                if (changes.aspect) setAspect(changes.aspect);
              }}
              data-testid="conflict-overwrite"
            >
              {t('conflictOverwrite')}
            </Button>
          </>
        }
      >
        <p>{t('conflictBody')}</p>
      </Dialog>
    </div>
  );
}
