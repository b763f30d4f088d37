import type { Drawable } from '../render/canvas.types';

/**
 * Loads the images a composition uses. The render node resolves references to cached files
 * (node/assets.node.ts); the studio loads them from signed URLs. Throwing means "missing".
 */
export interface AssetLoader {
  loadImage(ref: string): Promise<Drawable>;
}

/** An AssetLoader over images already in memory (tests, procedurally made assets). */
export function memoryAssetLoader(images: Record<string, Drawable> | Map<string, Drawable>): AssetLoader {
  const map = images instanceof Map ? images : new Map(Object.entries(images));
  return {
    async loadImage(ref) {
      const image = map.get(ref);
      if (!image) throw new Error(`no asset "${ref}"`);
      return image;
    },
  };
}
