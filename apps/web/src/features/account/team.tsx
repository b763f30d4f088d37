'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert, Badge } from '@/components/ui/feedback';
import { SelectField, TextField } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { accountText } from '@/i18n/dictionaries/account';
import { formatDate, formatNumber } from '@/i18n/format';
import { api, authCall } from '@/lib/api/client';
import type { Me, Tenant } from '@/lib/api/types';
import styles from './account.module.css';
import type { Invitation, Member } from './account-types';
import { type Role, roleAtLeast } from './catalog';
import { ConfirmDialog } from './confirm-dialog';

type Invitable = Exclude<Role, 'owner'>;

/** The roles `actor` may give (identity's rule: owners any but owner, admins editor and viewer). */
export function assignableRoles(actor: Role): Invitable[] {
  if (actor === 'owner') return ['admin', 'editor', 'viewer'];
  if (actor === 'admin') return ['editor', 'viewer'];
  return [];
}

/** Switches the session to another workspace and reloads the pages for it. */
export function useSwitchTenant() {
  const router = useRouter();
  return async (tenantId: string, then = '/account/projects') => {
    await authCall('switch-tenant', { tenant_id: tenantId });
    router.push(then);
    router.refresh();
  };
}

export function Workspaces({
  tenants,
  currentId,
}: {
  tenants: Array<Tenant & { current: boolean }>;
  currentId: string;
}) {
  const t = useT(accountText);
  const switchTo = useSwitchTenant();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<Tenant | null>(null);
  const [list, setList] = useState(tenants);
  return (
    <section className="fr-card fr-stack">
      <h2 className="fr-card-title" style={{ margin: 0 }}>
        {t('team.workspaces')}
      </h2>
      <FormError error={error} />
      {created ? <Alert tone="success">{t('team.created', { name: created.name })}</Alert> : null}
      <div className="fr-stack" style={{ gap: 8 }}>
        {list.map((tenant) => (
          <div
            key={tenant.id}
            className="fr-row"
            style={{ justifyContent: 'space-between' }}
            data-testid="workspace"
          >
            <span>
              <strong dir="auto">{tenant.name}</strong> <Badge>{t(`role.${tenant.role}`)}</Badge>
            </span>
            {tenant.id === currentId ? (
              <Badge tone="brand">{t('team.current')}</Badge>
            ) : (
              <Button
                size="sm"
                busy={busy === tenant.id}
                onClick={async () => {
                  setBusy(tenant.id);
                  setError(null);
                  try {
                    await switchTo(tenant.id, '/account/team');
                  } catch (e) {
                    setError(e);
                    setBusy(null);
                  }
                }}
              >
                {t('team.switch')}
              </Button>
            )}
          </div>
        ))}
      </div>
      <form
        className="fr-row"
        style={{ alignItems: 'flex-end' }}
        onSubmit={async (e: FormEvent) => {
          e.preventDefault();
          if (!name.trim()) return;
          setBusy('create');
          setError(null);
          try {
            const team = await api.post<Tenant>('/v1/tenants', { name: name.trim() });
            setList((l) => [...l, { ...team, current: false }]);
            setCreated(team);
            setName('');
          } catch (err) {
            setError(err);
          } finally {
            setBusy(null);
          }
        }}
      >
        <div style={{ flex: '1 1 220px' }}>
          <TextField
            label={t('team.teamName')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            dir="auto"
          />
        </div>
        <Button type="submit" busy={busy === 'create'}>
          {t('team.createTeam')}
        </Button>
      </form>
    </section>
  );
}

/** Members with their roles, the invitation form and the open invitations. */
export function TeamMembers({
  session,
  members: initialMembers,
  invitations: initialInvitations,
  seats,
}: {
  session: Me;
  members: Member[];
  invitations: Invitation[] | null;
  seats: number | null;
}) {
  const t = useT(accountText);
  const locale = useLocale();
  const switchTo = useSwitchTenant();
  const tenantId = session.tenant.id;
  const myRole = session.tenant.role;
  const canManage = roleAtLeast(myRole, 'admin');
  const roles = assignableRoles(myRole);
  const [members, setMembers] = useState(initialMembers);
  const [invitations, setInvitations] = useState(initialInvitations ?? []);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Invitable>(roles.includes('editor') ? 'editor' : (roles[0] ?? 'viewer'));
  const [removing, setRemoving] = useState<Member | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

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

  const used = members.length + invitations.length;
  return (
    <div className="fr-stack">
      <FormError error={error} />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {seats !== null ? (
        <p className="fr-small fr-muted" style={{ margin: 0 }}>
          {t('team.seats', { used: formatNumber(used, locale), seats: formatNumber(seats, locale) })}
        </p>
      ) : null}
      <div className={`fr-card ${styles.tableWrap}`} style={{ paddingBlock: 0 }}>
        <table className="fr-table" data-testid="members-table">
          <thead>
            <tr>
              <th>{t('team.member')}</th>
              <th>{t('team.role')}</th>
              <th>
                <span className="fr-visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => {
              const me = member.user_id === session.user.id;
              const editable =
                canManage && !me && member.role !== 'owner' && roles.includes(member.role as Invitable);
              return (
                <tr key={member.user_id} data-testid="member-row" data-email={member.email}>
                  <td>
                    <strong dir="auto">{member.display_name}</strong>
                    {me ? <span className="fr-muted"> ({t('team.you')})</span> : null}
                    <div className="fr-small fr-muted fr-ltr">{member.email}</div>
                    <div className="fr-small fr-muted">
                      {t('team.joined', { date: formatDate(member.joined_at, locale) })}
                    </div>
                  </td>
                  <td style={{ minInlineSize: 150 }}>
                    {editable ? (
                      <select
                        className="fr-select"
                        aria-label={`${t('team.role')}: ${member.display_name}`}
                        value={member.role}
                        disabled={busy === member.user_id}
                        data-testid="member-role"
                        onChange={(e) => {
                          const next = e.target.value as Invitable;
                          void run(member.user_id, async () => {
                            await api.patch(`/v1/tenants/${tenantId}/members/${member.user_id}`, {
                              role: next,
                            });
                            setMembers((list) =>
                              list.map((m) => (m.user_id === member.user_id ? { ...m, role: next } : m)),
                            );
                            setNotice(t('saved'));
                          });
                        }}
                      >
                        {roles.map((r) => (
                          <option key={r} value={r}>
                            {t(`role.${r}`)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <Badge tone={member.role === 'owner' ? 'brand' : 'neutral'}>
                        {t(`role.${member.role}`)}
                      </Badge>
                    )}
                  </td>
                  <td>
                    {editable || (me && myRole !== 'owner') ? (
                      <Button size="sm" variant="ghost" onClick={() => setRemoving(member)}>
                        {me ? t('team.leave') : t('team.remove')}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {canManage && session.tenant.kind === 'organization' ? (
        <>
          <section className="fr-card fr-stack">
            <h2 className="fr-card-title" style={{ margin: 0 }}>
              {t('team.invite')}
            </h2>
            <form
              className="fr-row"
              style={{ alignItems: 'flex-end' }}
              onSubmit={(e) => {
                e.preventDefault();
                void run('invite', async () => {
                  const invitation = await api.post<Invitation>(`/v1/tenants/${tenantId}/invitations`, {
                    email: email.trim(),
                    role,
                  });
                  setInvitations((list) => [invitation, ...list]);
                  setNotice(t('team.invited', { email: invitation.email }));
                  setEmail('');
                });
              }}
            >
              <div style={{ flex: '2 1 240px' }}>
                <TextField
                  label={t('team.inviteEmail')}
                  type="email"
                  dir="ltr"
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  required
                  data-testid="invite-email"
                />
              </div>
              <div style={{ flex: '1 1 160px' }}>
                <SelectField
                  label={t('team.inviteRole')}
                  value={role}
                  onChange={(e) => setRole(e.target.value as Invitable)}
                  options={roles.map((r) => ({
                    value: r,
                    label: `${t(`role.${r}`)} — ${t(`team.roleHelp.${r}`)}`,
                  }))}
                />
              </div>
              <Button type="submit" variant="primary" busy={busy === 'invite'} data-testid="invite-submit">
                {t('team.inviteSubmit')}
              </Button>
            </form>
          </section>
          <section className="fr-card fr-stack">
            <h2 className="fr-card-title" style={{ margin: 0 }}>
              {t('team.invitations')}
            </h2>
            {invitations.length === 0 ? (
              <p className="fr-muted" style={{ margin: 0 }}>
                {t('team.noInvitations')}
              </p>
            ) : (
              invitations.map((inv) => (
                <div
                  key={inv.id}
                  className="fr-row"
                  style={{ justifyContent: 'space-between' }}
                  data-testid="invitation-row"
                >
                  <span>
                    <span className="fr-ltr">{inv.email}</span> <Badge>{t(`role.${inv.role}`)}</Badge>{' '}
                    <span className="fr-small fr-muted">
                      {t('team.expires', { date: formatDate(inv.expires_at, locale) })}
                    </span>
                  </span>
                  <Button
                    size="sm"
                    variant="ghost"
                    busy={busy === inv.id}
                    onClick={() =>
                      run(inv.id, async () => {
                        await api.delete(`/v1/tenants/${tenantId}/invitations/${inv.id}`);
                        setInvitations((list) => list.filter((i) => i.id !== inv.id));
                      })
                    }
                  >
                    {t('team.withdraw')}
                  </Button>
                </div>
              ))
            )}
          </section>
        </>
      ) : null}

      <ConfirmDialog
        open={removing !== null}
        title={removing?.user_id === session.user.id ? t('team.leave') : t('team.removeTitle')}
        confirmLabel={removing?.user_id === session.user.id ? t('team.leave') : t('team.remove')}
        danger
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await api.delete(`/v1/tenants/${tenantId}/members/${removing.user_id}`);
          if (removing.user_id === session.user.id) {
            const personal = session.tenants.find((x) => x.kind === 'personal');
            if (personal) await switchTo(personal.id);
            return;
          }
          setMembers((list) => list.filter((m) => m.user_id !== removing.user_id));
        }}
      >
        <p dir="auto">
          {removing?.user_id === session.user.id
            ? t('team.leaveBody')
            : t('team.removeBody', { name: removing?.display_name ?? '' })}
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** Accepting an invitation as the signed-in person, then going to that workspace. */
export function AcceptInvitation({ token }: { token: string }) {
  const t = useT(accountText);
  const switchTo = useSwitchTenant();
  const [joined, setJoined] = useState<Tenant | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (joined)
    return (
      <div className="fr-stack" data-testid="invitation-accepted">
        <Alert tone="success">{t('invite.accepted', { name: joined.name })}</Alert>
        <Button
          variant="primary"
          busy={busy}
          onClick={async () => {
            setBusy(true);
            await switchTo(joined.id).catch((e) => {
              setError(e);
              setBusy(false);
            });
          }}
        >
          {t('invite.open')}
        </Button>
        <FormError error={error} />
      </div>
    );
  return (
    <div className="fr-stack">
      <FormError error={error} />
      <Button
        variant="primary"
        size="lg"
        block
        busy={busy}
        data-testid="accept-invitation"
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            setJoined(await api.post<Tenant>(`/v1/invitations/${encodeURIComponent(token)}/accept`));
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {t('invite.accept')}
      </Button>
    </div>
  );
}
