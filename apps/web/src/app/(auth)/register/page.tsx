import type { Metadata } from 'next';
import { RegisterForm } from '@/features/auth/auth-forms';
import { authText } from '@/i18n/dictionaries/auth';
import { getLocale, getT } from '@/i18n/server';
import { AuthCard } from '../auth-card';

export async function generateMetadata(): Promise<Metadata> {
  return { title: authText[await getLocale()].registerTitle };
}

export default async function RegisterPage() {
  const t = await getT(authText);
  return (
    <AuthCard title={t('registerTitle')} lead={t('registerLead')}>
      <RegisterForm />
    </AuthCard>
  );
}
