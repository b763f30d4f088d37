'use client';

import { useState } from 'react';
import { Badge } from '@/components/ui/feedback';
import { useLocale, useT } from '@/i18n/client';
import { galleryText } from '@/i18n/dictionaries/gallery';
import { formatNumber } from '@/i18n/format';
import { proxied } from '@/lib/api/client';
import type { Aspect, TemplateVersion } from '@/lib/api/types';
import styles from './gallery.module.css';
import { pick } from './localized';
import { UseTemplateButton } from './use-template-button';

const KNOWN_TYPES = [
  'text',
  'color',
  'image',
  'font',
  'number',
  'list',
  'audio',
  'date',
  'boolean',
  'choice',
];

export function TemplateDetailView({ version }: { version: TemplateVersion }) {
  const t = useT(galleryText);
  const locale = useLocale();
  const [aspect, setAspect] = useState<Aspect>(version.aspects[0] ?? '16:9');
  const preview = version.previews.find((p) => p.aspect === aspect);
  const clip = preview?.clip.status === 'ready' ? proxied(preview.clip.url) : undefined;
  const poster = proxied(preview?.svg_url ?? preview?.thumbnail_url);
  const typeName = (type: string) => (KNOWN_TYPES.includes(type) ? t(`type.${type}` as 'type.text') : type);
  return (
    <div className={styles.detail}>
      <div>
        <div className={styles.stage}>
          {clip ? (
            <video
              src={clip}
              poster={poster}
              controls
              muted
              loop
              playsInline
              style={{ maxInlineSize: '100%' }}
            />
          ) : poster ? (
            // biome-ignore lint/performance/noImgElement: a signed SVG poster through our proxy.
            <img src={poster} alt={pick(version.title, locale)} data-testid="template-poster" />
          ) : (
            <span className="fr-muted">{t('previewPending')}</span>
          )}
        </div>
        <fieldset className={styles.aspectTabs}>
          <legend className="fr-visually-hidden">{t('aspects')}</legend>
          {version.aspects.map((a) => (
            <button
              key={a}
              type="button"
              className="fr-btn fr-btn-secondary fr-btn-sm"
              aria-pressed={a === aspect}
              onClick={() => setAspect(a)}
            >
              {t(`aspect.${a}`)}
            </button>
          ))}
        </fieldset>
        {version.description ? (
          <p style={{ marginBlockStart: 'var(--space-4)' }}>{pick(version.description, locale)}</p>
        ) : null}
      </div>
      <div className={`fr-stack ${styles.sticky}`}>
        <div className="fr-card fr-stack">
          <div className="fr-row">
            <Badge tone="brand">{version.mode === 'flexible' ? t('flexible') : t('fixed')}</Badge>
            <Badge>{t('seconds', { n: Math.round(version.duration_seconds) })}</Badge>
            <Badge>{t('version', { n: version.version })}</Badge>
          </div>
          <UseTemplateButton
            templateId={version.template_id}
            aspects={version.aspects}
            initialAspect={aspect}
            onAspectChange={setAspect}
          />
        </div>
        <div className="fr-card">
          <h2 className="fr-card-title">{t('editableFields')}</h2>
          <ul className={styles.list}>
            {version.fields.map((field) => (
              <li key={field.path}>
                <span>{pick(field.label, locale) || field.path}</span>
                <span className="fr-muted fr-small">{typeName(field.type)}</span>
              </li>
            ))}
          </ul>
        </div>
        <div className="fr-card">
          <h2 className="fr-card-title">{t('scenes')}</h2>
          <ul className={styles.list}>
            {version.scenes.map((scene, i) => (
              <li key={scene.id}>
                <span>
                  {formatNumber(i + 1, locale)}. {pick(scene.title, locale) || scene.block}
                </span>
                <span className="fr-muted fr-small">{t('seconds', { n: scene.duration.default })}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
