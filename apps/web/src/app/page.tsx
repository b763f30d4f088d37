import { LinkButton } from '@/components/ui/button';
import { homeText } from '@/i18n/dictionaries/home';
import { getT } from '@/i18n/server';
import { getSession } from '@/lib/server/api';
import styles from './home.module.css';

export default async function HomePage() {
  const t = await getT(homeText);
  const session = await getSession();
  return (
    <>
      <section className={styles.hero}>
        <div className={`fr-container ${styles.heroInner}`}>
          <div>
            <h1 className={styles.title}>{t('heroTitle')}</h1>
            <p className={styles.lead}>{t('heroLead')}</p>
            <div className="fr-row">
              {session ? (
                <LinkButton href="/templates" variant="primary" size="lg">
                  {t('browse')}
                </LinkButton>
              ) : (
                <>
                  <LinkButton href="/register" variant="primary" size="lg">
                    {t('start')}
                  </LinkButton>
                  <LinkButton href="/login?next=/templates" size="lg">
                    {t('browse')}
                  </LinkButton>
                </>
              )}
            </div>
          </div>
          <div className={styles.visual} aria-hidden="true" />
        </div>
      </section>
      <section className={`fr-container ${styles.features}`}>
        {(['f1', 'f2', 'f3'] as const).map((f, i) => (
          <div key={f} className="fr-card">
            <div className={styles.featureIcon} aria-hidden="true">
              {['▶', '⇆', '▢'][i]}
            </div>
            <h3>{t(`${f}Title`)}</h3>
            <p className="fr-muted" style={{ margin: 0 }}>
              {t(`${f}Body`)}
            </p>
          </div>
        ))}
      </section>
    </>
  );
}
