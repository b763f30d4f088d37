'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Alert, Badge, EmptyState } from '@/components/ui/feedback';
import { SelectField, TextField } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { accountText } from '@/i18n/dictionaries/account';
import { commonText } from '@/i18n/dictionaries/common';
import { developerText } from '@/i18n/dictionaries/developer';
import { formatDate, formatNumber } from '@/i18n/format';
import { api } from '@/lib/api/client';
import styles from './account.module.css';
import type { Page, Webhook, WebhookDelivery } from './account-types';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './catalog';
import { ConfirmDialog } from './confirm-dialog';
import { SecretBox } from './secret-box';

export function EventTypePicker({
  value,
  onChange,
  error,
}: {
  value: readonly string[];
  onChange: (events: string[]) => void;
  error?: string;
}) {
  const t = useT(developerText);
  return (
    <fieldset className={styles.checkGroup} data-invalid={error ? 'true' : undefined}>
      <legend>{t('hooks.events')}</legend>
      <div className={styles.checks}>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type} className={styles.check}>
            <input
              type="checkbox"
              value={type}
              checked={value.includes(type)}
              onChange={(e) =>
                onChange(
                  WEBHOOK_EVENT_TYPES.filter((x) => (x === type ? e.target.checked : value.includes(x))),
                )
              }
            />
            <span>
              {t(`event.${type}`)}
              <small>{type}</small>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <span className="fr-field-error" role="alert">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}

function SecretDialog({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const t = useT(developerText);
  const account = useT(accountText);
  const common = useT(commonText);
  return (
    <Dialog
      open={secret !== null}
      onClose={onClose}
      title={t('hooks.secretTitle')}
      actions={
        <Button variant="primary" onClick={onClose} data-testid="secret-done">
          {common('close')}
        </Button>
      }
    >
      {secret ? (
        <div className="fr-stack">
          <Alert tone="warning">{t('hooks.secretOnce')}</Alert>
          <SecretBox
            value={secret}
            copyLabel={t('hooks.copySecret')}
            copiedLabel={account('copied')}
            testId="webhook-secret"
          />
          <p className="fr-small fr-muted">{t('hooks.verify')}</p>
        </div>
      ) : null}
    </Dialog>
  );
}

function EndpointBadges({ hook }: { hook: Webhook }) {
  const t = useT(developerText);
  const locale = useLocale();
  return (
    <div className="fr-row" style={{ gap: 6 }}>
      {hook.enabled ? (
        <Badge tone="success">{t('hooks.enabled')}</Badge>
      ) : (
        <Badge tone="danger">{t('hooks.disabled')}</Badge>
      )}
      {hook.consecutive_failures > 0 ? (
        <Badge tone="warning">
          {t('hooks.failures', { n: formatNumber(hook.consecutive_failures, locale) })}
        </Badge>
      ) : null}
    </div>
  );
}

/** The workspace's webhook endpoints and the form to add one (its secret is shown once). */
export function WebhooksList({ initial, canWrite }: { initial: Webhook[]; canWrite: boolean }) {
  const t = useT(developerText);
  const common = useT(commonText);
  const [hooks, setHooks] = useState(initial);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['render.job.completed.v1', 'render.job.failed.v1']);
  const [eventsError, setEventsError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (events.length === 0) {
      setEventsError(t('hooks.eventsRequired'));
      return;
    }
    setEventsError(undefined);
    setBusy(true);
    setError(null);
    try {
      const created = await api.post<Webhook & { secret: string }>('/v1/webhooks', {
        url: url.trim(),
        event_types: events,
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      const { secret: shown, ...hook } = created;
      setHooks((list) => [...list, hook]);
      setSecret(shown);
      setCreating(false);
      setUrl('');
      setDescription('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="fr-stack">
      {canWrite ? (
        <div className="fr-row">
          <Button variant="primary" onClick={() => setCreating(true)} data-testid="create-webhook">
            {t('hooks.create')}
          </Button>
        </div>
      ) : null}
      {hooks.length === 0 ? (
        <EmptyState title={t('hooks.empty')} />
      ) : (
        <div className="fr-stack" style={{ gap: 12 }}>
          {hooks.map((hook) => (
            <article key={hook.id} className="fr-card" data-testid="webhook-row">
              <div className="fr-row" style={{ justifyContent: 'space-between' }}>
                <div style={{ minInlineSize: 0 }}>
                  <Link
                    href={`/account/webhooks/${hook.id}`}
                    className="fr-ltr"
                    style={{ fontWeight: 700, overflowWrap: 'anywhere', display: 'block' }}
                  >
                    {hook.url}
                  </Link>
                  {hook.description ? (
                    <div className="fr-small fr-muted" dir="auto">
                      {hook.description}
                    </div>
                  ) : null}
                </div>
                <EndpointBadges hook={hook} />
              </div>
              <div className="fr-row fr-small" style={{ marginBlockStart: 8, gap: 6 }}>
                {hook.event_types.map((type) => (
                  <Badge key={type}>{t(`event.${type as WebhookEventType}`)}</Badge>
                ))}
              </div>
              <div style={{ marginBlockStart: 12 }}>
                <Link href={`/account/webhooks/${hook.id}`} className="fr-btn fr-btn-secondary fr-btn-sm">
                  {t('hooks.open')}
                </Link>
              </div>
            </article>
          ))}
        </div>
      )}
      <Dialog
        open={creating}
        onClose={() => setCreating(false)}
        title={t('hooks.createTitle')}
        actions={
          <>
            <Button onClick={() => setCreating(false)}>{common('cancel')}</Button>
            <Button
              variant="primary"
              type="submit"
              form="create-webhook-form"
              busy={busy}
              data-testid="create-webhook-submit"
            >
              {t('hooks.submit')}
            </Button>
          </>
        }
      >
        <form id="create-webhook-form" className="fr-stack" onSubmit={submit}>
          <FormError error={error} />
          <TextField
            label={t('hooks.url')}
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
            dir="ltr"
            placeholder="https://example.com/flatrender"
            data-testid="webhook-url"
          />
          <TextField
            label={t('hooks.description')}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            maxLength={200}
            dir="auto"
          />
          <EventTypePicker value={events} onChange={setEvents} error={eventsError} />
        </form>
      </Dialog>
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </div>
  );
}

const STATE_TONE = {
  pending: 'neutral',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'warning',
} as const;

/** One endpoint: edit it, enable or disable it, rotate its secret, read its delivery log and replay. */
export function WebhookDetail({
  initial,
  deliveries: initialDeliveries,
  canWrite,
  graceHours,
}: {
  initial: Webhook;
  deliveries: Page<WebhookDelivery>;
  canWrite: boolean;
  graceHours: number;
}) {
  const t = useT(developerText);
  const account = useT(accountText);
  const locale = useLocale();
  const router = useRouter();
  const [hook, setHook] = useState(initial);
  const [url, setUrl] = useState(initial.url);
  const [description, setDescription] = useState(initial.description ?? '');
  const [events, setEvents] = useState<string[]>(initial.event_types);
  const [deliveries, setDeliveries] = useState(initialDeliveries.items);
  const [cursor, setCursor] = useState(initialDeliveries.next_cursor);
  const [stateFilter, setStateFilter] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<'rotate' | 'delete' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const run = async (key: string, action: () => Promise<void>) => {
    setBusy(key);
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const loadDeliveries = async (state: string, after?: string) =>
    run('log', async () => {
      const page = await api.get<Page<WebhookDelivery>>(`/v1/webhooks/${hook.id}/deliveries`, {
        limit: 25,
        state,
        cursor: after,
      });
      setDeliveries((list) => (after ? [...list, ...page.items] : page.items));
      setCursor(page.next_cursor);
    });

  const changed =
    url !== hook.url ||
    (description || null) !== hook.description ||
    events.join() !== hook.event_types.join();

  return (
    <div className="fr-stack">
      <FormError error={error} />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <section className="fr-card fr-stack">
        <div className="fr-row" style={{ justifyContent: 'space-between' }}>
          <EndpointBadges hook={hook} />
          {canWrite ? (
            <div className="fr-row" style={{ gap: 6 }}>
              <Button
                size="sm"
                busy={busy === 'toggle'}
                onClick={() =>
                  run('toggle', async () => {
                    setHook(await api.patch<Webhook>(`/v1/webhooks/${hook.id}`, { enabled: !hook.enabled }));
                  })
                }
                data-testid="webhook-toggle"
              >
                {hook.enabled ? t('hooks.disable') : t('hooks.enable')}
              </Button>
              <Button size="sm" onClick={() => setConfirm('rotate')} data-testid="webhook-rotate">
                {t('hooks.rotate')}
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setConfirm('delete')}>
                {t('hooks.delete')}
              </Button>
            </div>
          ) : null}
        </div>
        {!hook.enabled && hook.disabled_reason ? (
          <Alert tone="warning">{t('hooks.disabledBecause', { reason: hook.disabled_reason })}</Alert>
        ) : null}
        {hook.previous_secret_expires_at ? (
          <div className="fr-small fr-muted">
            {t('hooks.previousUntil', {
              date: formatDate(hook.previous_secret_expires_at, locale, 'datetime'),
            })}
          </div>
        ) : null}
        <form
          className="fr-stack"
          onSubmit={(e) => {
            e.preventDefault();
            void run('save', async () => {
              const updated = await api.patch<Webhook>(`/v1/webhooks/${hook.id}`, {
                url: url.trim(),
                event_types: events,
                description: description.trim() || null,
              });
              setHook(updated);
              setNotice(account('saved'));
            });
          }}
        >
          <TextField
            label={t('hooks.url')}
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            dir="ltr"
            required
            disabled={!canWrite}
          />
          <TextField
            label={t('hooks.description')}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            dir="auto"
            maxLength={200}
            disabled={!canWrite}
          />
          <EventTypePicker value={events} onChange={setEvents} />
          {canWrite ? (
            <div>
              <Button
                type="submit"
                variant="primary"
                busy={busy === 'save'}
                disabled={!changed || events.length === 0}
              >
                {t('hooks.save')}
              </Button>
            </div>
          ) : null}
        </form>
      </section>

      <section className="fr-card">
        <div className="fr-row" style={{ justifyContent: 'space-between', alignItems: 'flex-end' }}>
          <h2 className="fr-card-title" style={{ margin: 0 }}>
            {t('hooks.log')}
          </h2>
          <div style={{ minInlineSize: 160 }}>
            <SelectField
              label={t('hooks.filter')}
              value={stateFilter}
              onChange={(e) => {
                setStateFilter(e.target.value);
                void loadDeliveries(e.target.value);
              }}
              options={[
                { value: '', label: t('state.all') },
                ...(['pending', 'succeeded', 'failed', 'cancelled'] as const).map((s) => ({
                  value: s,
                  label: t(`state.${s}`),
                })),
              ]}
            />
          </div>
        </div>
        {deliveries.length === 0 ? (
          <p className="fr-muted" style={{ marginBlockStart: 16 }}>
            {t('hooks.logEmpty')}
          </p>
        ) : (
          <div className={styles.tableWrap}>
            <table className="fr-table" data-testid="deliveries-table">
              <thead>
                <tr>
                  <th>{t('hooks.when')}</th>
                  <th>{t('hooks.event')}</th>
                  <th>{t('hooks.state')}</th>
                  <th>{t('hooks.response')}</th>
                  <th>{t('hooks.time')}</th>
                  <th>{t('hooks.attempts')}</th>
                  <th>
                    <span className="fr-visually-hidden">{account('actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => {
                  const last = d.attempt_log.at(-1);
                  return (
                    <tr key={d.id} data-testid="delivery-row" data-state={d.state}>
                      <td>
                        {formatDate(d.created_at, locale, 'datetime')}
                        {d.replay_of ? <div className="fr-small fr-muted">{t('hooks.replayOf')}</div> : null}
                      </td>
                      <td>
                        {t(`event.${d.event_type as WebhookEventType}`)}
                        <div className="fr-small fr-muted fr-ltr">{d.event_type}</div>
                      </td>
                      <td>
                        <Badge tone={STATE_TONE[d.state]}>{t(`state.${d.state}`)}</Badge>
                        {d.state === 'pending' && d.next_attempt_at ? (
                          <div className="fr-small fr-muted">
                            {t('hooks.nextAttempt', { date: formatDate(d.next_attempt_at, locale, 'time') })}
                          </div>
                        ) : null}
                      </td>
                      <td>
                        <span className="fr-ltr" data-testid="delivery-status">
                          {d.attempts === 0
                            ? '—'
                            : d.last_status_code !== null
                              ? formatNumber(d.last_status_code, locale, { useGrouping: false })
                              : (d.last_error_code ?? t('hooks.noAnswer'))}
                        </span>
                      </td>
                      <td data-testid="delivery-time">
                        {last ? t('hooks.ms', { n: formatNumber(last.duration_ms, locale) }) : '—'}
                      </td>
                      <td>
                        <details>
                          <summary>{formatNumber(d.attempts, locale)}</summary>
                          <ul className="fr-small" style={{ paddingInlineStart: 16, margin: 0 }}>
                            {d.attempt_log.map((a) => (
                              <li key={a.attempt}>
                                {t('hooks.attemptLine', {
                                  n: a.attempt,
                                  status:
                                    a.status_code !== null
                                      ? formatNumber(a.status_code, locale, { useGrouping: false })
                                      : (a.error_code ?? t('hooks.noAnswer')),
                                  ms: a.duration_ms,
                                })}
                                {a.error_message ? (
                                  <div className="fr-muted fr-ltr">{a.error_message}</div>
                                ) : null}
                              </li>
                            ))}
                          </ul>
                        </details>
                      </td>
                      <td>
                        {canWrite && d.state !== 'pending' ? (
                          <Button
                            size="sm"
                            variant="ghost"
                            busy={busy === d.id}
                            data-testid="replay"
                            onClick={() =>
                              run(d.id, async () => {
                                const replay = await api.post<WebhookDelivery>(
                                  `/v1/webhooks/${hook.id}/deliveries/${d.id}/replay`,
                                );
                                setDeliveries((list) => [replay, ...list]);
                                setNotice(t('hooks.replayed'));
                              })
                            }
                          >
                            {t('hooks.replay')}
                          </Button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {cursor ? (
          <Button onClick={() => loadDeliveries(stateFilter, cursor)} busy={busy === 'log'}>
            {account('loadMore')}
          </Button>
        ) : null}
      </section>

      <ConfirmDialog
        open={confirm === 'rotate'}
        title={t('hooks.rotateTitle')}
        confirmLabel={t('hooks.rotate')}
        onClose={() => setConfirm(null)}
        onConfirm={async () => {
          const rotated = await api.post<Webhook & { secret: string }>(
            `/v1/webhooks/${hook.id}/rotate-secret`,
            {},
          );
          const { secret: shown, ...updated } = rotated;
          setHook(updated);
          setSecret(shown);
        }}
      >
        <p>{t('hooks.rotateBody', { hours: formatNumber(graceHours, locale) })}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'delete'}
        title={t('hooks.deleteTitle')}
        confirmLabel={t('hooks.delete')}
        danger
        onClose={() => setConfirm(null)}
        onConfirm={async () => {
          await api.delete(`/v1/webhooks/${hook.id}`);
          router.push('/account/webhooks');
          router.refresh();
        }}
      >
        <p>{t('hooks.deleteBody')}</p>
      </ConfirmDialog>
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </div>
  );
}
