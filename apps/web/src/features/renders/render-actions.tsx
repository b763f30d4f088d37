'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/feedback';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { rendersText } from '@/i18n/dictionaries/renders';
import { formatDate } from '@/i18n/format';
import { api, apiPath } from '@/lib/api/client';
import type { RenderAccepted, RenderJob } from './render-types';

/**
 * Where the browser downloads (and plays) a finished output: the file service's download route
 * through the same-origin proxy, which signs a fresh link each time (the job's own link expires).
 */
export function downloadHref(job: RenderJob): string | undefined {
  return job.output ? apiPath(`/v1/files/${job.output.file_id}/download`) : undefined;
}

/** Cancel, retry, download and share of one job, as its state allows. */
export function RenderActions({
  job,
  onChange,
  onRetried,
}: {
  job: RenderJob;
  onChange: (job: RenderJob) => void;
  /** A retry is a new job. */
  onRetried: (job: RenderJob) => void;
}) {
  const t = useT(rendersText);
  const locale = useLocale();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [shared, setShared] = useState<string | null>(null);
  const run = async (name: string, work: () => Promise<void>) => {
    setBusy(name);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const active = job.status === 'queued' || job.status === 'rendering';
  const href = job.status === 'completed' ? downloadHref(job) : undefined;
  return (
    <>
      {active ? (
        <Button
          size="sm"
          busy={busy === 'cancel'}
          data-testid="render-cancel"
          onClick={() =>
            run('cancel', async () => {
              onChange(await api.post<RenderJob>(`/v1/renders/${job.id}/cancel`));
            })
          }
        >
          {t('cancel')}
        </Button>
      ) : null}
      {job.status === 'failed' ? (
        <Button
          size="sm"
          busy={busy === 'retry'}
          data-testid="render-retry"
          onClick={() =>
            run('retry', async () => {
              const answer = await api.post<RenderAccepted>(`/v1/renders/${job.id}/retry`);
              onRetried(answer.job);
            })
          }
        >
          {t('retry')}
        </Button>
      ) : null}
      {href ? (
        <a className="fr-btn fr-btn-primary fr-btn-sm" href={href} download data-testid="render-download">
          {t('download')}
        </a>
      ) : null}
      {job.status === 'completed' && job.output ? (
        <Button
          size="sm"
          busy={busy === 'share'}
          data-testid="render-share"
          onClick={() =>
            run('share', async () => {
              const link = await api.get<{ url: string; expires_at: string }>(
                `/v1/files/${job.output?.file_id}/download`,
                { redirect: 'false' },
              );
              await navigator.clipboard?.writeText(link.url).catch(() => undefined);
              setShared(t('copied', { time: formatDate(link.expires_at, locale, 'time') }));
            })
          }
        >
          {t('share')}
        </Button>
      ) : null}
      {shared ? <Alert tone="success">{shared}</Alert> : null}
      <FormError error={error} />
    </>
  );
}
