import { describe, expect, it } from 'vitest';
import { type CacheKeyInput, canonicalJson, renderCacheKey } from './cache-key';

const base: CacheKeyInput = {
  templateHash: 'a'.repeat(64),
  engine: 1,
  locale: 'fa',
  aspect: '16:9',
  values: { brand: '#ff0000', 'intro.title': 'سلام' },
  scenes: [{ id: 'intro', block: 'title-card', duration_seconds: 3 }],
  contentHashes: ['b'.repeat(64), 'c'.repeat(64)],
  output: { format: 'mp4', width: 1280, height: 720, fps: 30, quality: 'standard' },
  watermark: false,
};

describe('renderCacheKey', () => {
  it('ignores key order and the order of content hashes', () => {
    const reordered: CacheKeyInput = {
      ...base,
      values: { 'intro.title': 'سلام', brand: '#ff0000' },
      contentHashes: ['c'.repeat(64), 'b'.repeat(64), 'b'.repeat(64)],
    };
    expect(renderCacheKey(reordered)).toBe(renderCacheKey(base));
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });

  it('changes with anything that changes the pixels or the bytes', () => {
    const key = renderCacheKey(base);
    const variants: Partial<CacheKeyInput>[] = [
      { templateHash: 'd'.repeat(64) },
      { engine: 2 },
      { locale: 'en' },
      { aspect: '9:16' },
      { values: { brand: '#ff0001', 'intro.title': 'سلام' } },
      { scenes: [{ id: 'intro', block: 'title-card', duration_seconds: 4 }] },
      { contentHashes: ['e'.repeat(64)] },
      { output: { ...base.output, quality: 'high' } },
      { output: { ...base.output, width: 1920, height: 1080 } },
      { watermark: true },
      { time: 1 },
    ];
    for (const v of variants) expect(renderCacheKey({ ...base, ...v })).not.toBe(key);
  });
});
