import { type AssetLoader, type Drawable, fontAlias, type SurfaceFactory } from '@flatrender/engine';
import { apiPath } from '@/lib/api/client';
import type { FontFaceView } from '@/lib/api/types';

/*
 * What the engine needs in the browser: the very font files render nodes draw with (the content
 * service's installed faces, registered under the engine's alias "Family weight"), images of the
 * project (engine assets and uploads), and canvases.
 */

const loadedFonts = new Map<string, Promise<void>>();

/** The URL of a face's file, through the same-origin proxy. */
export function fontFileUrl(face: FontFaceView): string {
  try {
    const url = new URL(face.url);
    return apiPath(url.pathname) + url.search;
  } catch {
    return apiPath(`/v1/fonts/${face.id}/file`);
  }
}

/**
 * Registers the faces `wanted` (family + weight) with the document under the engine's aliases and
 * waits until they are usable by canvases. A face no installed font provides is reported back.
 */
export async function ensureFonts(
  wanted: ReadonlyArray<{ family: string; weight: number }>,
  installed: readonly FontFaceView[],
): Promise<{ missing: string[] }> {
  const missing: string[] = [];
  const loads: Promise<void>[] = [];
  for (const { family, weight } of wanted) {
    const alias = fontAlias(family, weight);
    let load = loadedFonts.get(alias);
    if (!load) {
      const face = installed.find((f) => f.family === family && f.weight === weight && f.style === 'normal');
      if (!face) {
        missing.push(alias);
        continue;
      }
      const fontFace = new FontFace(alias, `url(${fontFileUrl(face)})`);
      load = fontFace.load().then((loaded) => {
        document.fonts.add(loaded);
      });
      load.catch(() => loadedFonts.delete(alias));
      loadedFonts.set(alias, load);
    }
    loads.push(load);
  }
  await Promise.all(loads);
  return { missing };
}

/** Where an image reference of a template or project is loaded from. */
export function assetUrl(ref: string): string | undefined {
  if (ref.startsWith('builtin:')) return `/builtin-assets/${ref.slice('builtin:'.length)}`;
  if (ref.startsWith('file:')) return apiPath(`/v1/files/${ref.slice('file:'.length)}/download`);
  return undefined;
}

function loadImageElement(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.decoding = 'async';
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error(`image ${url} did not load`));
    image.src = url;
  });
}

/** Images decoded once per reference for the whole studio session. */
export function browserAssetLoader(): AssetLoader {
  const cache = new Map<string, Promise<Drawable>>();
  return {
    loadImage(ref) {
      let image = cache.get(ref);
      if (!image) {
        const url = assetUrl(ref);
        image = url ? loadImageElement(url) : Promise.reject(new Error(`unknown asset "${ref}"`));
        cache.set(ref, image);
        image.catch(() => cache.delete(ref));
      }
      return image;
    },
  };
}

/** Offscreen surfaces as document canvases: they see the document's fonts like the visible one. */
export const documentSurfaces: SurfaceFactory = (width, height) => {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
};
