import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { differingPixels, matches } from './golden';

const square = (color: string, patch?: { size: number; color: string }) => {
  const c = createCanvas(100, 100);
  const ctx = c.getContext('2d');
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, 100, 100);
  if (patch) {
    ctx.fillStyle = patch.color;
    ctx.fillRect(0, 0, patch.size, patch.size);
  }
  return c;
};

describe('golden comparison', () => {
  it('tolerates small channel drift and a few stray pixels, and fails on real changes', () => {
    const reference = square('#336699');
    // A few levels off everywhere, within the channel tolerance.
    expect(differingPixels(square('#38689c'), reference)).toBe(0);
    expect(matches(square('#38689c'), reference)).toBe(true);
    // 25 changed pixels of 10,000 are within the 0.3 % allowance; 36 are not.
    expect(matches(square('#336699', { size: 5, color: '#ff0000' }), reference)).toBe(true);
    expect(differingPixels(square('#336699', { size: 6, color: '#ff0000' }), reference)).toBe(36);
    expect(matches(square('#336699', { size: 6, color: '#ff0000' }), reference)).toBe(false);
    // A colour change beyond the tolerance changes every pixel.
    expect(matches(square('#3366cc'), reference)).toBe(false);
  });
});
