import type { Metadata } from 'next';
import { LinkButton } from '@/components/ui/button';
import { Alert } from '@/components/ui/feedback';
import { AcceptInvitation } from '@/features/account/team';
import { accountText } from '@/i18n/dictionaries/account';
import { commonText } from '@/i18n/dictionaries/common';
import { getLocale, getT } from '@/i18n/server';
import { getSession } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: accountText[await getLocale()]['invite.title'] };
}

/** The page of the invitation mail's link (`/invitations/accept?token=`), signed in or not. */
export default async function AcceptInvitationPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const { token } = await searchParams;
  const session = await getSession();
  const t = await getT(accountText);
  const common = await getT(commonText);
  const here = `/invitations/accept?token=${encodeURIComponent(token ?? '')}`;
  return (
    <div className="fr-auth">
      <div className="fr-card fr-auth-card fr-stack">
        <h1>{t('invite.title')}</h1>
        <p className="fr-muted" style={{ margin: 0 }}>
          {t('invite.lead')}
        </p>
        {!token || token.length < 16 ? (
          <Alert tone="error">{t('invite.missing')}</Alert>
        ) : session ? (
          <>
            <p className="fr-small" style={{ margin: 0 }}>
              {t('invite.signedInAs', { email: '' })}
              <span className="fr-ltr">{session.user.email}</span>
            </p>
            <AcceptInvitation token={token} />
          </>
        ) : (
          <>
            <p style={{ margin: 0 }}>{t('invite.signIn')}</p>
            <LinkButton href={`/login?next=${encodeURIComponent(here)}`} variant="primary" block>
              {common('signIn')}
            </LinkButton>
            <p className="fr-small fr-muted" style={{ margin: 0 }}>
              {t('invite.noAccount')}
            </p>
            <LinkButton href="/register" block>
              {common('signUp')}
            </LinkButton>
          </>
        )}
      </div>
    </div>
  );
}
