'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/feedback';
import { useLocale, useT } from '@/i18n/client';
import { notificationsText } from '@/i18n/dictionaries/notifications';
import { formatDate, formatNumber } from '@/i18n/format';
import { api } from '@/lib/api/client';
import { type StreamEvent, useEventStream } from '@/lib/api/event-stream';
import type { Me } from '@/lib/api/types';
import styles from './account.module.css';
import type { InboxPage, Notice } from './account-types';

const LIVE_TYPES = ['notification.created.v1'] as const;

type CreatedData = Omit<Notice, 'id' | 'read_at'> & { notification_id: string };

/** The notice a `notification.created.v1` frame describes, as the inbox lists it. */
export function noticeFromEvent(event: StreamEvent): Notice | null {
  const data = event.data as Partial<CreatedData>;
  if (!data.notification_id || !data.title) return null;
  return {
    id: data.notification_id,
    kind: data.kind ?? '',
    locale: data.locale ?? 'fa',
    title: data.title,
    body: data.body ?? '',
    link: data.link ?? null,
    channels: data.channels ?? ['in_app'],
    created_at: data.created_at ?? event.event_time,
    read_at: null,
  };
}

/**
 * The header bell: the unread count, kept live by the event stream (the gateway sends each user
 * their own new notices), and a panel with the latest ones. Opening a notice marks it read.
 */
export function NotificationBell(_props: { session: Me }) {
  const t = useT(notificationsText);
  const locale = useLocale();
  const router = useRouter();
  const [count, setCount] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Notice[] | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    api
      .get<{ count: number }>('/v1/notifications/unread-count')
      .then((r) => setCount(r.count))
      .catch(() => setCount(0));
  }, []);

  useEventStream(LIVE_TYPES, (event) => {
    const notice = noticeFromEvent(event);
    if (!notice) return;
    setCount((c) => (c ?? 0) + 1);
    setItems((list) => (list ? [notice, ...list.filter((n) => n.id !== notice.id)] : list));
  });

  const load = useCallback(async () => {
    try {
      const page = await api.get<InboxPage>('/v1/notifications', { limit: 8 });
      setItems(page.items);
      setCount(page.unread_count);
    } catch {
      setItems([]);
    }
  }, []);

  useEffect(() => {
    if (!open) return;
    void load();
    const onDown = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, load]);

  const markRead = async (notice: Notice) => {
    if (notice.read_at) return;
    setItems(
      (list) =>
        list?.map((n) => (n.id === notice.id ? { ...n, read_at: new Date().toISOString() } : n)) ?? null,
    );
    setCount((c) => Math.max(0, (c ?? 1) - 1));
    await api.post(`/v1/notifications/${notice.id}/read`).catch(() => undefined);
  };

  const unread = count ?? 0;
  return (
    <div className={`fr-menu ${styles.bell}`} ref={ref}>
      <button
        type="button"
        className="fr-btn fr-btn-ghost fr-btn-sm fr-icon-btn"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={unread > 0 ? t('bellUnread', { n: unread }) : t('bell')}
        onClick={() => setOpen((v) => !v)}
        data-testid="bell"
        data-unread={unread}
      >
        <svg
          width="20"
          height="20"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          aria-hidden="true"
        >
          <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        {unread > 0 ? (
          <span className={styles.bellCount} data-testid="bell-count">
            {unread > 99 ? `${formatNumber(99, locale)}+` : formatNumber(unread, locale)}
          </span>
        ) : null}
      </button>
      {open ? (
        <div className={styles.bellPanel} role="dialog" aria-label={t('bell')}>
          <div className={styles.bellHead}>
            <strong>{t('bell')}</strong>
            <Button
              size="sm"
              variant="ghost"
              disabled={unread === 0}
              onClick={async () => {
                await api.post('/v1/notifications/read-all').catch(() => undefined);
                setCount(0);
                setItems(
                  (list) =>
                    list?.map((n) => ({ ...n, read_at: n.read_at ?? new Date().toISOString() })) ?? null,
                );
              }}
            >
              {t('markAllRead')}
            </Button>
          </div>
          <div className={styles.bellList}>
            {items === null ? (
              <div style={{ padding: 16 }}>
                <Spinner />
              </div>
            ) : items.length === 0 ? (
              <p className="fr-muted" style={{ padding: 16, margin: 0 }}>
                {t('empty')}
              </p>
            ) : (
              items.map((notice) => (
                <a
                  key={notice.id}
                  href={notice.link ?? '/account/inbox'}
                  className={styles.notice}
                  data-unread={!notice.read_at}
                  data-testid="bell-item"
                  dir={notice.locale === 'fa' ? 'rtl' : 'ltr'}
                  onClick={async (event) => {
                    event.preventDefault();
                    setOpen(false);
                    await markRead(notice);
                    router.push(notice.link ?? '/account/inbox');
                  }}
                >
                  <strong>{notice.title}</strong>
                  <p>{notice.body}</p>
                  <span className="fr-small fr-muted">
                    {formatDate(notice.created_at, locale, 'datetime')}
                  </span>
                </a>
              ))
            )}
          </div>
          <div
            className={styles.bellHead}
            style={{ borderBlockEnd: 0, borderBlockStart: '1px solid var(--c-border)' }}
          >
            <Link href="/account/inbox" onClick={() => setOpen(false)}>
              {t('seeAll')}
            </Link>
            <Link href="/account/notifications" onClick={() => setOpen(false)}>
              {t('settings')}
            </Link>
          </div>
        </div>
      ) : null}
    </div>
  );
}
