'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/feedback';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { accountText } from '@/i18n/dictionaries/account';
import { notificationsText } from '@/i18n/dictionaries/notifications';
import { formatDate } from '@/i18n/format';
import { api } from '@/lib/api/client';
import { useEventStream } from '@/lib/api/event-stream';
import styles from './account.module.css';
import type { InboxPage, Notice } from './account-types';
import { noticeFromEvent } from './notification-bell';

const LIVE_TYPES = ['notification.created.v1'] as const;

/** Every notice of the person in this workspace, newest first, live, with read state. */
export function InboxList({ initial }: { initial: InboxPage }) {
  const t = useT(notificationsText);
  const account = useT(accountText);
  const locale = useLocale();
  const [items, setItems] = useState(initial.items);
  const [cursor, setCursor] = useState(initial.next_cursor);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEventStream(LIVE_TYPES, (event) => {
    const notice = noticeFromEvent(event);
    if (notice) setItems((list) => [notice, ...list.filter((n) => n.id !== notice.id)]);
  });

  const load = async (unread: boolean, after?: string) => {
    try {
      const page = await api.get<InboxPage>('/v1/notifications', { limit: 30, unread, cursor: after });
      setItems((list) => (after ? [...list, ...page.items] : page.items));
      setCursor(page.next_cursor);
    } catch (e) {
      setError(e);
    }
  };

  const read = async (notice: Notice) => {
    await api.post(`/v1/notifications/${notice.id}/read`);
    setItems((list) =>
      list.map((n) => (n.id === notice.id ? { ...n, read_at: new Date().toISOString() } : n)),
    );
  };

  return (
    <div className="fr-stack">
      <div className="fr-row" style={{ justifyContent: 'space-between' }}>
        <label className="fr-row fr-small" style={{ gap: 6 }}>
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) => {
              setUnreadOnly(e.target.checked);
              void load(e.target.checked);
            }}
          />
          {t('unreadOnly')}
        </label>
        <Button
          size="sm"
          disabled={!items.some((n) => !n.read_at)}
          onClick={async () => {
            try {
              await api.post('/v1/notifications/read-all');
              setItems((list) => list.map((n) => ({ ...n, read_at: n.read_at ?? new Date().toISOString() })));
            } catch (e) {
              setError(e);
            }
          }}
        >
          {t('markAllRead')}
        </Button>
      </div>
      <FormError error={error} />
      {items.length === 0 ? (
        <EmptyState title={t('empty')} />
      ) : (
        <div className="fr-card" style={{ padding: 0, overflow: 'hidden' }}>
          {items.map((notice) => (
            <div
              key={notice.id}
              className={`${styles.notice} ${styles.inboxItem}`}
              data-unread={!notice.read_at}
              data-testid="inbox-item"
              dir={notice.locale === 'fa' ? 'rtl' : 'ltr'}
            >
              {notice.read_at ? (
                <span style={{ inlineSize: 8 }} />
              ) : (
                <span className={styles.dot} aria-hidden="true" />
              )}
              <div className="fr-grow" style={{ minInlineSize: 0 }}>
                <strong>
                  {notice.link ? (
                    <Link href={notice.link} onClick={() => (notice.read_at ? undefined : read(notice))}>
                      {notice.title}
                    </Link>
                  ) : (
                    notice.title
                  )}
                </strong>
                <p>{notice.body}</p>
                <span className="fr-small fr-muted">{formatDate(notice.created_at, locale, 'datetime')}</span>
              </div>
              {!notice.read_at ? (
                <Button size="sm" variant="ghost" onClick={() => read(notice).catch(setError)}>
                  {t('markRead')}
                </Button>
              ) : null}
            </div>
          ))}
        </div>
      )}
      {cursor ? (
        <div>
          <Button onClick={() => load(unreadOnly, cursor)}>{account('loadMore')}</Button>
        </div>
      ) : null}
    </div>
  );
}
