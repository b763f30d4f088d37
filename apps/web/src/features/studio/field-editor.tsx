'use client';

import type { FieldDef } from '@flatrender/engine';
import { useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ProgressBar } from '@/components/ui/feedback';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { studioText } from '@/i18n/dictionaries/studio';
import { formatPercent } from '@/i18n/format';
import {
  type AnyFieldEditorProps,
  BooleanFieldEditor,
  ChoiceFieldEditor,
  ColorFieldEditor,
  DateFieldEditor,
  FontFieldEditor,
  fieldLabel,
  IssueList,
  NumberFieldEditor,
  TextFieldEditor,
} from './field-editors';
import { ImageFieldEditor } from './image-field';
import styles from './studio.module.css';
import type { FieldIssues } from './studio-types';

/** The editor for any field type of the template model. */
export function FieldEditor(props: AnyFieldEditorProps) {
  const { def } = props;
  switch (def.type) {
    case 'text':
      return <TextFieldEditor {...props} def={def} />;
    case 'color':
      return <ColorFieldEditor {...props} def={def} />;
    case 'number':
      return <NumberFieldEditor {...props} def={def} />;
    case 'boolean':
      return <BooleanFieldEditor {...props} def={def} />;
    case 'choice':
      return <ChoiceFieldEditor {...props} def={def} />;
    case 'date':
      return <DateFieldEditor {...props} def={def} />;
    case 'font':
      return <FontFieldEditor {...props} def={def} fonts={props.fonts} />;
    case 'image':
      return (
        <ImageFieldEditor {...props} def={def} upload={props.upload} fallbackAspect={props.fallbackAspect} />
      );
    case 'audio':
      return <AudioFieldEditor {...props} def={def} />;
    case 'list':
      return <ListFieldEditor {...props} def={def} />;
  }
}

function AudioFieldEditor(props: AnyFieldEditorProps & { def: Extract<FieldDef, { type: 'audio' }> }) {
  const t = useT(studioText);
  const locale = useLocale();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <fieldset className={`fr-field ${styles.fieldset}`} data-field={id}>
      <legend className="fr-label">{fieldLabel(props.def, props.path, locale)}</legend>
      {props.value ? <span className="fr-hint">{t('audioSelected')}</span> : null}
      <div className="fr-row">
        <Button size="sm" onClick={() => input.current?.click()} disabled={progress !== null}>
          {t('uploadAudio')}
        </Button>
        {props.def.optional && props.value ? (
          <Button size="sm" variant="ghost" onClick={() => props.onChange(null)}>
            {t('removeImage')}
          </Button>
        ) : null}
      </div>
      <input
        ref={input}
        type="file"
        accept="audio/mpeg,audio/wav,audio/ogg,audio/mp4"
        hidden
        onChange={async (event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (!file) return;
          setError(null);
          setProgress(0);
          try {
            const uploaded = await props.upload(file, file.name, setProgress);
            props.onChange(`file:${uploaded.id}`);
          } catch (e) {
            setError(e);
          } finally {
            setProgress(null);
          }
        }}
      />
      {progress !== null ? (
        <ProgressBar value={progress} label={t('uploading', { p: formatPercent(progress, locale) })} />
      ) : null}
      <FormError error={error} />
      <IssueList issues={props.issues} id={`${id}-issues`} />
    </fieldset>
  );
}

/** Issues of one list item field: the check paths look like `bars[2].value`. */
function itemIssues(issues: FieldIssues | undefined, path: string, index: number, key: string) {
  if (!issues) return undefined;
  const prefix = `${path}[${index}].${key}`;
  const match = (i: { path: string }) => i.path === prefix || i.path.startsWith(`${prefix}.`);
  const errors = issues.errors.filter(match);
  const warnings = issues.warnings.filter(match);
  return errors.length || warnings.length ? { errors, warnings } : undefined;
}

export function ListFieldEditor(props: AnyFieldEditorProps & { def: Extract<FieldDef, { type: 'list' }> }) {
  const t = useT(studioText);
  const locale = useLocale();
  const id = useId();
  const items = Array.isArray(props.value) ? (props.value as Record<string, unknown>[]) : [];
  const { minItems, maxItems, item } = props.def;
  const ownIssues = props.issues && {
    errors: props.issues.errors.filter((i) => !/\[\d+\]/.test(i.path.slice(props.path.length))),
    warnings: props.issues.warnings.filter((i) => !/\[\d+\]/.test(i.path.slice(props.path.length))),
  };
  const set = (next: Record<string, unknown>[]) => props.onChange(next);
  const blank = () => {
    const out: Record<string, unknown> = {};
    for (const [key, def] of Object.entries(item)) {
      if (def.type === 'text') out[key] = '';
      else if ('default' in def && def.default !== undefined && typeof def.default !== 'object')
        out[key] = def.default;
    }
    return out;
  };
  return (
    <fieldset className={`fr-field ${styles.fieldset}`} data-field={id}>
      <div className={styles.fieldHead}>
        <legend className="fr-label">{fieldLabel(props.def, props.path, locale)}</legend>
        {!props.isDefault && props.onReset ? (
          <button type="button" className={styles.linkButton} onClick={props.onReset}>
            {t('reset')}
          </button>
        ) : null}
      </div>
      <span className="fr-hint">{t('listBounds', { min: minItems, max: maxItems })}</span>
      <ol className={styles.listItems}>
        {items.map((entry, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: list items are positional in the template model.
          <li key={index} className={styles.listItem}>
            <div className={styles.listItemHead}>
              <strong className="fr-small">{t('item', { n: index + 1 })}</strong>
              <Button
                size="sm"
                variant="ghost"
                className="fr-icon-btn"
                aria-label={t('removeItem', { n: index + 1 })}
                disabled={items.length <= minItems}
                onClick={() => set(items.filter((_, i) => i !== index))}
              >
                ✕
              </Button>
            </div>
            {Object.entries(item).map(([key, def]) => (
              <FieldEditor
                key={key}
                path={`${props.path}[${index}].${key}`}
                def={def}
                value={entry[key]}
                isDefault
                issues={itemIssues(props.issues, props.path, index, key)}
                fonts={props.fonts}
                upload={props.upload}
                {...(props.fallbackAspect ? { fallbackAspect: props.fallbackAspect } : {})}
                onChange={(value) => set(items.map((it, i) => (i === index ? { ...it, [key]: value } : it)))}
              />
            ))}
          </li>
        ))}
      </ol>
      <Button size="sm" disabled={items.length >= maxItems} onClick={() => set([...items, blank()])}>
        + {t('addItem')}
      </Button>
      <IssueList issues={ownIssues} id={`${id}-issues`} />
    </fieldset>
  );
}
