import type { EventHandlers } from '@flatrender/platform';
import type { StudioTx } from '../studio.db';
import type { TemplateVersionRepository } from '../template-version.repository';

/**
 * Studio's copy of the template versions it may pin: recorded from content's events in the inbox
 * transaction (system scope), so a redelivered event changes nothing.
 */
export function templateEventHandlers(versions: TemplateVersionRepository): EventHandlers {
  return {
    'content.template.published.v1': async (envelope, { tx }) => {
      const d = envelope.data;
      await versions.record(tx as StudioTx, {
        template_id: d.template_id,
        version: d.version,
        // A private version belongs to the tenant that published it: the event's tenant.
        tenant_id: d.visibility === 'tenant' ? envelope.tenant_id : null,
        slug: d.slug,
        title: d.title,
        engine: d.engine,
        mode: d.mode,
        aspects: d.aspects,
        document_key: d.document_key,
        content_hash: d.content_hash,
        fonts: d.fonts,
        published_at: d.published_at,
      });
    },
    'content.template.unpublished.v1': async (envelope, { tx }) => {
      const d = envelope.data;
      await versions.withdraw(tx as StudioTx, d.template_id, d.versions, d.unpublished_at);
    },
  };
}
