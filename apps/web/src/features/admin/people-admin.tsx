'use client';

import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Alert, Badge, EmptyState } from '@/components/ui/feedback';
import { SelectField, TextArea, TextField } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import styles from '@/features/account/account.module.css';
import { TENANT_SUSPENSION_REASONS, USER_BAN_REASONS } from '@/features/account/catalog';
import { useLocale, useT } from '@/i18n/client';
import { adminText } from '@/i18n/dictionaries/admin';
import { commonText } from '@/i18n/dictionaries/common';
import { formatDate, formatMoney } from '@/i18n/format';
import { api } from '@/lib/api/client';
import type { AdminTenant, AdminUser } from './admin-types';

interface Listing<T> {
  items: T[];
  next_cursor: string | null;
}

/** A searchable, filterable list that pages with `cursor` (users and tenants alike). */
function useListing<T>(path: string, initial: Listing<T>, filterKey: string) {
  const [items, setItems] = useState(initial.items);
  const [cursor, setCursor] = useState(initial.next_cursor);
  const [q, setQ] = useState('');
  const [only, setOnly] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const first = useRef(true);
  const load = async (after?: string) => {
    try {
      const page = await api.get<Listing<T>>(path, {
        limit: 50,
        q,
        [filterKey]: only ? 'true' : undefined,
        cursor: after,
      });
      setItems((list) => (after ? [...list, ...page.items] : page.items));
      setCursor(page.next_cursor);
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the query and filter are what the list follows.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => void loadRef.current(), 300);
    return () => clearTimeout(timer);
  }, [q, only]);
  return {
    items,
    setItems,
    cursor,
    q,
    setQ,
    only,
    setOnly,
    error,
    setError,
    more: () => load(cursor ?? undefined),
  };
}

/** The reason, note and optional end date of a ban or a suspension. */
function MeasureDialog<R extends string>({
  open,
  title,
  body,
  reasons,
  reasonLabel,
  confirmLabel,
  onClose,
  onSubmit,
}: {
  open: boolean;
  title: string;
  body: string;
  reasons: readonly R[];
  reasonLabel: (r: R) => string;
  confirmLabel: string;
  onClose: () => void;
  onSubmit: (measure: { reason_code: R; note?: string; until?: string }) => Promise<void>;
}) {
  const t = useT(adminText);
  const common = useT(commonText);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const note = String(form.get('note') ?? '').trim();
    const until = String(form.get('until') ?? '');
    setBusy(true);
    setError(null);
    try {
      await onSubmit({
        reason_code: form.get('reason') as R,
        ...(note ? { note } : {}),
        ...(until ? { until: new Date(`${until}T23:59:59`).toISOString() } : {}),
      });
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      actions={
        <>
          <Button onClick={onClose}>{common('cancel')}</Button>
          <Button variant="danger" type="submit" form="measure-form" busy={busy} data-testid="confirm">
            {confirmLabel}
          </Button>
        </>
      }
    >
      <form id="measure-form" className="fr-stack" onSubmit={submit}>
        <FormError error={error} />
        <Alert tone="warning">{body}</Alert>
        <SelectField
          label={t('reason')}
          name="reason"
          options={reasons.map((r) => ({ value: r, label: reasonLabel(r) }))}
        />
        <TextArea label={t('note')} name="note" maxLength={1000} dir="auto" />
        <TextField label={t('until')} name="until" type="date" dir="ltr" />
      </form>
    </Dialog>
  );
}

function Toolbar({
  q,
  setQ,
  only,
  setOnly,
  searchLabel,
  onlyLabel,
}: {
  q: string;
  setQ: (q: string) => void;
  only: boolean;
  setOnly: (v: boolean) => void;
  searchLabel: string;
  onlyLabel: string;
}) {
  const t = useT(adminText);
  return (
    <div className={styles.toolbar}>
      <div className={styles.grow}>
        <TextField
          label={t('search')}
          placeholder={searchLabel}
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          dir="auto"
          data-testid="admin-search"
        />
      </div>
      <label className="fr-row fr-small" style={{ gap: 6, minBlockSize: 42 }}>
        <input type="checkbox" checked={only} onChange={(e) => setOnly(e.target.checked)} />
        {onlyLabel}
      </label>
    </div>
  );
}

export function UsersAdmin({ initial, selfId }: { initial: Listing<AdminUser>; selfId: string }) {
  const t = useT(adminText);
  const locale = useLocale();
  const list = useListing<AdminUser>('/v1/admin/users', initial, 'banned');
  const [banning, setBanning] = useState<AdminUser | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const replace = (user: Partial<AdminUser> & { id: string }) =>
    list.setItems((items) => items.map((u) => (u.id === user.id ? { ...u, ...user } : u)));
  return (
    <div className="fr-stack">
      <Toolbar
        q={list.q}
        setQ={list.setQ}
        only={list.only}
        setOnly={list.setOnly}
        searchLabel={t('searchUsers')}
        onlyLabel={t('users.onlyBanned')}
      />
      <FormError error={list.error} />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {list.items.length === 0 ? (
        <EmptyState title={t('none')} />
      ) : (
        <div className={`fr-card ${styles.tableWrap}`} style={{ paddingBlock: 0 }}>
          <table className="fr-table" data-testid="users-table">
            <thead>
              <tr>
                <th>{t('users.user')}</th>
                <th>{t('users.state')}</th>
                <th>{t('users.joined')}</th>
                <th>{t('users.lastLogin')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.items.map((user) => (
                <tr key={user.id} data-testid="user-row" data-email={user.email} data-banned={user.banned}>
                  <td>
                    <strong dir="auto">{user.display_name}</strong>
                    <div className="fr-small fr-muted fr-ltr">{user.email}</div>
                  </td>
                  <td>
                    <div className="fr-row" style={{ gap: 4 }}>
                      {user.banned ? (
                        <Badge tone="danger">
                          {user.banned_until
                            ? t('users.bannedUntil', { date: formatDate(user.banned_until, locale) })
                            : t('users.banned')}
                        </Badge>
                      ) : (
                        <Badge tone="success">{t('users.active')}</Badge>
                      )}
                      {!user.email_verified ? <Badge tone="warning">{t('users.unverified')}</Badge> : null}
                      {user.platform_admin ? <Badge tone="brand">{t('users.admin')}</Badge> : null}
                    </div>
                    {user.banned && user.ban_reason ? (
                      <div className="fr-small fr-muted">
                        {(USER_BAN_REASONS as readonly string[]).includes(user.ban_reason)
                          ? t(`ban.${user.ban_reason as (typeof USER_BAN_REASONS)[number]}`)
                          : user.ban_reason}
                      </div>
                    ) : null}
                  </td>
                  <td>{formatDate(user.created_at, locale)}</td>
                  <td>{user.last_login_at ? formatDate(user.last_login_at, locale, 'datetime') : '—'}</td>
                  <td>
                    {user.id === selfId ? null : user.banned ? (
                      <Button
                        size="sm"
                        data-testid="unban"
                        onClick={async () => {
                          try {
                            await api.post(`/v1/admin/users/${user.id}/unban`);
                            replace({ id: user.id, banned: false, banned_until: null, ban_reason: null });
                            setNotice(t('users.unbannedDone', { name: user.display_name }));
                          } catch (e) {
                            list.setError(e);
                          }
                        }}
                      >
                        {t('users.unban')}
                      </Button>
                    ) : (
                      <Button size="sm" variant="ghost" data-testid="ban" onClick={() => setBanning(user)}>
                        {t('users.ban')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.cursor ? (
        <div>
          <Button onClick={list.more}>{t('loadMore')}</Button>
        </div>
      ) : null}
      <MeasureDialog
        open={banning !== null}
        title={t('users.banTitle', { name: banning?.display_name ?? '' })}
        body={t('users.banBody')}
        reasons={USER_BAN_REASONS}
        reasonLabel={(r) => t(`ban.${r}`)}
        confirmLabel={t('users.ban')}
        onClose={() => setBanning(null)}
        onSubmit={async (measure) => {
          if (!banning) return;
          await api.post(`/v1/admin/users/${banning.id}/ban`, measure);
          replace({
            id: banning.id,
            banned: true,
            banned_until: measure.until ?? null,
            ban_reason: measure.reason_code,
          });
          setNotice(t('users.bannedDone', { name: banning.display_name }));
        }}
      />
    </div>
  );
}

export function TenantsAdmin({ initial }: { initial: Listing<AdminTenant> }) {
  const t = useT(adminText);
  const locale = useLocale();
  const list = useListing<AdminTenant>('/v1/admin/tenants', initial, 'suspended');
  const [suspending, setSuspending] = useState<AdminTenant | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const replace = (tenant: Partial<AdminTenant> & { id: string }) =>
    list.setItems((items) => items.map((x) => (x.id === tenant.id ? { ...x, ...tenant } : x)));
  return (
    <div className="fr-stack">
      <Toolbar
        q={list.q}
        setQ={list.setQ}
        only={list.only}
        setOnly={list.setOnly}
        searchLabel={t('searchTenants')}
        onlyLabel={t('tenants.onlySuspended')}
      />
      <FormError error={list.error} />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {list.items.length === 0 ? (
        <EmptyState title={t('none')} />
      ) : (
        <div className={`fr-card ${styles.tableWrap}`} style={{ paddingBlock: 0 }}>
          <table className="fr-table" data-testid="tenants-table">
            <thead>
              <tr>
                <th>{t('tenants.tenant')}</th>
                <th>{t('tenants.kind')}</th>
                <th>{t('tenants.balance')}</th>
                <th>{t('users.state')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.items.map((tenant) => (
                <tr
                  key={tenant.id}
                  data-testid="tenant-row"
                  data-slug={tenant.slug}
                  data-suspended={tenant.suspended}
                >
                  <td>
                    <strong dir="auto">{tenant.name}</strong>
                    <div className="fr-small fr-muted fr-ltr">{tenant.slug}</div>
                  </td>
                  <td>{tenant.kind === 'personal' ? t('tenants.personal') : t('tenants.organization')}</td>
                  <td>{formatMoney(tenant.balance, locale)}</td>
                  <td>
                    {tenant.suspended ? (
                      <Badge tone="danger">
                        {tenant.suspended_until
                          ? t('tenants.suspendedUntil', { date: formatDate(tenant.suspended_until, locale) })
                          : t('tenants.suspended')}
                      </Badge>
                    ) : (
                      <Badge tone="success">{t('tenants.active')}</Badge>
                    )}
                  </td>
                  <td>
                    {tenant.suspended ? (
                      <Button
                        size="sm"
                        onClick={async () => {
                          try {
                            await api.post(`/v1/admin/tenants/${tenant.id}/unsuspend`);
                            replace({
                              id: tenant.id,
                              suspended: false,
                              suspended_until: null,
                              suspension_reason: null,
                            });
                            setNotice(t('tenants.unsuspendedDone', { name: tenant.name }));
                          } catch (e) {
                            list.setError(e);
                          }
                        }}
                      >
                        {t('tenants.unsuspend')}
                      </Button>
                    ) : (
                      <Button size="sm" variant="ghost" onClick={() => setSuspending(tenant)}>
                        {t('tenants.suspend')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.cursor ? (
        <div>
          <Button onClick={list.more}>{t('loadMore')}</Button>
        </div>
      ) : null}
      <MeasureDialog
        open={suspending !== null}
        title={t('tenants.suspendTitle', { name: suspending?.name ?? '' })}
        body={t('tenants.suspendBody')}
        reasons={TENANT_SUSPENSION_REASONS}
        reasonLabel={(r) => t(`suspend.${r}`)}
        confirmLabel={t('tenants.suspend')}
        onClose={() => setSuspending(null)}
        onSubmit={async (measure) => {
          if (!suspending) return;
          await api.post(`/v1/admin/tenants/${suspending.id}/suspend`, measure);
          replace({
            id: suspending.id,
            suspended: true,
            suspended_until: measure.until ?? null,
            suspension_reason: measure.reason_code,
          });
          setNotice(t('tenants.suspendedDone', { name: suspending.name }));
        }}
      />
    </div>
  );
}
