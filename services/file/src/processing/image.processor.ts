import path from 'node:path';
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';

export interface ImageLimits {
  /** Most pixels of one frame. */
  maxPixels: number;
  /** Most pixels of all frames together (animated GIF and WebP). */
  maxAnimationPixels: number;
  /** Longest side of the thumbnail. */
  thumbnailPx: number;
}

export interface ImageVariant {
  name: 'thumbnail';
  path: string;
  mime: string;
  width: number;
  height: number;
  size: number;
}

export interface ProcessedImage {
  /** The stored image: re-encoded from the decoded pixels, so EXIF, XMP, comments and trailing bytes are gone. */
  path: string;
  width: number;
  height: number;
  frames: number;
  thumbnail: ImageVariant;
}

export type ImageProblem = 'too_many_pixels' | 'corrupt';

export class ImageRejectedError extends Error {
  constructor(
    readonly problem: ImageProblem,
    message: string,
  ) {
    super(message);
  }
}

const OUTPUT: Record<string, { ext: string; encode: (image: Sharp) => Sharp }> = {
  png: { ext: 'png', encode: (image) => image.png({ compressionLevel: 9 }) },
  jpg: { ext: 'jpg', encode: (image) => image.jpeg({ quality: 90, mozjpeg: true }) },
  webp: { ext: 'webp', encode: (image) => image.webp({ quality: 90 }) },
  gif: { ext: 'gif', encode: (image) => image.gif() },
};

interface Dimensions {
  width: number;
  frameHeight: number;
  frames: number;
}

/**
 * Reads only the header (no pixels are decoded), so a 30000x30000 "pixel flood" is measured before
 * anything is allocated for it.
 */
async function measure(input: string | Buffer, options: SharpOptions = {}): Promise<Dimensions> {
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false, animated: true, ...options }).metadata();
  } catch (error) {
    throw new ImageRejectedError('corrupt', `the image cannot be read: ${(error as Error).message}`);
  }
  if (!meta.width || !meta.height) throw new ImageRejectedError('corrupt', 'the image has no dimensions');
  const frames = meta.pages ?? 1;
  return { width: meta.width, frameHeight: meta.pageHeight ?? meta.height, frames };
}

function checkPixels(d: Dimensions, limits: ImageLimits): void {
  const pixels = d.width * d.frameHeight;
  if (pixels > limits.maxPixels) {
    throw new ImageRejectedError(
      'too_many_pixels',
      `the image is ${d.width}x${d.frameHeight} pixels (${pixels}); at most ${limits.maxPixels} are allowed`,
    );
  }
  if (pixels * d.frames > limits.maxAnimationPixels) {
    throw new ImageRejectedError(
      'too_many_pixels',
      `the animation has ${d.frames} frames of ${d.width}x${d.frameHeight} pixels; at most ${limits.maxAnimationPixels} pixels in all are allowed`,
    );
  }
}

async function thumbnail(
  input: string | Buffer,
  out: string,
  limits: ImageLimits,
  options: SharpOptions = {},
) {
  const info = await sharp(input, { limitInputPixels: limits.maxPixels, ...options })
    .resize(limits.thumbnailPx, limits.thumbnailPx, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toFile(out);
  return {
    name: 'thumbnail' as const,
    path: out,
    mime: 'image/webp',
    width: info.width,
    height: info.height,
    size: info.size,
  };
}

/**
 * Checks the pixel count, then decodes (under the same limit, so a lying header cannot get past it) and
 * re-encodes the image in its own format, oriented as its EXIF said and with all metadata dropped,
 * and makes a WebP thumbnail.
 */
export async function processImage(
  input: string,
  ext: string,
  dir: string,
  limits: ImageLimits,
): Promise<ProcessedImage> {
  const output = OUTPUT[ext];
  if (!output) throw new Error(`processImage: no encoder for ${ext}`);
  const dims = await measure(input);
  checkPixels(dims, limits);
  const animated = dims.frames > 1;
  const stored = path.join(dir, `stored.${output.ext}`);
  try {
    let image = sharp(input, { limitInputPixels: limits.maxPixels, animated, failOn: 'error' });
    // Orientation is applied to the pixels before EXIF goes; animations carry no EXIF orientation.
    if (!animated) image = image.autoOrient();
    const info = await output.encode(image).toFile(stored);
    const frameHeight = animated ? Math.round(info.height / dims.frames) : info.height;
    return {
      path: stored,
      width: info.width,
      height: frameHeight,
      frames: dims.frames,
      thumbnail: await thumbnail(stored, path.join(dir, 'thumbnail.webp'), limits),
    };
  } catch (error) {
    if (error instanceof ImageRejectedError) throw error;
    throw new ImageRejectedError('corrupt', `the image cannot be decoded: ${(error as Error).message}`);
  }
}

export interface SvgRaster {
  width: number;
  height: number;
  thumbnail: ImageVariant;
}

/**
 * Intrinsic size of a (sanitised) SVG and a WebP thumbnail rasterised at a density that makes its long
 * side about the thumbnail size, whatever size the document declares.
 */
export async function rasterizeSvg(svg: Buffer, dir: string, limits: ImageLimits): Promise<SvgRaster> {
  const dims = await measure(svg);
  const longest = Math.max(dims.width, dims.frameHeight);
  const density = Math.min(100_000, Math.max(1, (72 * limits.thumbnailPx) / longest));
  try {
    return {
      width: dims.width,
      height: dims.frameHeight,
      thumbnail: await thumbnail(svg, path.join(dir, 'thumbnail.webp'), limits, { density }),
    };
  } catch (error) {
    throw new ImageRejectedError('corrupt', `the SVG cannot be drawn: ${(error as Error).message}`);
  }
}
