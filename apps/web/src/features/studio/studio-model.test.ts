import { describe, expect, it } from 'vitest';
import { emptyChanges, isEmpty, mergeChanges, patchBody } from './autosave';
import { issueField, issuesByField } from './studio-model';

describe('autosave batches', () => {
  it('merges later values over earlier ones and keeps scene edits in order', () => {
    const first = mergeChanges(emptyChanges(), {
      fields: { 'intro.title': 'a', brand: '#fff' },
      edits: [{ op: 'remove', scene: 'x' }],
    });
    const merged = mergeChanges(first, {
      fields: { 'intro.title': 'ab' },
      edits: [{ op: 'add', block: 'quote' }],
      aspect: '9:16',
    });
    expect(patchBody(merged)).toEqual({
      fields: { 'intro.title': 'ab', brand: '#fff' },
      scene_edits: [
        { op: 'remove', scene: 'x' },
        { op: 'add', block: 'quote' },
      ],
      aspect: '9:16',
    });
    expect(isEmpty(emptyChanges())).toBe(true);
    expect(isEmpty(mergeChanges(emptyChanges(), { fields: { brand: null } }))).toBe(false);
  });
});

describe('checks on their fields', () => {
  const paths = ['brand', 'intro.title', 'bars.items'];
  it('puts an issue on its field, list items included, and keeps the rest apart', () => {
    expect(issueField({ code: 'c', path: 'x', message: '', field: 'brand' }, paths)).toBe('brand');
    expect(issueField({ code: 'c', path: 'bars.items[2].value', message: '' }, paths)).toBe('bars.items');
    expect(issueField({ code: 'font_missing', path: 'fonts', message: '' }, paths)).toBeUndefined();
    const { byField, other } = issuesByField(
      {
        errors: [
          { code: 'text_unfit', path: 'intro.title', message: 'long', aspect: '9:16' },
          { code: 'font_missing', path: 'fonts', message: 'no font' },
        ],
        warnings: [{ code: 'missing_glyphs', path: 'intro.title', message: 'glyph' }],
      },
      paths,
    );
    expect(byField.get('intro.title')).toEqual({
      errors: [{ code: 'text_unfit', path: 'intro.title', message: 'long', aspect: '9:16' }],
      warnings: [{ code: 'missing_glyphs', path: 'intro.title', message: 'glyph' }],
    });
    expect(other.errors.map((e) => e.code)).toEqual(['font_missing']);
  });
});
