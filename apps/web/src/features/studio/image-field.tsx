'use client';

import type { FieldDef } from '@flatrender/engine';
import { useEffect, useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ProgressBar } from '@/components/ui/feedback';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { commonText } from '@/i18n/dictionaries/common';
import { studioText } from '@/i18n/dictionaries/studio';
import { formatPercent } from '@/i18n/format';
import { assetUrl } from './engine-browser';
import { fieldLabel, IssueList } from './field-editors';
import { type CropBox, cropBox, encodeCrop, ratioOf } from './image-crop';
import styles from './studio.module.css';
import type { FieldEditorProps, UploadFn } from './studio-types';

interface Pending {
  file: File;
  url: string;
  image: HTMLImageElement;
}

/**
 * An image field: the current image, an upload that first crops the picture to the field's shape
 * (its aspect hint, else the picture's own), with the upload's progress; the value becomes `file:<id>`.
 */
export function ImageFieldEditor(
  props: FieldEditorProps & {
    def: Extract<FieldDef, { type: 'image' }>;
    upload: UploadFn;
    fallbackAspect?: number | undefined;
  },
) {
  const t = useT(studioText);
  const locale = useLocale();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const current = typeof props.value === 'string' ? assetUrl(props.value) : undefined;
  const ratio = ratioOf(props.def.aspectHint) ?? props.fallbackAspect;

  useEffect(() => () => (pending ? URL.revokeObjectURL(pending.url) : undefined), [pending]);

  const choose = (file: File) => {
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.onload = () => setPending({ file, url, image });
    image.onerror = () => {
      URL.revokeObjectURL(url);
      setError(new Error('unreadable image'));
    };
    image.src = url;
  };

  const send = async (blob: Blob, name: string) => {
    setPending(null);
    setError(null);
    setProgress(0);
    try {
      const file = await props.upload(blob, name, setProgress);
      props.onChange(`file:${file.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };

  return (
    <fieldset
      className={`fr-field ${styles.fieldset}`}
      data-field={id}
      data-invalid={props.issues?.errors.length ? true : undefined}
    >
      <div className={styles.fieldHead}>
        <legend className="fr-label">{fieldLabel(props.def, props.path, locale)}</legend>
        {!props.isDefault && props.onReset ? (
          <button type="button" className={styles.linkButton} onClick={props.onReset}>
            {t('reset')}
          </button>
        ) : null}
      </div>
      <div className={styles.imageRow}>
        <div className={styles.imageThumb}>
          {current ? (
            // biome-ignore lint/performance/noImgElement: the project's own upload through the proxy.
            <img src={current} alt="" />
          ) : (
            <span className="fr-hint">{t('noImage')}</span>
          )}
        </div>
        <div className="fr-stack" style={{ gap: 'var(--space-2)', flex: 1 }}>
          <Button
            size="sm"
            onClick={() => input.current?.click()}
            disabled={progress !== null}
            data-path={props.path}
          >
            {current ? t('replaceImage') : t('uploadImage')}
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
          accept="image/png,image/jpeg,image/webp"
          hidden
          data-testid={`upload-${props.path}`}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) choose(file);
          }}
        />
      </div>
      {progress !== null ? (
        <div className="fr-stack" style={{ gap: 4 }}>
          <ProgressBar value={progress} label={t('uploading', { p: formatPercent(progress, locale) })} />
          <span className="fr-hint">{t('uploading', { p: formatPercent(progress, locale) })}</span>
        </div>
      ) : null}
      <FormError error={error} />
      <IssueList issues={props.issues} id={`${id}-issues`} />
      {pending ? (
        <CropDialog
          pending={pending}
          ratio={ratio ?? pending.image.naturalWidth / pending.image.naturalHeight}
          onCancel={() => setPending(null)}
          onDone={async (box) => {
            const png = pending.file.type === 'image/png';
            const blob = await encodeCrop(pending.image, box, png ? 'image/png' : 'image/jpeg');
            const base = pending.file.name.replace(/\.[^.]+$/, '') || 'image';
            await send(blob, `${base}.${png ? 'png' : 'jpg'}`);
          }}
        />
      ) : null}
    </fieldset>
  );
}

function CropDialog({
  pending,
  ratio,
  onCancel,
  onDone,
}: {
  pending: Pending;
  ratio: number;
  onCancel: () => void;
  onDone: (box: CropBox) => void;
}) {
  const t = useT(studioText);
  const common = useT(commonText);
  const { naturalWidth: w, naturalHeight: h } = pending.image;
  const [scale, setScale] = useState(1);
  const [center, setCenter] = useState({ x: w / 2, y: h / 2 });
  const frame = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; cx: number; cy: number } | null>(null);
  const box = cropBox(w, h, ratio, scale, center.x, center.y);
  const pct = (v: number, of: number) => `${(v / of) * 100}%`;
  const move = (dx: number, dy: number) =>
    setCenter({ x: box.x + box.width / 2 + dx, y: box.y + box.height / 2 + dy });
  return (
    <Dialog
      open
      onClose={onCancel}
      title={t('cropTitle')}
      actions={
        <>
          <Button onClick={onCancel}>{common('cancel')}</Button>
          <Button variant="primary" onClick={() => onDone(box)} data-testid="crop-confirm">
            {t('cropAndUpload')}
          </Button>
        </>
      }
    >
      <p className="fr-hint">{t('cropHint')}</p>
      <div className={styles.cropStage} ref={frame} style={{ aspectRatio: `${w} / ${h}` }} dir="ltr">
        {/* biome-ignore lint/performance/noImgElement: a local object URL being cropped. */}
        <img src={pending.url} alt="" draggable={false} />
        {/* biome-ignore lint/a11y/useSemanticElements: a movable crop frame has no native element. */}
        <div
          className={styles.cropBox}
          role="slider"
          tabIndex={0}
          aria-label={t('cropTitle')}
          aria-valuenow={Math.round(box.x)}
          style={{
            insetInlineStart: pct(box.x, w),
            insetBlockStart: pct(box.y, h),
            inlineSize: pct(box.width, w),
            blockSize: pct(box.height, h),
          }}
          onPointerDown={(event) => {
            (event.target as HTMLElement).setPointerCapture(event.pointerId);
            drag.current = {
              x: event.clientX,
              y: event.clientY,
              cx: box.x + box.width / 2,
              cy: box.y + box.height / 2,
            };
          }}
          onPointerMove={(event) => {
            const start = drag.current;
            const rect = frame.current?.getBoundingClientRect();
            if (!start || !rect) return;
            const k = w / rect.width;
            setCenter({
              x: start.cx + (event.clientX - start.x) * k,
              y: start.cy + (event.clientY - start.y) * k,
            });
          }}
          onPointerUp={() => {
            drag.current = null;
          }}
          onKeyDown={(event) => {
            const step = Math.max(4, Math.round(Math.min(w, h) / 50));
            const keys: Record<string, [number, number]> = {
              ArrowLeft: [-step, 0],
              ArrowRight: [step, 0],
              ArrowUp: [0, -step],
              ArrowDown: [0, step],
            };
            const delta = keys[event.key];
            if (!delta) return;
            event.preventDefault();
            move(delta[0], delta[1]);
          }}
        />
      </div>
      <label className="fr-field" style={{ marginBlockStart: 'var(--space-3)' }}>
        <span className="fr-label">{t('zoom')}</span>
        <input
          type="range"
          min={0.2}
          max={1}
          step={0.01}
          value={scale}
          onChange={(event) => setScale(Number(event.target.value))}
        />
      </label>
    </Dialog>
  );
}
