'use client';

import { useState } from 'react';
import { Alert, Badge } from '@/components/ui/feedback';
import { FormError } from '@/components/ui/form-error';
import { useT } from '@/i18n/client';
import { notificationsText } from '@/i18n/dictionaries/notifications';
import styles from './account.module.css';
import type { DeliveryChannel, Preferences } from './account-types';
import { DELIVERY_CHANNELS, NOTIFICATION_KINDS } from './catalog';

export type PreferencesChange = { kinds: Record<string, Partial<Record<DeliveryChannel, boolean>>> };

type Kind = (typeof NOTIFICATION_KINDS)[number];
const isKnownKind = (kind: string): kind is Kind => (NOTIFICATION_KINDS as readonly string[]).includes(kind);

/**
 * Kinds of notification × channels. In-app is always on; a kind the platform always sends (a ban, a
 * suspension) cannot be switched; a channel the platform has not set up cannot be chosen. Each click
 * saves at once (`PUT /v1/notifications/preferences` with just that switch); the answer is the new
 * state, and a refused change puts the box back.
 */
export function PreferenceMatrix({
  initial,
  save,
}: {
  initial: Preferences;
  save: (change: PreferencesChange) => Promise<Preferences>;
}) {
  const t = useT(notificationsText);
  const [prefs, setPrefs] = useState(initial);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const toggle = async (kind: string, channel: DeliveryChannel, on: boolean) => {
    const key = `${kind}:${channel}`;
    const before = prefs;
    setPending(key);
    setError(null);
    setSaved(false);
    setPrefs({
      ...prefs,
      kinds: prefs.kinds.map((k) =>
        k.kind === kind ? { ...k, channels: { ...k.channels, [channel]: on } } : k,
      ),
    });
    try {
      setPrefs(await save({ kinds: { [kind]: { [channel]: on } } }));
      setSaved(true);
    } catch (e) {
      setPrefs(before);
      setError(e);
    } finally {
      setPending(null);
    }
  };

  const kindLabel = (kind: string) => (isKnownKind(kind) ? t(`kind.${kind}`) : kind);

  return (
    <div className="fr-stack">
      <FormError error={error} />
      {saved ? <Alert tone="success">{t('prefs.saved')}</Alert> : null}
      <div className={styles.tableWrap}>
        <table className={`fr-table ${styles.matrix}`} data-testid="preference-matrix">
          <thead>
            <tr>
              <th scope="col">{t('prefs.kind')}</th>
              <th scope="col">{t('channel.in_app')}</th>
              {DELIVERY_CHANNELS.map((channel) => {
                const state = prefs.channels[channel];
                return (
                  <th key={channel} scope="col" data-channel={channel}>
                    {t(`channel.${channel}`)}
                    {!state?.available ? (
                      <div className="fr-small fr-muted" style={{ fontWeight: 400 }}>
                        {t('prefs.unavailable')}
                      </div>
                    ) : !state.ready ? (
                      <div className="fr-small" style={{ fontWeight: 400, color: 'var(--c-warning)' }}>
                        {t('prefs.notReady')}
                      </div>
                    ) : null}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {prefs.kinds.map((row) => (
              <tr key={row.kind} data-kind={row.kind}>
                <th scope="row" style={{ fontWeight: 600, color: 'var(--c-text)', fontSize: '0.9rem' }}>
                  {kindLabel(row.kind)}
                  {!row.configurable ? (
                    <div>
                      <Badge>{t('prefs.always')}</Badge>
                    </div>
                  ) : null}
                </th>
                <td>
                  <input
                    type="checkbox"
                    checked
                    disabled
                    aria-label={t('prefs.switch', {
                      kind: kindLabel(row.kind),
                      channel: t('channel.in_app'),
                    })}
                  />
                </td>
                {DELIVERY_CHANNELS.map((channel) => {
                  const available = prefs.channels[channel]?.available === true;
                  return (
                    <td key={channel}>
                      <input
                        type="checkbox"
                        checked={row.channels[channel] === true}
                        disabled={!row.configurable || !available || pending !== null}
                        aria-label={t('prefs.switch', {
                          kind: kindLabel(row.kind),
                          channel: t(`channel.${channel}`),
                        })}
                        data-channel={channel}
                        onChange={(e) => toggle(row.kind, channel, e.target.checked)}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
