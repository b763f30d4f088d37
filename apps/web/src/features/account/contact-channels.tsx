'use client';

import { useCallback, useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert, Badge } from '@/components/ui/feedback';
import { TextField } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { notificationsText } from '@/i18n/dictionaries/notifications';
import { formatDate, formatNumber, latinDigits } from '@/i18n/format';
import { api } from '@/lib/api/client';
import styles from './account.module.css';
import type { Preferences, PushSubscriptionView, TelegramLink } from './account-types';

/** Where this browser keeps the id of its own subscription (the list shows only endpoint origins). */
const PUSH_ID_KEY = 'fr_push_subscription';
const WORKER_URL = '/push-sw.js';

/** A VAPID key (base64url) as the bytes PushManager.subscribe wants. */
export function vapidKeyBytes(key: string): Uint8Array<ArrayBuffer> {
  const base64 = (key + '='.repeat((4 - (key.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function pushSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    window.isSecureContext &&
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window
  );
}

/** Web push in this browser: the self-hosted service worker, the subscription, other browsers. */
export function PushSection({ onChange }: { onChange: () => void }) {
  const t = useT(notificationsText);
  const locale = useLocale();
  const [supported, setSupported] = useState<boolean | null>(null);
  const [subscribed, setSubscribed] = useState(false);
  const [others, setOthers] = useState<PushSubscriptionView[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [denied, setDenied] = useState(false);

  const refresh = useCallback(async () => {
    const ok = pushSupported();
    setSupported(ok);
    const mine = typeof localStorage === 'undefined' ? null : localStorage.getItem(PUSH_ID_KEY);
    try {
      const list = await api.get<{ items: PushSubscriptionView[] }>('/v1/push-subscriptions');
      setOthers(list.items.filter((s) => s.id !== mine));
      if (ok) {
        const registration = await navigator.serviceWorker.getRegistration(WORKER_URL);
        const current = await registration?.pushManager.getSubscription();
        setSubscribed(Boolean(current && mine && list.items.some((s) => s.id === mine)));
      }
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const enable = async () => {
    setBusy(true);
    setError(null);
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        setDenied(true);
        return;
      }
      const registration = await navigator.serviceWorker.register(WORKER_URL);
      await navigator.serviceWorker.ready;
      const { public_key } = await api.get<{ public_key: string }>('/v1/push-subscriptions/vapid-key');
      const subscription =
        (await registration.pushManager.getSubscription()) ??
        (await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: vapidKeyBytes(public_key),
        }));
      const json = subscription.toJSON();
      const saved = await api.post<PushSubscriptionView>('/v1/push-subscriptions', {
        endpoint: json.endpoint,
        keys: json.keys,
        user_agent: navigator.userAgent.slice(0, 300),
      });
      localStorage.setItem(PUSH_ID_KEY, saved.id);
      await refresh();
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const disable = async () => {
    setBusy(true);
    setError(null);
    try {
      const registration = await navigator.serviceWorker.getRegistration(WORKER_URL);
      await (await registration?.pushManager.getSubscription())?.unsubscribe();
      const mine = localStorage.getItem(PUSH_ID_KEY);
      if (mine) await api.delete(`/v1/push-subscriptions/${mine}`).catch(() => undefined);
      localStorage.removeItem(PUSH_ID_KEY);
      await refresh();
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="fr-card fr-stack" data-testid="push-section">
      <h2 className="fr-card-title" style={{ margin: 0 }}>
        {t('push.title')}
      </h2>
      <FormError error={error} />
      {supported === false ? <Alert tone="info">{t('push.unsupported')}</Alert> : null}
      {denied ? <Alert tone="warning">{t('push.denied')}</Alert> : null}
      {supported ? (
        subscribed ? (
          <div className="fr-row">
            <Badge tone="success">{t('push.enabled')}</Badge>
            <Button size="sm" busy={busy} onClick={disable}>
              {t('push.disable')}
            </Button>
          </div>
        ) : (
          <div>
            <Button variant="primary" busy={busy} onClick={enable}>
              {t('push.enable')}
            </Button>
          </div>
        )
      ) : null}
      {others.length > 0 ? (
        <div className="fr-stack" style={{ gap: 6 }}>
          <span className="fr-small fr-muted">
            {t('push.devices', { n: formatNumber(others.length, locale) })}
          </span>
          {others.map((s) => (
            <div key={s.id} className="fr-row fr-small" style={{ justifyContent: 'space-between' }}>
              <span className="fr-ltr" style={{ overflowWrap: 'anywhere' }}>
                {s.user_agent ?? s.endpoint_origin} · {formatDate(s.created_at, locale)}
              </span>
              <Button
                size="sm"
                variant="ghost"
                onClick={async () => {
                  await api.delete(`/v1/push-subscriptions/${s.id}`).catch(setError);
                  await refresh();
                  onChange();
                }}
              >
                {t('push.remove')}
              </Button>
            </div>
          ))}
        </div>
      ) : null}
    </section>
  );
}

/** Linking a Telegram chat with a one-time code the person sends to the bot. */
export function TelegramSection({ onChange }: { onChange: () => void }) {
  const t = useT(notificationsText);
  const locale = useLocale();
  const [state, setState] = useState<{ linked: boolean; available: boolean } | null>(null);
  const [code, setCode] = useState<TelegramLink | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const read = useCallback(async () => {
    try {
      const now = await api.get<{ linked: boolean; available: boolean }>('/v1/telegram/link');
      setState(now);
      return now;
    } catch (e) {
      setError(e);
      return null;
    }
  }, []);

  useEffect(() => {
    void read();
  }, [read]);

  // While a code is out, the link is made by the bot's webhook: look again every few seconds.
  useEffect(() => {
    if (!code || state?.linked) return;
    const timer = setInterval(async () => {
      const now = await read();
      if (now?.linked) {
        setCode(null);
        onChange();
      }
    }, 3000);
    return () => clearInterval(timer);
  }, [code, state, read, onChange]);

  if (state && !state.available) return null;
  return (
    <section className="fr-card fr-stack" data-testid="telegram-section">
      <h2 className="fr-card-title" style={{ margin: 0 }}>
        {t('telegram.title')}
      </h2>
      <FormError error={error} />
      {state?.linked ? (
        <div className="fr-row">
          <Badge tone="success">{t('telegram.linked')}</Badge>
          <Button
            size="sm"
            busy={busy}
            onClick={async () => {
              setBusy(true);
              await api.delete('/v1/telegram/link').catch(setError);
              await read();
              setBusy(false);
              onChange();
            }}
          >
            {t('telegram.unlink')}
          </Button>
        </div>
      ) : code ? (
        <div className="fr-stack" style={{ gap: 8 }}>
          <span>{t('telegram.instructions')}</span>
          <code
            className={styles.code}
            style={{ fontSize: '1.05rem', alignSelf: 'flex-start' }}
            data-testid="telegram-code"
          >
            /start {code.code}
          </code>
          {code.bot_url ? (
            <a
              className="fr-btn fr-btn-primary fr-btn-sm"
              href={code.bot_url}
              target="_blank"
              rel="noreferrer"
              style={{ alignSelf: 'flex-start' }}
            >
              {t('telegram.openBot')}
            </a>
          ) : null}
          <span className="fr-small fr-muted">
            {t('telegram.expires', { time: formatDate(code.expires_at, locale, 'time') })}{' '}
            {t('telegram.checking')}
          </span>
        </div>
      ) : (
        <div>
          <Button
            variant="primary"
            busy={busy}
            disabled={!state}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                setCode(await api.post<TelegramLink>('/v1/telegram/link'));
              } catch (e) {
                setError(e);
              } finally {
                setBusy(false);
              }
            }}
          >
            {t('telegram.link')}
          </Button>
        </div>
      )}
    </section>
  );
}

/** A mobile number for SMS, confirmed by the 6-digit code texted to it. */
export function PhoneSection({
  contact,
  onChange,
}: {
  contact: Preferences['contact'];
  onChange: () => void;
}) {
  const t = useT(notificationsText);
  const [phone, setPhone] = useState(contact.phone ?? '');
  const [sentTo, setSentTo] = useState<string | null>(
    contact.phone && !contact.phone_verified ? contact.phone : null,
  );
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="fr-card fr-stack">
      <h2 className="fr-card-title" style={{ margin: 0 }}>
        {t('phone.title')}
      </h2>
      <FormError error={error} />
      {contact.phone && contact.phone_verified ? (
        <div className="fr-row">
          <Badge tone="success">
            <span className="fr-ltr">{t('phone.verified', { phone: contact.phone })}</span>
          </Badge>
          <Button
            size="sm"
            busy={busy}
            onClick={() =>
              run(async () => {
                await api.delete('/v1/notifications/phone');
                setSentTo(null);
                onChange();
              })
            }
          >
            {t('phone.remove')}
          </Button>
        </div>
      ) : (
        <>
          <form
            className="fr-row"
            style={{ alignItems: 'flex-end' }}
            onSubmit={(e) => {
              e.preventDefault();
              void run(async () => {
                const number = latinDigits(phone).replace(/[\s-]/g, '');
                await api.put('/v1/notifications/phone', { phone: number });
                setSentTo(number);
              });
            }}
          >
            <div style={{ flex: '1 1 240px' }}>
              <TextField
                label={t('phone.number')}
                type="tel"
                dir="ltr"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                autoComplete="tel"
              />
            </div>
            <Button type="submit" busy={busy && !sentTo}>
              {t('phone.send')}
            </Button>
          </form>
          {sentTo ? (
            <form
              className="fr-row"
              style={{ alignItems: 'flex-end' }}
              onSubmit={(e) => {
                e.preventDefault();
                void run(async () => {
                  await api.post('/v1/notifications/phone/verify', { code: latinDigits(code).trim() });
                  setSentTo(null);
                  onChange();
                });
              }}
            >
              <div style={{ flex: '0 1 200px' }}>
                <TextField
                  label={t('phone.code')}
                  inputMode="numeric"
                  dir="ltr"
                  maxLength={6}
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  autoComplete="one-time-code"
                  hint={t('phone.pending', { phone: sentTo })}
                />
              </div>
              <Button type="submit" variant="primary" busy={busy}>
                {t('phone.verify')}
              </Button>
            </form>
          ) : null}
        </>
      )}
    </section>
  );
}
