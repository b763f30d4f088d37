import { parseTemplate } from '@flatrender/engine';
import { describe, expect, it } from 'vitest';
import { sampleTemplate } from '../../test/template-fixtures';
import { normalizeSearchText } from './search-text';
import {
  localizedPair,
  posterTime,
  searchableText,
  templateAssetRefs,
  templateFontFaces,
  templateMetadata,
} from './template-metadata';

const yalda = parseTemplate(sampleTemplate('yalda-card'));

describe('templateMetadata', () => {
  it('describes a template in both languages with the engine duration and every field', () => {
    const meta = templateMetadata(yalda);
    expect(meta).toMatchObject({
      slug: 'yalda-card',
      mode: 'fixed',
      title: { fa: 'کارت تبریک یلدا', en: 'Yalda greeting card' },
      category: 'greeting',
      tags: ['yalda', 'winter'],
      aspects: ['16:9', '9:16'],
    });
    // Two scenes of 2 s overlapped by one 0.5 s crossfade.
    expect(meta.durationSeconds).toBeCloseTo(3.5, 3);
    expect(meta.fields.map((f) => f.path)).toEqual(['brand', 'intro.title', 'card.title']);
    expect(meta.fields.find((f) => f.path === 'intro.title')).toMatchObject({
      scope: 'scene',
      scene_id: 'intro',
      type: 'text',
      label: { fa: 'عنوان', en: 'Title' },
      optional: false,
    });
    expect(meta.scenes.map((s) => s.block)).toEqual(['layers', 'title-card']);
  });

  it('indexes titles, tags and slug for search in one normalised spelling', () => {
    const text = searchableText(templateMetadata(yalda));
    expect(text).toContain(normalizeSearchText('کارت تبریک یلدا'));
    expect(text).toContain('yalda greeting card');
    expect(text).toContain('winter');
  });
});

describe('templateFontFaces and templateAssetRefs', () => {
  it('lists the faces and assets the engine composition uses', () => {
    expect(templateFontFaces(yalda)).toEqual([
      { family: 'Vazirmatn', weight: 400 },
      { family: 'Vazirmatn', weight: 800 },
    ]);
    expect(templateAssetRefs(yalda)).toEqual([]);
    const withMusic = parseTemplate(
      sampleTemplate('yalda-music', { music: { asset: 'builtin:music/spring.m4a' } }),
    );
    expect(templateAssetRefs(withMusic)).toEqual(['builtin:music/spring.m4a']);
  });
});

describe('localizedPair', () => {
  it('falls back to the other language and treats a string as both', () => {
    expect(localizedPair('Hi')).toEqual({ fa: 'Hi', en: 'Hi' });
    expect(localizedPair({ fa: 'سلام' })).toEqual({ fa: 'سلام', en: 'سلام' });
    expect(localizedPair({ en: ' ' })).toBeNull();
    expect(localizedPair(undefined)).toBeNull();
  });
});

describe('posterTime', () => {
  it('picks an instant inside the first scene, before any transition into the next one', () => {
    const t = posterTime(yalda, '16:9', 'fa');
    // The first scene lasts 2 s and the crossfade into the second starts at 1.5 s.
    expect(t).toBeCloseTo(0.9, 3);
    expect(t).toBeLessThan(1.5);
  });
});
