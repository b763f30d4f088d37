import sharp from 'sharp';

export interface Pixels {
  width: number;
  height: number;
  data: Buffer;
}

/** RGB pixels of an image (alpha flattened over black, as a video frame would be). */
export async function rgbPixels(image: Buffer): Promise<Pixels> {
  const { data, info } = await sharp(image)
    .flatten({ background: '#000000' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

/** Mean absolute difference per channel, 0..255. */
export function meanDifference(a: Pixels, b: Pixels): number {
  if (a.width !== b.width || a.height !== b.height)
    throw new Error(`sizes differ: ${a.width}x${a.height} and ${b.width}x${b.height}`);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}
