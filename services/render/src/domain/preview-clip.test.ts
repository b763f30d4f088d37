import { scaledSize } from '@flatrender/engine/node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PREVIEW_CLIP_LONG_SIDE, previewClipFrames, previewClipSize } from './preview-clip';

describe('preview clip size', () => {
  it('scales every aspect so the longer side is 480 px', () => {
    expect(previewClipSize({ width: 1920, height: 1080 })).toMatchObject({ width: 480, height: 270 });
    expect(previewClipSize({ width: 1080, height: 1920 })).toMatchObject({ width: 270, height: 480 });
    expect(previewClipSize({ width: 1080, height: 1080 })).toMatchObject({ width: 480, height: 480 });
    expect(previewClipSize({ width: 1080, height: 1350 })).toMatchObject({ width: 384, height: 480 });
  });

  it('never enlarges a template smaller than a clip', () => {
    expect(previewClipSize({ width: 320, height: 180 })).toEqual({ width: 320, height: 180, scale: 1 });
  });

  it('is the size a node drawing at width / native width produces, even and within bounds', () => {
    const ratios = [16 / 9, 9 / 16, 1, 4 / 5];
    fc.assert(
      fc.property(fc.integer({ min: 64, max: 4096 }), fc.constantFrom(...ratios), (w, ratio) => {
        const h = Math.round(w / ratio);
        const clip = previewClipSize({ width: w, height: h });
        expect(scaledSize(w, h, clip.width / w)).toEqual({ width: clip.width, height: clip.height });
        expect(clip.width % 2).toBe(0);
        expect(clip.height % 2).toBe(0);
        expect(Math.max(clip.width, clip.height)).toBeLessThanOrEqual(PREVIEW_CLIP_LONG_SIDE + 1);
      }),
    );
  });
});

describe('preview clip frames', () => {
  it('takes the first four seconds, or the whole of a shorter template', () => {
    expect(previewClipFrames(300, 30)).toBe(120);
    expect(previewClipFrames(54, 12)).toBe(48);
    expect(previewClipFrames(30, 12)).toBe(30);
  });
});
