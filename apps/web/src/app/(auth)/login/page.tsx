import type { Metadata } from 'next';
import { LoginForm } from '@/features/auth/auth-forms';
import { authText } from '@/i18n/dictionaries/auth';
import { getLocale, getT } from '@/i18n/server';
import { AuthCard } from '../auth-card';

export async function generateMetadata(): Promise<Metadata> {
  return { title: authText[await getLocale()].loginSubmit };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const t = await getT(authText);
  const { next } = await searchParams;
  return (
    <AuthCard title={t('loginTitle')} lead={t('loginLead')}>
      <LoginForm {...(next ? { next } : {})} />
    </AuthCard>
  );
}
