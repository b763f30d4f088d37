import { ForgotPasswordForm } from '@/features/auth/auth-forms';
import { authText } from '@/i18n/dictionaries/auth';
import { getT } from '@/i18n/server';
import { AuthCard } from '../auth-card';

export default async function ForgotPasswordPage() {
  const t = await getT(authText);
  return (
    <AuthCard title={t('forgotTitle')} lead={t('forgotLead')}>
      <ForgotPasswordForm />
    </AuthCard>
  );
}
