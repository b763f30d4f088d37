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

/** Template titles by template id (the jobs carry only the id). */
export type TemplateTitles = Record<string, { fa: string | null; en: string | null } | null>;

export function jobTitle(job: RenderJob, titles: TemplateTitles, locale: Locale): string {
  const title = job.template ? titles[job.template.template_id] : null;
  return title?.[locale] ?? title?.fa ?? title?.en ?? job.kind;
}

export function StatusBadge({ status }: { status: RenderJob['status'] }) {
  const t = useT(rendersText);
  return (
    <Badge tone={STATUS_TONE[status]}>
      <span data-testid="render-status" data-status={status}>
        {t(`status.${status}`)}
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
  const add = (job: RenderJob) => setJobs((list) => [job, ...list.filter((j) => j.id !== job.id)]);
  return { jobs, replace, add };
}

export function RendersList({ initial, titles }: { initial: RenderJob[]; titles: TemplateTitles }) {
  const t = useT(rendersText);
  const locale = useLocale();
  const { jobs, replace, add } = useLiveJobs(initial);
  return (
    <div className="fr-stack">
      <span className={styles.liveDot}>{t('live')}</span>
      <ul className={styles.list} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {jobs.map((job) => {
          const poster = proxied(job.snapshot?.url);
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
                    {jobTitle(job, titles, locale)}
                  </Link>
                  <StatusBadge status={job.status} />
                  <Badge>{job.output_spec.format.toUpperCase()}</Badge>
                  {job.aspect ? <Badge>{localizeDigits(job.aspect, locale)}</Badge> : null}
                </div>
                <JobProgress job={job} />
                <div className="fr-small fr-muted">
                  {t('createdAt', { date: formatDate(job.created_at, locale, 'datetime') })}
                  {` · ${t('quote', {
                    s: formatNumber(job.quote.render_seconds, locale),
                    cost: job.quote.cost > 0 ? formatMoney(job.quote.cost, locale) : t('free'),
                  })}`}
                </div>
                {job.status === 'failed' && job.error?.message ? (
                  <div className="fr-field-error">{t('failedReason', { message: job.error.message })}</div>
                ) : null}
              </div>
              <div className={styles.actions}>
                <RenderActions job={job} onChange={replace} onRetried={add} />
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
