import { existsSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadImage } from '@napi-rs/canvas';
import type { AssetLoader } from '../assets/asset-loader';
import type { Drawable } from '../render/canvas.types';

/** Engine assets (demo images, logos) live in packages/engine/assets and are named "builtin:<path>". */
export const BUILTIN_PREFIX = 'builtin:';
export const BUILTIN_ASSET_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets');

export function builtinAssetPath(ref: string): string | undefined {
  if (!ref.startsWith(BUILTIN_PREFIX)) return undefined;
  const path = normalize(join(BUILTIN_ASSET_DIR, ref.slice(BUILTIN_PREFIX.length)));
  // No escaping the asset directory with "..".
  if (!path.startsWith(BUILTIN_ASSET_DIR + sep)) return undefined;
  return existsSync(path) ? path : undefined;
}

export type RefResolver = (ref: string) => string | Buffer | undefined | Promise<string | Buffer | undefined>;

/**
 * Loads images with Skia (PNG, JPEG, WebP, GIF, SVG). `builtin:` references resolve to engine
 * assets; everything else goes to `resolveRef` (a path or the bytes). Each reference is decoded once.
 */
export function nodeAssetLoader(resolveRef: RefResolver = () => undefined): AssetLoader {
  const cache = new Map<string, Promise<Drawable>>();
  return {
    loadImage(ref) {
      let image = cache.get(ref);
      if (!image) {
        image = (async () => {
          const source = builtinAssetPath(ref) ?? (await resolveRef(ref));
          if (source === undefined) throw new Error(`asset "${ref}" not found`);
          return (await loadImage(source)) as unknown as Drawable;
        })();
        cache.set(ref, image);
        image.catch(() => cache.delete(ref));
      }
      return image;
    },
  };
}
