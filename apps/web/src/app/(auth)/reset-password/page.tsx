import { ResetPasswordForm } from '@/features/auth/auth-forms';
import { authText } from '@/i18n/dictionaries/auth';
import { getT } from '@/i18n/server';
import { AuthCard } from '../auth-card';

/** The page the password-reset email links to: `/reset-password?token=...`. */
export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const t = await getT(authText);
  const { token } = await searchParams;
  return (
    <AuthCard title={t('resetTitle')}>
      <ResetPasswordForm token={token} />
    </AuthCard>
  );
}
