'use client';

import Link from 'next/link';
import { useCallback, useState } from 'react';
import { Badge, ProgressBar } from '@/components/ui/feedback';
import { useLocale, useT } from '@/i18n/client';
import { rendersText } from '@/i18n/dictionaries/renders';
import {
  formatDate,
  formatDuration,
  formatMoney,
  formatNumber,
  formatPercent,
  localizeDigits,
} from '@/i18n/format';
import type { Locale } from '@/i18n/locale';
import { api, proxied } from '@/lib/api/client';
import { type StreamEvent, useEventStream } from '@/lib/api/event-stream';
import { RenderActions } from './render-actions';
import { applyRenderEvent, RENDER_EVENT_TYPES } from './render-events';
import type { RenderJob } from './render-types';
import styles from './renders.module.css';

const STATUS_TONE = {
  queued: 'neutral',
  rendering: 'brand',
  completed: 'success',
  failed: 'danger',
  cancelled: 'warning',
} as const;

export function jobTitle(job: RenderJob, locale: Locale): string {
  const title = job.template?.title?.[locale] ?? job.template?.slug ?? job.kind ?? job.format;
  return title ?? job.id.slice(0, 8);
}

export function StatusBadge({ status }: { status: string }) {
  const t = useT(rendersText);
  const known = status in STATUS_TONE ? (status as keyof typeof STATUS_TONE) : undefined;
  return (
    <Badge tone={known ? STATUS_TONE[known] : 'neutral'}>
      <span data-testid="render-status" data-status={status}>
        {known ? t(`status.${known}`) : status}
      </span>
    </Badge>
  );
}

export function JobProgress({ job }: { job: RenderJob }) {
  const t = useT(rendersText);
  const locale = useLocale();
  if (job.status !== 'rendering' && job.status !== 'queued') return null;
  const progress = job.progress ?? 0;
  const stage =
    job.stage && ['rendering', 'encoding', 'assembling', 'verifying'].includes(job.stage)
      ? t(`stage.${job.stage as 'rendering'}`)
      : null;
  return (
    <div className={styles.progressLine}>
      <ProgressBar value={progress} label={t('progress', { p: formatPercent(progress, locale) })} />
      <span data-testid="render-progress" data-progress={progress}>
        {formatPercent(progress, locale)}
      </span>
      {stage ? <span>{stage}</span> : null}
      {job.eta_seconds ? <span>{t('eta', { t: formatDuration(job.eta_seconds, locale) })}</span> : null}
    </div>
  );
}

/** Keeps jobs current from the tenant's event stream, fetching a job anew when it reaches its end. */
export function useLiveJobs(initial: RenderJob[]) {
  const [jobs, setJobs] = useState(initial);
  const refresh = useCallback(async (id: string) => {
    try {
      const fresh = await api.get<RenderJob>(`/v1/renders/${id}`);
      setJobs((list) =>
        list.some((j) => j.id === id) ? list.map((j) => (j.id === id ? fresh : j)) : [fresh, ...list],
      );
    } catch {
      // The event already told the state; details come with the next look.
    }
  }, []);
  useEventStream(RENDER_EVENT_TYPES, (event: StreamEvent) => {
    const id = (event.data as { job_id?: string }).job_id;
    if (!id) return;
    setJobs((list) => list.map((job) => applyRenderEvent(job, event)));
    if (
      event.event_type === 'render.job.queued.v1' ||
      event.event_type === 'render.job.completed.v1' ||
      event.event_type === 'render.job.failed.v1'
    )
      void refresh(id);
  });
  const replace = (job: RenderJob) => setJobs((list) => list.map((j) => (j.id === job.id ? job : j)));
  return { jobs, replace };
}

export function RendersList({ initial }: { initial: RenderJob[] }) {
  const t = useT(rendersText);
  const locale = useLocale();
  const { jobs, replace } = useLiveJobs(initial);
  return (
    <div className="fr-stack">
      <span className={styles.liveDot}>{t('live')}</span>
      <ul className={styles.list} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {jobs.map((job) => {
          const poster = proxied(job.snapshot_url);
          return (
            <li key={job.id} className={styles.row} data-testid="render-row" data-job={job.id}>
              <Link href={`/renders/${job.id}`} className={styles.thumb} aria-label={t('open')}>
                {poster ? (
                  // biome-ignore lint/performance/noImgElement: a signed snapshot through the proxy.
                  <img src={poster} alt="" loading="lazy" />
                ) : (
                  <span aria-hidden="true">▶</span>
                )}
              </Link>
              <div className={styles.info}>
                <div className={styles.titleLine}>
                  <Link href={`/renders/${job.id}`} className={styles.title}>
                    {jobTitle(job, locale)}
                  </Link>
                  <StatusBadge status={job.status} />
                  <Badge>{job.format.toUpperCase()}</Badge>
                  {job.aspect ? <Badge>{localizeDigits(job.aspect, locale)}</Badge> : null}
                </div>
                <JobProgress job={job} />
                <div className="fr-small fr-muted">
                  {t('createdAt', { date: formatDate(job.created_at, locale, 'datetime') })}
                  {job.quote
                    ? ` · ${t('quote', {
                        s: formatNumber(job.quote.render_seconds, locale),
                        cost: job.quote.cost > 0 ? formatMoney(job.quote.cost, locale) : t('free'),
                      })}`
                    : null}
                </div>
                {job.status === 'failed' && job.error?.message ? (
                  <div className="fr-field-error">{t('failedReason', { message: job.error.message })}</div>
                ) : null}
              </div>
              <div className={styles.actions}>
                <RenderActions job={job} onChange={replace} />
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
