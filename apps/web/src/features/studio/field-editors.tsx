'use client';

import { type FieldDef, localize } from '@flatrender/engine';
import { useId } from 'react';
import { useLocale, useT } from '@/i18n/client';
import { studioText } from '@/i18n/dictionaries/studio';
import { formatNumber, latinDigits } from '@/i18n/format';
import type { Locale } from '@/i18n/locale';
import type { FontFaceView } from '@/lib/api/types';
import styles from './studio.module.css';
import type { FieldEditorProps, FieldIssues, UploadFn } from './studio-types';

export function fieldLabel(def: FieldDef, path: string, locale: Locale): string {
  if (def.label) return localize(def.label, locale);
  const last = path.split('.').pop() ?? path;
  return last.replace(/[-_]/g, ' ');
}

/** The check messages of a field, shown right under its control. */
export function IssueList({ issues, id }: { issues: FieldIssues | undefined; id: string }) {
  if (!issues || (issues.errors.length === 0 && issues.warnings.length === 0)) return null;
  return (
    <ul className={styles.issues} id={id}>
      {issues.errors.map((issue, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: messages have no identity of their own.
        <li key={`e${i}`} className="fr-field-error" role="alert" data-code={issue.code}>
          {issue.message}
        </li>
      ))}
      {issues.warnings.map((issue, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: messages have no identity of their own.
        <li key={`w${i}`} className="fr-field-warning" data-code={issue.code}>
          {issue.message}
        </li>
      ))}
    </ul>
  );
}

interface ShellProps {
  id: string;
  label: string;
  help?: string | undefined;
  issues?: FieldIssues | undefined;
  isDefault: boolean;
  onReset?: (() => void) | undefined;
  children: React.ReactNode;
  /** A group of controls (radio, list) is labelled as a fieldset, a single control by its label. */
  group?: boolean;
}

function EditorShell({ id, label, help, issues, isDefault, onReset, children, group }: ShellProps) {
  const t = useT(studioText);
  const invalid = Boolean(issues?.errors.length);
  const head = (
    <div className={styles.fieldHead}>
      {group ? (
        <legend className="fr-label">{label}</legend>
      ) : (
        <label className="fr-label" htmlFor={id}>
          {label}
        </label>
      )}
      {!isDefault && onReset ? (
        <button type="button" className={styles.linkButton} onClick={onReset}>
          {t('reset')}
        </button>
      ) : null}
    </div>
  );
  const body = (
    <>
      {head}
      {children}
      {help ? <span className="fr-hint">{help}</span> : null}
      <IssueList issues={issues} id={`${id}-issues`} />
    </>
  );
  return group ? (
    <fieldset className={`fr-field ${styles.fieldset}`} data-invalid={invalid || undefined} data-field={id}>
      {body}
    </fieldset>
  ) : (
    <div className="fr-field" data-invalid={invalid || undefined} data-field={id}>
      {body}
    </div>
  );
}

function shellProps(props: FieldEditorProps, id: string, locale: Locale) {
  return {
    id,
    label: fieldLabel(props.def, props.path, locale),
    help: props.def.help ? localize(props.def.help, locale) : undefined,
    issues: props.issues,
    isDefault: props.isDefault,
    onReset: props.onReset,
  };
}

function ariaFor(id: string, issues: FieldIssues | undefined) {
  const has = issues && (issues.errors.length > 0 || issues.warnings.length > 0);
  return {
    'aria-invalid': issues?.errors.length ? true : undefined,
    'aria-describedby': has ? `${id}-issues` : undefined,
  } as const;
}

export function TextFieldEditor(props: FieldEditorProps & { def: Extract<FieldDef, { type: 'text' }> }) {
  const locale = useLocale();
  const t = useT(studioText);
  const id = useId();
  const value = typeof props.value === 'string' ? props.value : '';
  const common = {
    id,
    value,
    // Persian or English, whichever the person types: the browser picks the direction per paragraph.
    dir: 'auto' as const,
    maxLength: props.def.maxLength,
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      props.onChange(event.target.value),
    'data-path': props.path,
    ...ariaFor(id, props.issues),
  };
  return (
    <EditorShell {...shellProps(props, id, locale)}>
      {props.def.multiline ? (
        <textarea className="fr-textarea" rows={3} {...common} />
      ) : (
        <input className="fr-input" type="text" {...common} />
      )}
      <span className={`fr-hint ${styles.counter}`} aria-live="off">
        {t('characters', { n: [...value].length, max: props.def.maxLength })}
      </span>
    </EditorShell>
  );
}

const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

/** `#abc` -> `#aabbcc` (what <input type=color> accepts); alpha is dropped for the picker only. */
export function pickerHex(hex: string): string {
  if (/^#[0-9a-fA-F]{3}$/.test(hex))
    return `#${hex
      .slice(1)
      .split('')
      .map((c) => c + c)
      .join('')}`.toLowerCase();
  return hex.slice(0, 7).toLowerCase();
}

export function ColorFieldEditor(props: FieldEditorProps & { def: Extract<FieldDef, { type: 'color' }> }) {
  const locale = useLocale();
  const t = useT(studioText);
  const id = useId();
  const value = typeof props.value === 'string' ? props.value : '#000000';
  return (
    <EditorShell {...shellProps(props, id, locale)} group>
      <div className={styles.colorRow}>
        <input
          type="color"
          className={styles.colorPicker}
          value={pickerHex(value)}
          aria-label={t('pickColor')}
          data-path={props.path}
          onChange={(event) => props.onChange(event.target.value)}
        />
        <input
          id={id}
          className={`fr-input ${styles.hexInput}`}
          dir="ltr"
          aria-label={t('hex')}
          defaultValue={value}
          key={value}
          spellCheck={false}
          maxLength={9}
          onChange={(event) => {
            const next = event.target.value.trim();
            if (HEX.test(next)) props.onChange(next.toLowerCase());
          }}
          {...ariaFor(id, props.issues)}
        />
      </div>
      {props.def.swatches?.length ? (
        <fieldset className={styles.swatches}>
          <legend className="fr-visually-hidden">{t('swatches')}</legend>
          {props.def.swatches.map((swatch) => (
            <button
              key={swatch}
              type="button"
              className={styles.swatch}
              style={{ background: swatch }}
              aria-label={swatch}
              aria-pressed={swatch.toLowerCase() === value.toLowerCase()}
              onClick={() => props.onChange(swatch)}
            />
          ))}
        </fieldset>
      ) : null}
    </EditorShell>
  );
}

export function NumberFieldEditor(props: FieldEditorProps & { def: Extract<FieldDef, { type: 'number' }> }) {
  const locale = useLocale();
  const id = useId();
  const value = typeof props.value === 'number' ? props.value : '';
  const { min, max, step } = props.def;
  return (
    <EditorShell {...shellProps(props, id, locale)}>
      <input
        id={id}
        className="fr-input"
        type="number"
        dir="ltr"
        inputMode="decimal"
        min={min}
        max={max}
        step={step ?? 'any'}
        defaultValue={value}
        key={String(value)}
        data-path={props.path}
        onChange={(event) => {
          const text = latinDigits(event.target.value);
          if (text === '') return;
          const n = Number(text);
          if (!Number.isFinite(n)) return;
          if ((min !== undefined && n < min) || (max !== undefined && n > max)) return;
          props.onChange(n);
        }}
        {...ariaFor(id, props.issues)}
      />
      {min !== undefined || max !== undefined ? (
        <span className="fr-hint" dir="auto">
          {min !== undefined ? formatNumber(min, locale) : '…'} –{' '}
          {max !== undefined ? formatNumber(max, locale) : '…'}
        </span>
      ) : null}
    </EditorShell>
  );
}

export function BooleanFieldEditor(
  props: FieldEditorProps & { def: Extract<FieldDef, { type: 'boolean' }> },
) {
  const locale = useLocale();
  const id = useId();
  return (
    <EditorShell {...shellProps(props, id, locale)}>
      <input
        id={id}
        type="checkbox"
        className={styles.checkbox}
        checked={props.value === true}
        data-path={props.path}
        onChange={(event) => props.onChange(event.target.checked)}
      />
    </EditorShell>
  );
}

export function ChoiceFieldEditor(props: FieldEditorProps & { def: Extract<FieldDef, { type: 'choice' }> }) {
  const locale = useLocale();
  const id = useId();
  return (
    <EditorShell {...shellProps(props, id, locale)}>
      <select
        id={id}
        className="fr-select"
        value={typeof props.value === 'string' ? props.value : ''}
        data-path={props.path}
        onChange={(event) => props.onChange(event.target.value)}
        {...ariaFor(id, props.issues)}
      >
        {props.def.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label ? localize(option.label, locale) : option.value}
          </option>
        ))}
      </select>
    </EditorShell>
  );
}

export function DateFieldEditor(props: FieldEditorProps & { def: Extract<FieldDef, { type: 'date' }> }) {
  const locale = useLocale();
  const id = useId();
  return (
    <EditorShell {...shellProps(props, id, locale)}>
      <input
        id={id}
        className="fr-input"
        type="date"
        dir="ltr"
        value={typeof props.value === 'string' ? props.value : ''}
        data-path={props.path}
        onChange={(event) => {
          if (event.target.value) props.onChange(event.target.value);
        }}
        {...ariaFor(id, props.issues)}
      />
    </EditorShell>
  );
}

/** The faces a font field may take: its `allowed` list, else every installed upright face. */
export function fontChoices(def: Extract<FieldDef, { type: 'font' }>, fonts: readonly FontFaceView[]) {
  const installed = fonts.filter((f) => f.style === 'normal').map((f) => `${f.family}:${f.weight}`);
  const choices = def.allowed?.length ? def.allowed : installed;
  return [...new Set(choices)].map((spec) => ({ spec, installed: installed.includes(spec) }));
}

export function FontFieldEditor(
  props: FieldEditorProps & { def: Extract<FieldDef, { type: 'font' }>; fonts: readonly FontFaceView[] },
) {
  const locale = useLocale();
  const id = useId();
  const value = typeof props.value === 'string' ? props.value : '';
  const choices = fontChoices(props.def, props.fonts);
  return (
    <EditorShell {...shellProps(props, id, locale)}>
      <select
        id={id}
        className="fr-select"
        value={value}
        data-path={props.path}
        onChange={(event) => props.onChange(event.target.value)}
        {...ariaFor(id, props.issues)}
      >
        {choices.some((c) => c.spec === value) ? null : <option value={value}>{value}</option>}
        {choices.map(({ spec, installed }) => {
          const [family, weight] = spec.split(':');
          return (
            <option key={spec} value={spec} disabled={!installed}>
              {family} {formatNumber(Number(weight), locale, { useGrouping: false })}
            </option>
          );
        })}
      </select>
      {value ? (
        <span
          className={styles.fontSample}
          style={{ fontFamily: `"${value.replace(':', ' ')}"` }}
          dir="auto"
          aria-hidden="true"
        >
          {locale === 'fa' ? 'نمونهٔ قلم ۱۲۳' : 'Font sample 123'}
        </span>
      ) : null}
    </EditorShell>
  );
}

export interface AnyFieldEditorProps extends FieldEditorProps {
  fonts: readonly FontFaceView[];
  upload: UploadFn;
  /** Shorter side ratio for image crops when the field gives no aspect hint. */
  fallbackAspect?: number;
}
