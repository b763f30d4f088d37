'use client';

import {
  type FieldValues,
  type PreparedComposition,
  prepareComposition,
  resolveComposition,
  type Template,
} from '@flatrender/engine';
import { type Ref, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/feedback';
import { useLocale, useT } from '@/i18n/client';
import { studioText } from '@/i18n/dictionaries/studio';
import { formatClock } from '@/i18n/format';
import type { Locale } from '@/i18n/locale';
import type { Aspect, FontFaceView } from '@/lib/api/types';
import { browserAssetLoader, documentSurfaces, ensureFonts } from './engine-browser';
import styles from './studio.module.css';

export interface PreviewHandle {
  /** Jumps to a second of the timeline (pauses playback). */
  seek(seconds: number): void;
  currentTime(): number;
  /** The frame at `seconds` at the composition's full size, as PNG. */
  frameAt(seconds: number): Promise<Blob>;
}

export interface StudioPreviewProps {
  template: Template;
  values: FieldValues;
  aspect: Aspect;
  /** The project's language (texts and digits of the video), not necessarily the page's. */
  projectLocale: Locale;
  fonts: readonly FontFaceView[];
  /** What the plan does to outputs: the preview shows the output, so it follows them too. */
  output: OutputLimits;
  onTimeChange?: (seconds: number) => void;
  ref?: Ref<PreviewHandle>;
}

export interface OutputLimits {
  /** Outputs carry the FlatRender watermark. */
  watermark: boolean;
  /** Largest shorter side of an output, in pixels. */
  maxShortSide: number;
}

/** The size an output of a composition gets under the plan (even sides, as encoders need). */
export function outputSize(width: number, height: number, maxShortSide: number): [number, number] {
  const k = Math.min(1, maxShortSide / Math.min(width, height));
  if (k === 1) return [width, height];
  return [Math.round((width * k) / 2) * 2, Math.round((height * k) / 2) * 2];
}

/**
 * The live preview: the engine draws the project on a <canvas> with the same code and font files as
 * render nodes. Any change of values re-prepares the composition and redraws the current frame.
 */
export function StudioPreview({
  template,
  values,
  aspect,
  projectLocale,
  fonts,
  output,
  onTimeChange,
  ref,
}: StudioPreviewProps) {
  const t = useT(studioText);
  const locale = useLocale();
  const canvas = useRef<HTMLCanvasElement>(null);
  const prepared = useRef<PreparedComposition | null>(null);
  const time = useRef(0);
  const assets = useRef(browserAssetLoader());
  const generation = useRef(0);
  const [duration, setDuration] = useState(0);
  const [fps, setFps] = useState(30);
  const [shownTime, setShownTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [draws, setDraws] = useState(0);
  const [size, setSize] = useState<[number, number]>(() => template.aspects[aspect] ?? [1920, 1080]);

  const draw = useCallback(() => {
    const element = canvas.current;
    const comp = prepared.current;
    if (!element || !comp) return;
    const ctx = element.getContext('2d');
    if (!ctx) return;
    const scale = element.width / comp.composition.width;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    comp.drawAt(ctx as unknown as Parameters<PreparedComposition['drawAt']>[0], time.current);
  }, []);

  const setTime = useCallback(
    (seconds: number) => {
      time.current = seconds;
      setShownTime(seconds);
      onTimeChange?.(seconds);
    },
    [onTimeChange],
  );

  // Prepare (fonts first: text is measured while preparing) whenever what is drawn changes.
  useEffect(() => {
    const mine = ++generation.current;
    const timer = setTimeout(async () => {
      try {
        const composition = resolveComposition(template, values, aspect, { locale: projectLocale });
        const { missing } = await ensureFonts(composition.fonts, fonts);
        if (mine !== generation.current) return;
        const next = await prepareComposition(template, values, aspect, {
          locale: projectLocale,
          assets: assets.current,
          createSurface: documentSurfaces,
          strict: false,
          watermark: output.watermark,
        });
        if (mine !== generation.current) return;
        prepared.current = next;
        setProblem(missing.length ? t('fontsMissing', { fonts: missing.join('، ') }) : null);
        setDuration(next.composition.durationSeconds);
        setFps(next.composition.fps);
        setSize([next.composition.width, next.composition.height]);
        if (time.current > next.composition.durationSeconds) setTime(0);
        setDraws((n) => n + 1);
      } catch (error) {
        if (mine !== generation.current) return;
        setProblem(t('previewFailed', { message: (error as Error).message }));
      }
    }, 40);
    return () => clearTimeout(timer);
  }, [template, values, aspect, projectLocale, fonts, output.watermark, t, setTime]);

  // Backing store: the displayed size times the device pixel ratio, never more than the output.
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const fit = () => {
      const ratio = window.devicePixelRatio || 1;
      const width = Math.min(size[0], Math.round(element.clientWidth * ratio)) || Math.min(size[0], 960);
      const height = Math.round((width * size[1]) / size[0]);
      if (element.width !== width || element.height !== height) {
        element.width = width;
        element.height = height;
      }
      draw();
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(element);
    return () => observer.disconnect();
  }, [size, draw]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `draws` marks a new preparation to show.
  useEffect(() => {
    draw();
  }, [draws, draw]);

  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    let last = performance.now();
    const tick = (now: number) => {
      const next = time.current + (now - last) / 1000;
      last = now;
      if (next >= duration) {
        setTime(duration);
        draw();
        setPlaying(false);
        return;
      }
      setTime(next);
      draw();
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, duration, draw, setTime]);

  const frameAt = useCallback(
    async (seconds: number) => {
      const comp = prepared.current;
      if (!comp) throw new Error('the preview is not ready');
      const { width, height } = comp.composition;
      const [w, h] = outputSize(width, height, output.maxShortSide);
      const full = document.createElement('canvas');
      full.width = w;
      full.height = h;
      const ctx = full.getContext('2d');
      if (!ctx) throw new Error('no 2d canvas');
      ctx.setTransform(w / width, 0, 0, h / height, 0, 0);
      comp.drawAt(ctx as unknown as Parameters<PreparedComposition['drawAt']>[0], seconds);
      return new Promise<Blob>((resolve, reject) =>
        full.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('encoding failed'))), 'image/png'),
      );
    },
    [output.maxShortSide],
  );

  useImperativeHandle(
    ref,
    () => ({
      seek(seconds) {
        setPlaying(false);
        setTime(Math.min(Math.max(0, seconds), duration));
        draw();
      },
      currentTime: () => time.current,
      frameAt,
    }),
    [duration, draw, frameAt, setTime],
  );

  const download = async () => {
    const blob = await frameAt(time.current);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `frame-${time.current.toFixed(3)}s.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <div className={styles.previewWrap}>
      <div
        className={styles.canvasFrame}
        // As wide as the column allows, but never taller than the room under the top bar.
        style={{
          aspectRatio: `${size[0]} / ${size[1]}`,
          maxInlineSize: `calc((100vh - var(--header-h) - 210px) * ${size[0] / size[1]})`,
        }}
      >
        <canvas
          ref={canvas}
          className={styles.canvas}
          data-testid="preview-canvas"
          data-draws={draws}
          data-time={shownTime.toFixed(3)}
          aria-label={template.id}
        />
      </div>
      {problem ? <Alert tone="warning">{problem}</Alert> : null}
      <div className={styles.transport} dir="ltr">
        <Button
          variant="primary"
          size="sm"
          className="fr-icon-btn"
          aria-label={playing ? t('pause') : t('play')}
          data-testid="play-toggle"
          onClick={() => {
            if (!playing && time.current >= duration - 1e-3) setTime(0);
            setPlaying((p) => !p);
          }}
        >
          {playing ? '❚❚' : '▶'}
        </Button>
        <input
          type="range"
          className={styles.scrubber}
          min={0}
          max={duration || 0}
          step={1 / fps}
          value={Math.min(shownTime, duration)}
          aria-label={t('timeline')}
          aria-valuetext={formatClock(shownTime, locale, true)}
          data-testid="scrubber"
          onChange={(event) => {
            setPlaying(false);
            setTime(Number(event.target.value));
            draw();
          }}
        />
        <span className={styles.clock}>
          {formatClock(shownTime, locale, true)} / {formatClock(duration, locale, true)}
        </span>
        <Button
          size="sm"
          variant="ghost"
          className={styles.studioGhost}
          onClick={download}
          aria-label={t('downloadFrame')}
          title={t('downloadFrame')}
          data-testid="download-frame"
        >
          ⤓
        </Button>
      </div>
    </div>
  );
}
