'use client';

import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert, Badge, EmptyState, ProgressBar } from '@/components/ui/feedback';
import { FormError } from '@/components/ui/form-error';
import styles from '@/features/account/account.module.css';
import { useLocale, useT } from '@/i18n/client';
import { adminText } from '@/i18n/dictionaries/admin';
import { formatBytes, formatNumber } from '@/i18n/format';
import { proxied, uploadMultipart } from '@/lib/api/client';
import type { FontFaceView } from '@/lib/api/types';

interface Coverage {
  arabic: boolean;
  persian: boolean;
  persian_digits: boolean;
  latin: boolean;
  missing_persian: string[];
}

/** A line of Persian and Latin set in the face itself, loaded from the platform's font file. */
function Sample({ face }: { face: FontFaceView }) {
  const t = useT(adminText);
  const [family, setFamily] = useState<string | null>(null);
  useEffect(() => {
    const url = proxied(face.url);
    if (!url || typeof FontFace === 'undefined') return;
    const name = `fr-admin-${face.id}`;
    const loaded = new FontFace(name, `url(${url})`, { weight: String(face.weight), style: face.style });
    loaded
      .load()
      .then((f) => {
        document.fonts.add(f);
        setFamily(name);
      })
      .catch(() => setFamily(null));
  }, [face]);
  return (
    <span
      className={styles.fontSample}
      style={family ? { fontFamily: family, fontWeight: face.weight, fontStyle: face.style } : undefined}
    >
      {t('fonts.sampleText')}
    </span>
  );
}

/** The platform's fonts with what they cover, and installing a new face. */
export function FontsAdmin({ initial }: { initial: FontFaceView[] }) {
  const t = useT(adminText);
  const locale = useLocale();
  const [fonts, setFonts] = useState(initial);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const upload = async (file: File) => {
    setError(null);
    setNotice(null);
    setProgress(0);
    try {
      const face = await uploadMultipart<FontFaceView>('/v1/admin/fonts', file, file.name, {
        onProgress: setProgress,
      });
      setFonts((list) => [face, ...list.filter((f) => f.id !== face.id)]);
      setNotice(t('fonts.installed', { family: face.family, weight: formatNumber(face.weight, locale) }));
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div className="fr-stack">
      <div className="fr-row">
        <input
          ref={input}
          type="file"
          accept=".ttf,.otf,.woff2,font/ttf,font/otf,font/woff2"
          hidden
          data-testid="font-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void upload(file);
          }}
        />
        <Button variant="primary" onClick={() => input.current?.click()} busy={progress !== null}>
          {t('fonts.upload')}
        </Button>
        <span className="fr-small fr-muted">{t('fonts.uploadHint')}</span>
      </div>
      {progress !== null ? <ProgressBar value={progress} label={t('fonts.upload')} /> : null}
      <FormError error={error} />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {fonts.length === 0 ? (
        <EmptyState title={t('none')} />
      ) : (
        <div className={`fr-card ${styles.tableWrap}`} style={{ paddingBlock: 0 }}>
          <table className="fr-table" data-testid="fonts-table">
            <thead>
              <tr>
                <th>{t('fonts.family')}</th>
                <th>{t('fonts.weight')}</th>
                <th>{t('fonts.coverage')}</th>
                <th>{t('fonts.sample')}</th>
              </tr>
            </thead>
            <tbody>
              {fonts.map((face) => {
                const coverage = face.coverage as unknown as Coverage;
                return (
                  <tr key={face.id} data-family={face.family}>
                    <td>
                      <strong className="fr-ltr">{face.family}</strong>
                      <div className="fr-small fr-muted">
                        {face.format.toUpperCase()} · {formatBytes(face.size_bytes, locale)} ·{' '}
                        {face.visibility}
                        {face.style === 'italic' ? ' · italic' : ''}
                      </div>
                    </td>
                    <td>{formatNumber(face.weight, locale, { useGrouping: false })}</td>
                    <td>
                      <div className="fr-row" style={{ gap: 4 }}>
                        <Badge tone={coverage.persian ? 'success' : 'danger'}>{t('fonts.persian')}</Badge>
                        <Badge tone={coverage.persian_digits ? 'success' : 'warning'}>
                          {t('fonts.persianDigits')}
                        </Badge>
                        <Badge tone={coverage.arabic ? 'success' : 'neutral'}>{t('fonts.arabic')}</Badge>
                        <Badge tone={coverage.latin ? 'success' : 'neutral'}>{t('fonts.latin')}</Badge>
                      </div>
                      {coverage.missing_persian.length > 0 ? (
                        <div className="fr-small fr-muted">
                          {t('fonts.missing', { list: coverage.missing_persian.join(' ') })}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      <Sample face={face} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
