import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { ImageLimits, ImageVariant } from './image.processor';

const run = promisify(execFile);

/**
 * A WebP thumbnail of the frame at `atSeconds`, grabbed with the system ffmpeg (killed after the
 * timeout). Null when no frame could be decoded: the video is still accepted, just without a picture.
 */
export async function videoThumbnail(
  ffmpeg: string,
  input: string,
  dir: string,
  atSeconds: number,
  limits: ImageLimits,
  timeoutMs: number,
): Promise<ImageVariant | null> {
  const frame = path.join(dir, 'frame.png');
  try {
    await run(
      ffmpeg,
      [
        '-v',
        'error',
        '-nostdin',
        '-ss',
        atSeconds.toFixed(3),
        '-i',
        input,
        '-frames:v',
        '1',
        '-an',
        '-sn',
        '-y',
        frame,
      ],
      { timeout: timeoutMs, killSignal: 'SIGKILL' },
    );
    const out = path.join(dir, 'thumbnail.webp');
    const info = await sharp(frame, { limitInputPixels: limits.maxPixels })
      .resize(limits.thumbnailPx, limits.thumbnailPx, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toFile(out);
    return {
      name: 'thumbnail',
      path: out,
      mime: 'image/webp',
      width: info.width,
      height: info.height,
      size: info.size,
    };
  } catch {
    return null;
  }
}
