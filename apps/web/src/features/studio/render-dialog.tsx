'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Alert } from '@/components/ui/feedback';
import { SelectField } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { commonText } from '@/i18n/dictionaries/common';
import { studioText } from '@/i18n/dictionaries/studio';
import { formatMoney, formatNumber } from '@/i18n/format';
import { api } from '@/lib/api/client';
import type { Aspect, ProjectChecks } from '@/lib/api/types';
import { jobOf, type RenderAccepted, type RenderJob, type RenderQuote } from '../renders/render-types';
import type { SaveStatus } from './autosave';

const QUALITIES = ['draft', 'standard', 'high'] as const;

/**
 * "Render": the server's quote first (seconds and cost against the plan), then the job starts and
 * the person can follow it on the renders page.
 */
export function RenderButton({
  projectId,
  aspect,
  checks,
  saveStatus,
  flush,
}: {
  projectId: string;
  aspect: Aspect;
  checks: ProjectChecks | null;
  saveStatus: SaveStatus;
  flush: () => void;
}) {
  const t = useT(studioText);
  const common = useT(commonText);
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState('mp4');
  const [quality, setQuality] = useState<(typeof QUALITIES)[number]>('standard');
  const [quote, setQuote] = useState<RenderQuote | null>(null);
  const [quoting, setQuoting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [job, setJob] = useState<RenderJob | null>(null);
  const body = () => ({ project_id: projectId, aspect, format, quality });

  const loadQuote = async () => {
    setQuoting(true);
    setQuote(null);
    setError(null);
    try {
      setQuote(await api.post<RenderQuote>('/v1/renders/quote', body()));
    } catch (e) {
      setError(e);
    } finally {
      setQuoting(false);
    }
  };

  return (
    <>
      <Button
        variant="primary"
        size="sm"
        data-testid="render"
        disabled={saveStatus === 'conflict'}
        onClick={() => {
          flush();
          setJob(null);
          setOpen(true);
          void loadQuote();
        }}
      >
        {t('render')}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={t('renderTitle')}
        actions={
          job ? (
            <>
              <Button onClick={() => setOpen(false)}>{common('close')}</Button>
              <Link className="fr-btn fr-btn-primary" href={`/renders/${job.id}`} data-testid="open-render">
                {t('openRenders')}
              </Link>
            </>
          ) : (
            <>
              <Button onClick={() => setOpen(false)}>{common('cancel')}</Button>
              <Button
                variant="primary"
                busy={busy}
                disabled={!quote || (checks !== null && !checks.ok)}
                data-testid="start-render"
                onClick={async () => {
                  setBusy(true);
                  setError(null);
                  try {
                    const accepted = await api.post<RenderAccepted>('/v1/renders', body());
                    setJob(jobOf(accepted));
                  } catch (e) {
                    setError(e);
                  } finally {
                    setBusy(false);
                  }
                }}
              >
                {t('startRender')}
              </Button>
            </>
          )
        }
      >
        {job ? (
          <Alert tone="success">{t('renderStarted')}</Alert>
        ) : (
          <div className="fr-stack">
            {checks && !checks.ok ? (
              <Alert tone="error">{t('checksErrors', { n: checks.errors.length })}</Alert>
            ) : null}
            <div className="fr-row">
              <SelectField
                label={t('renderFormat')}
                value={format}
                onChange={(event) => {
                  setFormat(event.target.value);
                  void loadQuote();
                }}
                options={['mp4', 'webm', 'gif'].map((f) => ({ value: f, label: f.toUpperCase() }))}
              />
              <SelectField
                label={t('renderQuality')}
                value={quality}
                onChange={(event) => setQuality(event.target.value as (typeof QUALITIES)[number])}
                options={QUALITIES.map((q) => ({ value: q, label: t(`quality.${q}`) }))}
              />
            </div>
            {quoting ? <Alert>{t('quoteLoading')}</Alert> : null}
            {quote ? (
              <Alert tone="info" title={t('quoteSeconds', { s: formatNumber(quote.render_seconds, locale) })}>
                <div data-testid="quote">
                  {quote.cost > 0
                    ? t('quoteCost', { cost: formatMoney(quote.cost, locale) })
                    : t('quoteFree')}
                </div>
              </Alert>
            ) : null}
            <FormError error={error} />
          </div>
        )}
      </Dialog>
    </>
  );
}
