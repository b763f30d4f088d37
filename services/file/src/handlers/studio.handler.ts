import type { EventHandlers } from '@flatrender/platform';
import type { FileRepository } from '../file.repository';

/**
 * A saved project lists the uploads its values use; such files are no longer orphans, so retention
 * never removes them as unreferenced (the owner may still delete them).
 */
export function studioHandlers(files: FileRepository): Pick<EventHandlers, 'studio.project.saved.v1'> {
  return {
    'studio.project.saved.v1': async (envelope, { tx }) => {
      if (!tx) throw new Error('file service handlers run in the inbox transaction');
      await files.markReferenced(
        tx,
        envelope.tenant_id,
        envelope.data.file_ids,
        new Date(envelope.data.saved_at),
      );
    },
  };
}
