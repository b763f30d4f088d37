import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** A real PNG of `width` x `height` (solid colour). */
export function png(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#1e90ff' } })
    .png()
    .toBuffer();
}

export const EXIF_SECRET = 'GPS 35.6892N 51.3890E owner Maryam';

/** A JPEG carrying EXIF (with a "private" copyright string) and orientation 6 (rotate 90°). */
export function jpegWithExif(width = 80, height = 40): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#ff8800' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge({ IFD0: { Copyright: EXIF_SECRET } })
    .toBuffer();
}

/** An animated GIF of `frames` frames of `size` x `size`. */
export async function animatedGif(frames = 3, size = 16): Promise<Buffer> {
  const colours = ['#ff0000', '#00ff00', '#0000ff', '#ffff00'];
  const pictures = await Promise.all(
    Array.from({ length: frames }, (_, i) =>
      sharp({
        create: { width: size, height: size, channels: 3, background: colours[i % colours.length] ?? '#000' },
      })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(pictures, { join: { animated: true } })
    .gif({ loop: 0 })
    .toBuffer();
}

export function webp(width = 40, height = 30): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: '#aa00aa80' } })
    .webp()
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/**
 * A "pixel flood": a valid PNG header claiming `width` x `height` pixels with a tiny compressed body,
 * which a naive decoder would try to allocate gigabytes for.
 */
export function pixelFloodPng(width = 30000, height = 30000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(4096))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The start of a Windows executable (MZ header with a PE signature), as an ".png" would hide it. */
export function windowsExe(): Buffer {
  const exe = Buffer.alloc(512);
  exe.write('MZ', 0, 'ascii');
  exe.writeUInt32LE(0x80, 0x3c);
  exe.write('PE\0\0', 0x80, 'binary');
  return exe;
}

/** An SVG with everything hostile the sanitiser must remove, and content it must keep. */
export const HOSTILE_SVG = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg [ <!ENTITY lol "lol"> <!ENTITY lol2 "&lol;&lol;&lol;&lol;"> ]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="60" viewBox="0 0 120 60" onload="alert('onload')">
  <script>alert('script')</script>
  <style>@import url(https://evil.example/steal.css);</style>
  <defs><linearGradient id="brand"><stop offset="0" stop-color="#e94560"/></linearGradient></defs>
  <rect id="card" width="120" height="60" fill="url(#brand)" onclick="alert('click')"/>
  <rect width="10" height="10" style="fill:url(https://evil.example/track.png)"/>
  <a href="javascript:alert('href')"><text x="4" y="30">نوروز مبارک &lol2;</text></a>
  <a xlink:href="https://evil.example/phish"><circle cx="100" cy="30" r="8"/></a>
  <image href="https://evil.example/pixel.png" width="1" height="1"/>
  <image href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==" width="4" height="4"/>
  <use href="#card" x="2"/>
  <use xlink:href="https://evil.example/sprite.svg#icon"/>
  <foreignObject width="50" height="20"><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
  <set attributeName="onmouseover" to="alert('set')"/>
  <animate attributeName="href" to="javascript:alert('animate')"/>
</svg>`;

export const CLEAN_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" width="100" height="50"><circle cx="25" cy="25" r="20" fill="#e94560"/></svg>`;

export function fontFile(name: 'ttf' | 'woff2' | 'woff'): Promise<Buffer> {
  const file = {
    ttf: 'vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf',
    woff2: '@fontsource/vazirmatn/files/vazirmatn-arabic-400-normal.woff2',
    woff: '@fontsource/vazirmatn/files/vazirmatn-arabic-400-normal.woff',
  }[name];
  return readFile(require.resolve(file));
}

export interface MediaSamples {
  mp4: string;
  webm: string;
  mp3: string;
  wav: string;
  ogg: string;
  /** An MP4 container holding only sound. */
  mp4AudioOnly: string;
}

/** Tiny real media files made with the system ffmpeg (1 s, 64x48 test pattern, 440 Hz tone). */
export async function makeMediaSamples(dir: string): Promise<MediaSamples> {
  await mkdir(dir, { recursive: true });
  const video = ['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:duration=1'];
  const tone = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1'];
  const out = (name: string) => path.join(dir, name);
  const ffmpeg = (args: string[]) => run('ffmpeg', ['-v', 'error', '-y', ...args]);
  await ffmpeg([
    ...video,
    ...tone,
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    out('clip.mp4'),
  ]);
  await ffmpeg([...video, ...tone, '-c:v', 'libvpx-vp9', '-c:a', 'libopus', '-shortest', out('clip.webm')]);
  await ffmpeg([...tone, '-c:a', 'libmp3lame', out('tone.mp3')]);
  await ffmpeg([...tone, '-c:a', 'pcm_s16le', out('tone.wav')]);
  await ffmpeg([...tone, '-c:a', 'libvorbis', out('tone.ogg')]);
  await ffmpeg([...tone, '-c:a', 'aac', '-f', 'mp4', out('tone-only.mp4')]);
  return {
    mp4: out('clip.mp4'),
    webm: out('clip.webm'),
    mp3: out('tone.mp3'),
    wav: out('tone.wav'),
    ogg: out('tone.ogg'),
    mp4AudioOnly: out('tone-only.mp4'),
  };
}
