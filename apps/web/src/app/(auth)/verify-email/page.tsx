import { VerifyEmail } from '@/features/auth/auth-forms';
import { authText } from '@/i18n/dictionaries/auth';
import { getT } from '@/i18n/server';
import { AuthCard } from '../auth-card';

/** The page the verification email links to: `/verify-email?token=...`. */
export default async function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const t = await getT(authText);
  const { token } = await searchParams;
  return (
    <AuthCard title={t('verifyTitle')}>
      <VerifyEmail token={token} />
    </AuthCard>
  );
}
