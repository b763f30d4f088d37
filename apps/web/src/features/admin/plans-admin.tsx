'use client';

import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Alert, Badge } from '@/components/ui/feedback';
import { SelectField, TextField } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import styles from '@/features/account/account.module.css';
import type { Plan, PlanLimits } from '@/features/account/account-types';
import { PLAN_QUEUES, RENDER_FORMATS } from '@/features/account/catalog';
import { useLocale, useT } from '@/i18n/client';
import { adminText } from '@/i18n/dictionaries/admin';
import { commonText } from '@/i18n/dictionaries/common';
import { formatBytes, formatMoney, formatNumber, latinDigits } from '@/i18n/format';
import { api } from '@/lib/api/client';

const NUMBER_LIMITS = [
  'priority',
  'max_concurrent_jobs',
  'monthly_render_seconds',
  'max_video_seconds',
  'max_short_side_px',
  'max_fps',
  'storage_bytes',
  'max_upload_bytes',
  'retention_days',
  'team_seats',
  'render_second_price',
] as const;
/** Limits that may be left empty: unlimited render seconds, the render service's default price. */
const OPTIONAL = new Set<string>(['monthly_render_seconds', 'render_second_price']);

type Edit = {
  name: { fa: string; en: string };
  price: number;
  period_days: number;
  active: boolean;
  limits: PlanLimits;
};

/** The edit form's values as the PATCH body; null with the first field at fault when one is not a number. */
export function planPatch(form: FormData, plan: Plan): { body: Edit } | { invalid: string } {
  const int = (name: string): number | null | undefined => {
    const raw = latinDigits(String(form.get(name) ?? '')).trim();
    if (raw === '') return OPTIONAL.has(name) ? null : undefined;
    return /^\d+$/.test(raw) ? Number(raw) : undefined;
  };
  const limits: Record<string, unknown> = {
    render_queue: String(form.get('render_queue')),
    formats: RENDER_FORMATS.filter((f) => form.get(`format_${f}`) === 'on'),
    watermark: form.get('watermark') === 'on',
    api_access: form.get('api_access') === 'on',
  };
  for (const key of NUMBER_LIMITS) {
    const value = int(key);
    if (value === undefined) return { invalid: key };
    if (value === null && key === 'render_second_price') continue;
    limits[key] = value;
  }
  const price = int('price');
  const period = int('period_days');
  if (typeof price !== 'number') return { invalid: 'price' };
  if (typeof period !== 'number') return { invalid: 'period_days' };
  return {
    body: {
      name: {
        fa: String(form.get('name_fa') ?? plan.name.fa).trim(),
        en: String(form.get('name_en') ?? plan.name.en).trim(),
      },
      price,
      period_days: period,
      active: form.get('active') === 'on',
      limits: limits as unknown as PlanLimits,
    },
  };
}

function PlanDialog({
  plan,
  onClose,
  onSaved,
}: {
  plan: Plan | null;
  onClose: () => void;
  onSaved: (p: Plan) => void;
}) {
  const t = useT(adminText);
  const common = useT(commonText);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!plan) return;
    const result = planPatch(new FormData(event.currentTarget), plan);
    if ('invalid' in result) {
      setInvalid(result.invalid);
      return;
    }
    setInvalid(null);
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.patch<Plan>(`/v1/admin/plans/${plan.code}`, result.body));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const l = plan?.limits;
  const numberField = (key: (typeof NUMBER_LIMITS)[number]) => {
    const value = l?.[key];
    return (
      <TextField
        key={key}
        label={t(`limit.${key}`)}
        name={key}
        inputMode="numeric"
        dir="ltr"
        defaultValue={value === null || value === undefined ? '' : String(value)}
        hint={OPTIONAL.has(key) ? t('plans.unlimited') : undefined}
        error={invalid === key ? t(`limit.${key}`) : undefined}
      />
    );
  };
  return (
    <Dialog
      open={plan !== null}
      onClose={onClose}
      title={plan ? `${t('plans.edit')}: ${plan.code}` : ''}
      actions={
        <>
          <Button onClick={onClose}>{common('cancel')}</Button>
          <Button variant="primary" type="submit" form="plan-form" busy={busy} data-testid="plan-save">
            {common('save')}
          </Button>
        </>
      }
    >
      {plan && l ? (
        <form
          id="plan-form"
          key={plan.code}
          className="fr-stack"
          onSubmit={submit}
          style={{ maxBlockSize: '60vh', overflowY: 'auto' }}
        >
          <FormError error={error} />
          <div className={styles.checks}>
            <TextField
              label={t('plans.nameFa')}
              name="name_fa"
              defaultValue={plan.name.fa}
              dir="rtl"
              required
            />
            <TextField
              label={t('plans.nameEn')}
              name="name_en"
              defaultValue={plan.name.en}
              dir="ltr"
              required
            />
            <TextField
              label={t('plans.price')}
              name="price"
              inputMode="numeric"
              dir="ltr"
              defaultValue={String(plan.price)}
              error={invalid === 'price' ? t('plans.price') : undefined}
            />
            <TextField
              label={t('plans.periodDays')}
              name="period_days"
              inputMode="numeric"
              dir="ltr"
              defaultValue={String(plan.period_days)}
              error={invalid === 'period_days' ? t('plans.periodDays') : undefined}
            />
          </div>
          <label className={styles.check}>
            <input type="checkbox" name="active" defaultChecked={plan.active} /> {t('plans.active')}
          </label>
          <h3 style={{ margin: 0 }}>{t('plans.limits')}</h3>
          <div className={styles.checks}>
            <SelectField
              label={t('limit.render_queue')}
              name="render_queue"
              defaultValue={l.render_queue}
              options={PLAN_QUEUES.map((q) => ({ value: q, label: q }))}
            />
            {NUMBER_LIMITS.map(numberField)}
          </div>
          <fieldset className={styles.checkGroup}>
            <legend>{t('limit.formats')}</legend>
            <div className="fr-row">
              {RENDER_FORMATS.map((f) => (
                <label key={f} className={styles.check}>
                  <input type="checkbox" name={`format_${f}`} defaultChecked={l.formats.includes(f)} />{' '}
                  {f.toUpperCase()}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="fr-row">
            <label className={styles.check}>
              <input type="checkbox" name="watermark" defaultChecked={l.watermark} /> {t('limit.watermark')}
            </label>
            <label className={styles.check}>
              <input type="checkbox" name="api_access" defaultChecked={l.api_access} />{' '}
              {t('limit.api_access')}
            </label>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}

/** Every plan with its price and main limits; editing applies to the workspaces on it at once. */
export function PlansAdmin({ initial }: { initial: Plan[] }) {
  const t = useT(adminText);
  const locale = useLocale();
  const [plans, setPlans] = useState(initial);
  const [editing, setEditing] = useState<Plan | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const n = (v: number) => formatNumber(v, locale);
  return (
    <div className="fr-stack">
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <div className={`fr-card ${styles.tableWrap}`} style={{ paddingBlock: 0 }}>
        <table className="fr-table" data-testid="plans-table">
          <thead>
            <tr>
              <th>{t('nav.plans')}</th>
              <th>{t('plans.colPrice')}</th>
              <th>{t('plans.colSeconds')}</th>
              <th>{t('plans.colStorage')}</th>
              <th>{t('plans.colSeats')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {plans.map((plan) => (
              <tr key={plan.code} data-plan={plan.code}>
                <td>
                  <strong>{plan.name[locale]}</strong>{' '}
                  <span className="fr-small fr-muted fr-ltr">{plan.code}</span>
                  {!plan.active ? (
                    <div>
                      <Badge tone="warning">{t('plans.inactive')}</Badge>
                    </div>
                  ) : null}
                </td>
                <td>
                  {formatMoney(plan.price, locale)}
                  <div className="fr-small fr-muted">{t('plans.perDays', { n: n(plan.period_days) })}</div>
                </td>
                <td data-testid="plan-seconds">
                  {plan.limits.monthly_render_seconds === null ? '∞' : n(plan.limits.monthly_render_seconds)}
                </td>
                <td>{formatBytes(plan.limits.storage_bytes, locale)}</td>
                <td>{n(plan.limits.team_seats)}</td>
                <td>
                  <Button size="sm" onClick={() => setEditing(plan)} data-testid="plan-edit">
                    {t('plans.edit')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <PlanDialog
        plan={editing}
        onClose={() => setEditing(null)}
        onSaved={(saved) => {
          setPlans((list) => list.map((p) => (p.code === saved.code ? saved : p)));
          setEditing(null);
          setNotice(t('plans.saved', { code: saved.code }));
        }}
      />
    </div>
  );
}
