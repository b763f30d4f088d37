import { PLATFORM_TENANT_ID } from '@flatrender/contracts';
import type { EventHandlers, Tx } from '@flatrender/platform';
import type { CatalogRepository } from '../catalog.repository';
import type { RenderDb, RenderTx } from '../render.db';

const AFTER_COMMIT_MS = 250;

function inboxTx(tx: Tx | undefined): RenderTx {
  if (!tx) throw new Error('render handlers run in the inbox transaction');
  return tx as unknown as Tx<RenderDb>;
}

/**
 * Template versions and fonts as content publishes them: what render may accept jobs of. A published
 * version also wants its gallery preview clips: `published` starts a preview sweep (it asks content
 * itself, so it runs after this transaction rather than in it).
 */
export function contentHandlers(
  catalog: CatalogRepository,
  published: () => void = () => {},
): Pick<
  EventHandlers,
  'content.template.published.v1' | 'content.template.unpublished.v1' | 'content.font.installed.v1'
> {
  return {
    'content.template.published.v1': async (envelope, { tx }) => {
      const d = envelope.data;
      await catalog.recordVersion(inboxTx(tx), {
        template_id: d.template_id,
        version: d.version,
        tenant_id: d.visibility === 'tenant' ? envelope.tenant_id : null,
        slug: d.slug,
        engine: d.engine,
        fps: d.fps,
        aspects: d.aspects,
        document_key: d.document_key,
        content_hash: d.content_hash,
        fonts: d.fonts,
        assets: d.assets,
        published_at: d.published_at,
      });
      // The sweep reads the version recorded here: a moment's delay lets this transaction commit
      // first (were it still open, the sweep would only ask content for the version again).
      setTimeout(published, AFTER_COMMIT_MS).unref();
    },
    'content.template.unpublished.v1': async (envelope, { tx }) => {
      const d = envelope.data;
      await catalog.withdraw(inboxTx(tx), d.template_id, d.versions, d.unpublished_at);
    },
    'content.font.installed.v1': async (envelope, { tx }) => {
      const d = envelope.data;
      await catalog.recordFont(inboxTx(tx), {
        font_id: d.font_id,
        tenant_id:
          d.visibility === 'tenant' && envelope.tenant_id !== PLATFORM_TENANT_ID ? envelope.tenant_id : null,
        installed_at: d.installed_at,
        ...d.font,
      });
    },
  };
}
