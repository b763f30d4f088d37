'use client';

import { useCallback, useState } from 'react';
import { Alert } from '@/components/ui/feedback';
import { useT } from '@/i18n/client';
import { notificationsText } from '@/i18n/dictionaries/notifications';
import { api } from '@/lib/api/client';
import type { Preferences } from './account-types';
import { PhoneSection, PushSection, TelegramSection } from './contact-channels';
import { PreferenceMatrix, type PreferencesChange } from './preference-matrix';

/** The settings page: the kind × channel matrix and the channels' own set-up below it. */
export function NotificationSettings({ initial }: { initial: Preferences }) {
  const t = useT(notificationsText);
  const [prefs, setPrefs] = useState(initial);
  const [version, setVersion] = useState(0);
  // A channel set up or removed below changes what the matrix may offer: read the settings again.
  const reload = useCallback(async () => {
    setPrefs(await api.get<Preferences>('/v1/notifications/preferences'));
    setVersion((v) => v + 1);
  }, []);
  const save = useCallback(
    (change: PreferencesChange) => api.put<Preferences>('/v1/notifications/preferences', change),
    [],
  );
  return (
    <div className="fr-stack">
      <section className="fr-card">
        {prefs.contact.email ? (
          <p className="fr-small" style={{ marginBlockEnd: 12 }}>
            <span>{t('contact.email', { email: '' })}</span>
            <span className="fr-ltr">{prefs.contact.email}</span>
          </p>
        ) : null}
        {prefs.contact.email && !prefs.contact.email_verified ? (
          <Alert tone="warning">{t('contact.emailUnverified')}</Alert>
        ) : null}
        <PreferenceMatrix key={version} initial={prefs} save={save} />
      </section>
      {prefs.channels.push?.available ? <PushSection onChange={reload} /> : null}
      {prefs.channels.telegram?.available ? <TelegramSection onChange={reload} /> : null}
      {prefs.channels.sms?.available ? <PhoneSection contact={prefs.contact} onChange={reload} /> : null}
    </div>
  );
}
