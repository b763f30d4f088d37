'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { Alert } from '@/components/ui/feedback';
import { useLocale, useT } from '@/i18n/client';
import { rendersText } from '@/i18n/dictionaries/renders';
import {
  formatBytes,
  formatDate,
  formatDuration,
  formatMoney,
  formatNumber,
  localizeDigits,
} from '@/i18n/format';
import { proxied } from '@/lib/api/client';
import { downloadHref, RenderActions } from './render-actions';
import type { RenderJob } from './render-types';
import styles from './renders.module.css';
import { JobProgress, StatusBadge, useLiveJobs } from './renders-list';

/** One job: the output playing in the page when it is a video, its facts, and its actions. */
export function RenderDetail({ initial }: { initial: RenderJob }) {
  const t = useT(rendersText);
  const locale = useLocale();
  const router = useRouter();
  const { jobs, replace } = useLiveJobs([initial]);
  const job = jobs[0] ?? initial;
  const href = job.status === 'completed' ? downloadHref(job) : undefined;
  const isVideo = ['mp4', 'webm'].includes(job.output_spec.format);
  const poster = proxied(job.snapshot?.url);
  return (
    <div className={styles.detail}>
      <div className="fr-stack">
        {href && isVideo ? (
          // biome-ignore lint/a11y/useMediaCaption: rendered template videos have no speech to caption.
          <video
            className={styles.player}
            src={href}
            poster={poster}
            controls
            playsInline
            data-testid="render-video"
          />
        ) : href ? (
          // biome-ignore lint/performance/noImgElement: the output through the proxy.
          <img className={styles.player} src={href} alt="" />
        ) : poster ? (
          // biome-ignore lint/performance/noImgElement: the snapshot through the proxy.
          <img className={styles.player} src={poster} alt="" />
        ) : null}
        <JobProgress job={job} />
        {job.status === 'cancelled' ? <Alert tone="warning">{t('cancelled')}</Alert> : null}
        {job.status === 'failed' && job.error?.message ? (
          <Alert tone="error">{t('failedReason', { message: job.error.message })}</Alert>
        ) : null}
      </div>
      <div className="fr-card fr-stack">
        <div className="fr-row">
          <StatusBadge status={job.status} />
        </div>
        <dl className={styles.facts}>
          <dt>{t('format')}</dt>
          <dd>{job.output_spec.format.toUpperCase()}</dd>
          {job.aspect ? (
            <>
              <dt>{t('aspect')}</dt>
              <dd>
                {localizeDigits(job.aspect, locale)}
                {job.output_spec.width && job.output_spec.height
                  ? ` · ${localizeDigits(
                      t('outputSize', {
                        w: String(job.output_spec.width),
                        h: String(job.output_spec.height),
                      }),
                      locale,
                    )}`
                  : ''}
              </dd>
            </>
          ) : null}
          {job.duration_seconds ? (
            <>
              <dt>{t('duration')}</dt>
              <dd>{formatDuration(job.duration_seconds, locale)}</dd>
            </>
          ) : null}
          {job.output?.size_bytes ? (
            <>
              <dt>{t('size')}</dt>
              <dd>{formatBytes(job.output.size_bytes, locale)}</dd>
            </>
          ) : null}
          <dt>{t('details')}</dt>
          <dd>
            {t('quote', {
              s: formatNumber(job.quote.render_seconds, locale),
              cost: job.quote.cost > 0 ? formatMoney(job.quote.cost, locale) : t('free'),
            })}
          </dd>
          <dt>{t('createdAt', { date: '' }).trim()}</dt>
          <dd>{formatDate(job.created_at, locale, 'datetime')}</dd>
        </dl>
        <div className="fr-row">
          <RenderActions
            job={job}
            onChange={replace}
            onRetried={(next) => router.push(`/renders/${next.id}`)}
          />
        </div>
        {job.project_id ? <Link href={`/studio/${job.project_id}`}>{t('openProject')}</Link> : null}
      </div>
    </div>
  );
}
