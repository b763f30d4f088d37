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
import { billedSeconds, type RenderAccepted, type Usage } from '../renders/render-types';
import type { SaveStatus } from './autosave';

const QUALITIES = ['draft', 'standard', 'high'] as const;
const FORMATS = ['mp4', 'webm', 'gif'] as const;

interface PlanFacts {
  limits: {
    render_second_price?: number;
    watermark?: boolean;
    formats?: string[];
    max_video_seconds?: number;
  };
}

/** What the render will cost, worked out from the plan before anything is queued. */
export interface Estimate {
  seconds: number;
  /** null when the plan names no price (the render service's default applies; told once queued). */
  cost: number | null;
  remaining: number | null;
  watermark: boolean;
  formats: string[];
  tooLong: boolean;
}

export function estimate(durationSeconds: number, plan: PlanFacts, usage: Usage): Estimate {
  const seconds = billedSeconds(durationSeconds);
  const price = plan.limits.render_second_price;
  return {
    seconds,
    cost: price === undefined ? null : Math.ceil(seconds * price),
    remaining: usage.render_seconds.remaining,
    watermark: plan.limits.watermark ?? false,
    formats: plan.limits.formats ?? [...FORMATS],
    tooLong: plan.limits.max_video_seconds !== undefined && durationSeconds > plan.limits.max_video_seconds,
  };
}

/**
 * "Render": the quote first (seconds against this month's allowance and the cost the plan names),
 * then the job starts; the server's own quote comes with it and the renders page follows it live.
 */
export function RenderButton({
  projectId,
  tenantId,
  aspect,
  durationSeconds,
  checks,
  saveStatus,
  flush,
}: {
  projectId: string;
  tenantId: string;
  aspect: Aspect;
  durationSeconds: number;
  checks: ProjectChecks | null;
  saveStatus: SaveStatus;
  flush: () => void;
}) {
  const t = useT(studioText);
  const common = useT(commonText);
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<string>('mp4');
  const [quality, setQuality] = useState<(typeof QUALITIES)[number]>('standard');
  const [quote, setQuote] = useState<Estimate | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [accepted, setAccepted] = useState<RenderAccepted | null>(null);

  const loadQuote = async () => {
    setQuote(null);
    setError(null);
    try {
      const [plan, usage] = await Promise.all([
        api.get<{ plan: PlanFacts }>(`/v1/tenants/${tenantId}`),
        api.get<Usage>('/v1/usage'),
      ]);
      setQuote(estimate(durationSeconds, plan.plan, usage));
    } catch (e) {
      setError(e);
    }
  };
  const cost = (rial: number | null) =>
    rial === null ? null : rial > 0 ? t('quoteCost', { cost: formatMoney(rial, locale) }) : t('quoteFree');
  const overAllowance = quote !== null && quote.remaining !== null && quote.seconds > quote.remaining;

  return (
    <>
      <Button
        variant="primary"
        size="sm"
        data-testid="render"
        disabled={saveStatus === 'conflict'}
        onClick={() => {
          flush();
          setAccepted(null);
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
          accepted ? (
            <>
              <Button onClick={() => setOpen(false)}>{common('close')}</Button>
              <Link
                className="fr-btn fr-btn-primary"
                href={`/renders/${accepted.job.id}`}
                data-testid="open-render"
              >
                {t('openRenders')}
              </Link>
            </>
          ) : (
            <>
              <Button onClick={() => setOpen(false)}>{common('cancel')}</Button>
              <Button
                variant="primary"
                busy={busy}
                disabled={!quote || quote.tooLong || (checks !== null && !checks.ok)}
                data-testid="start-render"
                onClick={async () => {
                  setBusy(true);
                  setError(null);
                  try {
                    setAccepted(
                      await api.post<RenderAccepted>('/v1/renders', {
                        project_id: projectId,
                        aspect,
                        output: { format, quality },
                      }),
                    );
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
        {accepted ? (
          <div className="fr-stack">
            <Alert tone="success" title={t('renderStarted')}>
              <span data-testid="server-quote">
                {t('quoteSeconds', { s: formatNumber(accepted.quote.render_seconds, locale) })} ·{' '}
                {cost(accepted.quote.cost)}
              </span>
            </Alert>
          </div>
        ) : (
          <div className="fr-stack">
            {checks && !checks.ok ? (
              <Alert tone="error">{t('checksErrors', { n: checks.errors.length })}</Alert>
            ) : null}
            <div className="fr-row">
              <SelectField
                label={t('renderFormat')}
                value={format}
                onChange={(event) => setFormat(event.target.value)}
                options={FORMATS.filter((f) => !quote || quote.formats.includes(f)).map((f) => ({
                  value: f,
                  label: f.toUpperCase(),
                }))}
              />
              <SelectField
                label={t('renderQuality')}
                value={quality}
                onChange={(event) => setQuality(event.target.value as (typeof QUALITIES)[number])}
                options={QUALITIES.map((q) => ({ value: q, label: t(`quality.${q}`) }))}
              />
            </div>
            {!quote && !error ? <Alert>{t('quoteLoading')}</Alert> : null}
            {quote ? (
              <Alert
                tone={overAllowance || quote.tooLong ? 'warning' : 'info'}
                title={t('quoteSeconds', { s: formatNumber(quote.seconds, locale) })}
              >
                <div data-testid="quote" className="fr-stack" style={{ gap: 2 }}>
                  {cost(quote.cost) ? <span>{cost(quote.cost)}</span> : null}
                  {quote.remaining !== null ? (
                    <span>{t('quoteAllowance', { s: formatNumber(quote.remaining, locale) })}</span>
                  ) : null}
                  {quote.watermark ? <span>{t('quoteWatermark')}</span> : null}
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
