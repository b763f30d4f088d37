'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Button, LinkButton } from '@/components/ui/button';
import { Alert } from '@/components/ui/feedback';
import { TextField } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { authText } from '@/i18n/dictionaries/auth';
import { api, authCall } from '@/lib/api/client';
import { ApiError } from '@/lib/api/errors';

/** Where to go after signing in: only paths of this site (no open redirect). */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/templates';
  return next;
}

function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError && error.field === field ? error.message : undefined;
}

export function LoginForm({ next }: { next?: string }) {
  const t = useT(authText);
  const router = useRouter();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await authCall('login', { email: form.get('email'), password: form.get('password') });
      router.push(safeNext(next));
      router.refresh();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }
  return (
    <form className="fr-stack" onSubmit={submit} noValidate>
      <FormError error={error} />
      <TextField label={t('email')} name="email" type="email" autoComplete="email" required dir="ltr" />
      <TextField
        label={t('password')}
        name="password"
        type="password"
        autoComplete="current-password"
        required
      />
      <Button type="submit" variant="primary" size="lg" block busy={busy}>
        {t('loginSubmit')}
      </Button>
      <div className="fr-row fr-small" style={{ justifyContent: 'space-between' }}>
        <Link href="/forgot-password">{t('forgot')}</Link>
        <span>
          {t('noAccount')} <Link href="/register">{t('createOne')}</Link>
        </span>
      </div>
    </form>
  );
}

export function RegisterForm() {
  const t = useT(authText);
  const locale = useLocale();
  const router = useRouter();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '');
    setBusy(true);
    setError(null);
    try {
      await authCall('register', {
        email,
        password: form.get('password'),
        display_name: form.get('display_name'),
        locale,
      });
      router.push(`/check-email?email=${encodeURIComponent(email)}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }
  return (
    <form className="fr-stack" onSubmit={submit} noValidate>
      <FormError error={error} />
      <TextField
        label={t('displayName')}
        name="display_name"
        autoComplete="name"
        required
        dir="auto"
        error={fieldError(error, 'display_name')}
      />
      <TextField
        label={t('email')}
        name="email"
        type="email"
        autoComplete="email"
        required
        dir="ltr"
        error={fieldError(error, 'email')}
      />
      <TextField
        label={t('password')}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint={t('passwordHint')}
        error={fieldError(error, 'password')}
      />
      <Button type="submit" variant="primary" size="lg" block busy={busy}>
        {t('registerSubmit')}
      </Button>
      <div className="fr-small">
        {t('haveAccount')} <Link href="/login">{t('loginSubmit')}</Link>
      </div>
    </form>
  );
}

export function ResendVerification({ email }: { email: string }) {
  const t = useT(authText);
  const [state, setState] = useState<'idle' | 'busy' | 'sent'>('idle');
  const [error, setError] = useState<unknown>(null);
  if (state === 'sent') return <Alert tone="success">{t('resent')}</Alert>;
  return (
    <div className="fr-stack">
      <FormError error={error} />
      <Button
        busy={state === 'busy'}
        onClick={async () => {
          setState('busy');
          try {
            await api.post('/v1/auth/resend-verification', { email });
            setState('sent');
          } catch (e) {
            setError(e);
            setState('idle');
          }
        }}
      >
        {t('resend')}
      </Button>
    </div>
  );
}

export function VerifyEmail({ token }: { token: string | undefined }) {
  const t = useT(authText);
  const [state, setState] = useState<'working' | 'done' | 'failed'>(token ? 'working' : 'failed');
  const started = useRef(false);
  useEffect(() => {
    // One attempt per page view: the token is single-use, and strict mode runs effects twice.
    if (!token || started.current) return;
    started.current = true;
    api.post('/v1/auth/verify-email', { token }).then(
      () => setState('done'),
      () => setState('failed'),
    );
  }, [token]);
  if (state === 'working') return <Alert>{t('verifying')}</Alert>;
  return (
    <div className="fr-stack" data-testid={`verify-${state}`}>
      <Alert tone={state === 'done' ? 'success' : 'error'}>
        {state === 'done' ? t('verified') : token ? t('verifyFailed') : t('missingToken')}
      </Alert>
      <LinkButton href="/login" variant="primary" block>
        {t('goToLogin')}
      </LinkButton>
    </div>
  );
}

export function ForgotPasswordForm() {
  const t = useT(authText);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (sent) return <Alert tone="success">{t('forgotSent')}</Alert>;
  return (
    <form
      className="fr-stack"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const email = new FormData(event.currentTarget).get('email');
        setBusy(true);
        setError(null);
        try {
          await api.post('/v1/auth/password-reset/request', { email });
          setSent(true);
        } catch (e) {
          setError(e);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormError error={error} />
      <TextField label={t('email')} name="email" type="email" required dir="ltr" />
      <Button type="submit" variant="primary" block busy={busy}>
        {t('forgotSubmit')}
      </Button>
    </form>
  );
}

export function ResetPasswordForm({ token }: { token: string | undefined }) {
  const t = useT(authText);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);
  if (!token) return <Alert tone="error">{t('missingToken')}</Alert>;
  if (done)
    return (
      <div className="fr-stack">
        <Alert tone="success">{t('resetDone')}</Alert>
        <LinkButton href="/login" variant="primary" block>
          {t('goToLogin')}
        </LinkButton>
      </div>
    );
  return (
    <form
      className="fr-stack"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const password = String(form.get('password') ?? '');
        if (password !== String(form.get('confirm') ?? '')) {
          setMismatch(true);
          return;
        }
        setMismatch(false);
        setBusy(true);
        setError(null);
        try {
          await api.post('/v1/auth/password-reset/confirm', { token, password });
          setDone(true);
        } catch (e) {
          setError(e);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormError error={error} />
      <TextField
        label={t('newPassword')}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint={t('passwordHint')}
        error={fieldError(error, 'password')}
      />
      <TextField
        label={t('confirmPassword')}
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        error={mismatch ? t('passwordsDiffer') : undefined}
      />
      <Button type="submit" variant="primary" block busy={busy}>
        {t('resetSubmit')}
      </Button>
    </form>
  );
}
