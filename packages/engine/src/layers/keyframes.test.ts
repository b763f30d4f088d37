import { describe, expect, it } from 'vitest';
import type { Palette } from '../template/template.schema';
import { colorAt, keyTime, numberAt } from './keyframes';

const palette: Palette = {
  background: '#000000',
  surface: '#111111',
  primary: '#ff0000',
  accent: '#0000ff',
  text: '#ffffff',
  muted: '#888888',
};
const noField = () => '#00ff00';

describe('keyframes', () => {
  it('holds before the first and after the last keyframe, eases in between', () => {
    const anim = {
      keyframes: [
        { t: 1, value: 10, easing: 'linear' },
        { t: 3, value: 30, easing: 'cubic-in' },
        { t: 5, value: 0 },
      ],
    };
    expect(numberAt(anim, 0, 6)).toBe(10);
    expect(numberAt(anim, 2, 6)).toBe(20);
    expect(numberAt(anim, 4, 6)).toBeCloseTo(30 - 30 * 0.125, 9);
    expect(numberAt(anim, 5.5, 6)).toBe(0);
    expect(numberAt(7, 3, 6)).toBe(7);
  });

  it('counts negative times back from the scene end, so edits of the duration keep exits at the end', () => {
    expect(keyTime(-0.5, 4)).toBe(3.5);
    const fadeOut = {
      keyframes: [
        { t: -1, value: 1 },
        { t: -0.01, value: 0 },
      ],
    };
    expect(numberAt(fadeOut, 2.5, 4)).toBe(1);
    expect(numberAt(fadeOut, 2.5, 3)).toBeCloseTo(1 - 0.5 / 0.99, 9);
  });

  it('animates colours through the palette and bindings', () => {
    expect(colorAt('@primary', 0, 2, palette, noField)).toBe('rgba(255,0,0,1)');
    expect(colorAt({ field: 'brand' }, 0, 2, palette, noField)).toBe('rgba(0,255,0,1)');
    const anim = {
      keyframes: [
        { t: 0, value: '@primary' },
        { t: 2, value: '#ffffff80' },
      ],
    };
    expect(colorAt(anim, 0, 2, palette, noField)).toBe('rgba(255,0,0,1)');
    expect(colorAt(anim, 2, 2, palette, noField)).toBe('rgba(255,255,255,0.502)');
    // Halfway in OKLab: lighter than the sRGB average and half transparent.
    const mid = colorAt(anim, 1, 2, palette, noField);
    expect(mid).toMatch(/^rgba\(255,\d+,\d+,0\.751\)$/);
  });
});
