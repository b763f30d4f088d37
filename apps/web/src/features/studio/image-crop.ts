/** A crop rectangle in source image pixels. */
export interface CropBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** "16:9", 1.5 or undefined -> width / height. */
export function ratioOf(hint: string | number | undefined): number | undefined {
  if (typeof hint === 'number') return hint > 0 ? hint : undefined;
  if (!hint) return undefined;
  const [w, h] = hint.split(':').map(Number);
  return w && h ? w / h : undefined;
}

/**
 * The crop of `ratio` covering `scale` (0..1] of the largest such box that fits the image, centred
 * on (cx, cy) in source pixels and kept inside the image.
 */
export function cropBox(
  imageWidth: number,
  imageHeight: number,
  ratio: number,
  scale: number,
  cx: number,
  cy: number,
): CropBox {
  const fitWidth = Math.min(imageWidth, imageHeight * ratio);
  const width = Math.max(1, Math.round(fitWidth * Math.min(1, Math.max(0.1, scale))));
  const height = Math.max(1, Math.round(width / ratio));
  const x = Math.round(Math.min(Math.max(0, cx - width / 2), imageWidth - width));
  const y = Math.round(Math.min(Math.max(0, cy - height / 2), imageHeight - height));
  return { x, y, width, height };
}

/** Largest side of an uploaded crop: bigger sources are scaled down to it. */
export const MAX_CROP_SIDE = 4096;

/** Draws the crop onto a canvas and encodes it (PNG keeps transparency, e.g. logos; JPEG otherwise). */
export function encodeCrop(
  image: CanvasImageSource,
  box: CropBox,
  type: 'image/png' | 'image/jpeg',
): Promise<Blob> {
  const shrink = Math.min(1, MAX_CROP_SIDE / Math.max(box.width, box.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(box.width * shrink));
  canvas.height = Math.max(1, Math.round(box.height * shrink));
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('no 2d canvas'));
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, box.x, box.y, box.width, box.height, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('encoding failed'))), type, 0.92),
  );
}
