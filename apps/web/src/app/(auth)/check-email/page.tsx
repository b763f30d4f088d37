import { ResendVerification } from '@/features/auth/auth-forms';
import { authText } from '@/i18n/dictionaries/auth';
import { getT } from '@/i18n/server';
import { AuthCard } from '../auth-card';

export default async function CheckEmailPage({
  searchParams,
}: {
  searchParams: Promise<{ email?: string }>;
}) {
  const t = await getT(authText);
  const { email = '' } = await searchParams;
  return (
    <AuthCard title={t('checkEmailTitle')}>
      <p data-testid="check-email">{t('checkEmailBody', { email: `\u2066${email}\u2069` })}</p>
      {email ? <ResendVerification email={email} /> : null}
    </AuthCard>
  );
}
