import { readFile } from 'node:fs/promises';
import type { MessageData } from '@flatrender/contracts';
import { parseTemplate, type Template } from '@flatrender/engine';
import type { ContentCache } from './content-cache';

export type TemplateSourceRef = MessageData<'render.queue.snapshot'>['template'];

/**
 * Parsed templates by content hash. The same hash always yields the same Template object, which is
 * what keeps a snapshot warm: the engine caches prepared compositions per Template object, so a
 * repeated still of a template only draws and encodes. Published versions never change, so an entry
 * is never stale; the least recently used ones beyond `capacity` are dropped.
 */
export class TemplateStore {
  private readonly parsed = new Map<string, Promise<Template>>();

  constructor(
    private readonly cache: ContentCache,
    private readonly capacity = 64,
  ) {}

  get(ref: TemplateSourceRef): Promise<Template> {
    const key = ref.content_hash;
    let found = this.parsed.get(key);
    if (found) {
      this.parsed.delete(key);
      this.parsed.set(key, found);
      return found;
    }
    found = this.load(ref);
    this.parsed.set(key, found);
    found.catch(() => this.parsed.delete(key));
    while (this.parsed.size > this.capacity) this.parsed.delete(this.parsed.keys().next().value as string);
    return found;
  }

  private async load(ref: TemplateSourceRef): Promise<Template> {
    if (ref.source.type === 'inline') return parseTemplate(ref.source.document);
    const hold = await this.cache.acquire([
      { kind: 'template', contentHash: ref.content_hash, blobKey: ref.source.blob_key },
    ]);
    try {
      const text = await readFile(hold.pathOf(ref.content_hash), 'utf8');
      return parseTemplate(JSON.parse(text));
    } finally {
      hold.release();
    }
  }
}
