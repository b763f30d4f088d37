import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { probeMedia } from '../encode/probe-media';
import { decodeRgbFrame, makeTempDir, rgbAt } from '../encode/test-kit';
import { verifyMedia } from '../encode/verify-media';
import { TINY_TEMPLATE_DOCUMENT } from '../pipeline/testing/tiny-template';
import { runRenderCommand } from './render.command';
import { runStillCommand } from './still.command';

describe('CLI commands', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let template: string;
  let stderr: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir('flatrender-cli-'));
    template = join(dir, 'tiny.json');
    await writeFile(template, JSON.stringify(TINY_TEMPLATE_DOCUMENT));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await cleanup();
  });

  it('render: --set values reach the frames, audio and format follow the template and --out', async () => {
    const out = join(dir, 'brand.mp4');
    const code = await runRenderCommand([
      template,
      '--set',
      'brand=#1a73e8',
      '--aspect',
      '16:9',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    await verifyMedia(out, { format: 'mp4', frameCount: 48, fps: 30, width: 320, height: 180, audio: true });
    const [r, g, b] = rgbAt(await decodeRgbFrame(out, 5), 320, 80, 90);
    expect(Math.abs(r - 0x1a) + Math.abs(g - 0x73) + Math.abs(b - 0xe8)).toBeLessThanOrEqual(9);
  });

  it('render: --range writes a video-only chunk; --duration and --scale apply', async () => {
    const chunk = join(dir, 'chunk.webm');
    expect(await runRenderCommand([template, '--range', '0:12', '--scale', '0.5', '--out', chunk])).toBe(0);
    const info = await probeMedia(chunk);
    expect(info.video).toMatchObject({ codec: 'vp9', width: 160, height: 90, frameCount: 12 });
    expect(info.audio).toBeNull();

    const longer = join(dir, 'longer.mp4');
    expect(
      await runRenderCommand([template, '--duration', 'two=1.2', '--format', 'mp4', '--out', longer]),
    ).toBe(0);
    expect((await probeMedia(longer)).video?.frameCount).toBe(60);
  });

  it('render: usage and validation errors exit non-zero with a message', async () => {
    stderr = '';
    expect(await runRenderCommand([template, '--set', 'nope=1'])).toBe(2);
    expect(stderr).toContain('the template has no field "nope"');
    stderr = '';
    expect(await runRenderCommand([template, '--format', 'avi'])).toBe(2);
    expect(stderr).toContain('--format must be one of mp4, webm, gif');
    stderr = '';
    expect(await runRenderCommand([template, '--set', 'brand=red', '--out', join(dir, 'x.mp4')])).toBe(1);
    expect(stderr).toMatch(/brand/);
    expect(await runRenderCommand([join(dir, 'missing.json')])).toBe(2);
    expect(await runRenderCommand(['--help'])).toBe(0);
  });

  it('still: renders the frame at --time in the format of --out', async () => {
    const out = join(dir, 'frame.png');
    expect(await runStillCommand([template, '--time', '0.4', '--set', 'brand=#00ff00', '--out', out])).toBe(
      0,
    );
    const image = await loadImage(out);
    const canvas = createCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0);
    expect([...ctx.getImageData(80, 90, 1, 1).data]).toEqual([0, 255, 0, 255]);

    const svg = join(dir, 'poster.svg');
    expect(await runStillCommand([template, '--time', '1.2', '--out', svg])).toBe(0);
    expect(
      (await import('node:fs/promises').then((fs) => fs.readFile(svg, 'utf8'))).startsWith('<?xml'),
    ).toBe(true);
  });
});
