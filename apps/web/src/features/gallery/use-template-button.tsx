'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { galleryText } from '@/i18n/dictionaries/gallery';
import { api } from '@/lib/api/client';
import type { Aspect, Project } from '@/lib/api/types';

/** "Use this template": creates a project on the current version and opens it in the studio. */
export function UseTemplateButton({
  templateId,
  aspects,
  initialAspect,
  onAspectChange,
}: {
  templateId: string;
  aspects: Aspect[];
  initialAspect: Aspect;
  onAspectChange?: (aspect: Aspect) => void;
}) {
  const t = useT(galleryText);
  const locale = useLocale();
  const router = useRouter();
  const [aspect, setAspect] = useState<Aspect>(initialAspect);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <div className="fr-stack">
      {aspects.length > 1 ? (
        <SelectField
          label={t('chooseAspect')}
          value={aspect}
          onChange={(event) => {
            const next = event.target.value as Aspect;
            setAspect(next);
            onAspectChange?.(next);
          }}
          options={aspects.map((a) => ({ value: a, label: t(`aspect.${a}`) }))}
        />
      ) : null}
      <FormError error={error} />
      <Button
        variant="primary"
        size="lg"
        block
        busy={busy}
        data-testid="use-template"
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const project = await api.post<Project>('/v1/projects', {
              template_id: templateId,
              aspect,
              locale,
            });
            router.push(`/studio/${project.id}`);
          } catch (e) {
            setError(e);
            setBusy(false);
          }
        }}
      >
        {busy ? t('creating') : t('useTemplate')}
      </Button>
    </div>
  );
}
