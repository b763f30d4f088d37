import type { Account, DrillPlatform } from './platform';

/**
 * A small template the drills publish through the content API: two short scenes at 320×180 and 12 fps,
 * quick to render so that 50 jobs fit the drill's time budget on a small machine.
 */
export function drillTemplate(slug: string): Record<string, unknown> {
  return {
    id: slug,
    engine: 1,
    mode: 'fixed',
    fps: 12,
    title: { fa: 'تمرین', en: 'Drill' },
    aspects: { '16:9': [320, 180] },
    fonts: { display: 'Vazirmatn:800', body: 'Vazirmatn:400' },
    palette: {
      background: '#0f1222',
      surface: '#1c2038',
      primary: { field: 'brand' },
      accent: '#ffb547',
      text: '#ffffff',
      muted: '#9aa3c0',
    },
    fields: { brand: { type: 'color', default: '#e94560' } },
    scenes: [
      {
        id: 'intro',
        block: 'title-card',
        duration: { default: 2, min: 2, max: 10 },
        fields: { title: { type: 'text', maxLength: 40, default: { fa: 'سلام', en: 'Hello' } } },
        props: { title: { field: 'intro.title' } },
      },
      {
        id: 'end',
        block: 'outro',
        duration: { default: 2.5, min: 2.5, max: 10 },
        fields: { headline: { type: 'text', maxLength: 30, default: { fa: 'ممنون', en: 'Thanks' } } },
        props: { headline: { field: 'end.headline' } },
      },
    ],
    transition: { type: 'none', duration: 0 },
  };
}

/** Creates and publishes the drill template in the account's tenant; returns its id. */
export async function publishDrillTemplate(
  platform: DrillPlatform,
  account: Account,
  slug: string,
): Promise<string> {
  const draft = await platform.api<{ id: string }>(
    'POST',
    '/v1/templates',
    { document: drillTemplate(slug) },
    account.token,
  );
  if (draft.status !== 201)
    throw new Error(`template draft: ${draft.status} ${JSON.stringify(draft.body).slice(0, 800)}`);
  const published = await platform.api<{ template_id: string }>(
    'POST',
    `/v1/templates/${draft.body.id}/publish`,
    {},
    account.token,
  );
  if (published.status !== 201)
    throw new Error(`template publish: ${published.status} ${JSON.stringify(published.body).slice(0, 800)}`);
  return published.body.template_id;
}
