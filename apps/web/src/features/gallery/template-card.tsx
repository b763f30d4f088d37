'use client';

import Link from 'next/link';
import { useRef, useState } from 'react';
import { Badge } from '@/components/ui/feedback';
import { useLocale, useT } from '@/i18n/client';
import { galleryText } from '@/i18n/dictionaries/gallery';
import { localizeDigits } from '@/i18n/format';
import { proxied } from '@/lib/api/client';
import type { TemplateSummary } from '@/lib/api/types';
import styles from './gallery.module.css';
import { cardPreview, pick } from './localized';

/** A gallery card: the poster, and the preview clip playing while hovered or focused (when there is one). */
export function TemplateCard({ template }: { template: TemplateSummary }) {
  const t = useT(galleryText);
  const locale = useLocale();
  const video = useRef<HTMLVideoElement>(null);
  const [playing, setPlaying] = useState(false);
  const preview = cardPreview(template.previews);
  const poster = proxied(preview?.thumbnail_url ?? preview?.svg_url);
  const clip = preview?.clip.status === 'ready' ? proxied(preview.clip.url) : undefined;
  const title = pick(template.title, locale);
  const start = () => {
    if (!video.current) return;
    video.current.currentTime = 0;
    video.current.play().then(
      () => setPlaying(true),
      () => setPlaying(false),
    );
  };
  const stop = () => {
    video.current?.pause();
    setPlaying(false);
  };
  return (
    <Link
      href={`/templates/${template.id}`}
      className={styles.card}
      onMouseEnter={clip ? start : undefined}
      onMouseLeave={clip ? stop : undefined}
      onFocus={clip ? start : undefined}
      onBlur={clip ? stop : undefined}
      data-testid="template-card"
      data-slug={template.slug}
    >
      <div className={styles.thumb} data-playing={playing}>
        {poster ? (
          // biome-ignore lint/performance/noImgElement: signed preview URLs through our proxy; next/image would re-encode them.
          <img src={poster} alt="" loading="lazy" />
        ) : (
          <span className={styles.pending}>{t('previewPending')}</span>
        )}
        {clip ? <video ref={video} src={clip} muted loop playsInline preload="none" /> : null}
      </div>
      <div className={styles.body}>
        <h3 className={styles.cardTitle}>{title}</h3>
        <div className={styles.meta}>
          {template.duration_seconds ? (
            <Badge>{t('seconds', { n: Math.round(template.duration_seconds) })}</Badge>
          ) : null}
          {template.aspects.map((a) => (
            <Badge key={a}>
              <span dir="ltr">{localizeDigits(a, locale)}</span>
            </Badge>
          ))}
          {template.mode === 'flexible' ? <Badge tone="brand">{t('flexible')}</Badge> : null}
        </div>
      </div>
    </Link>
  );
}
