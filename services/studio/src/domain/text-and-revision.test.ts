import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './page-cursor';
import { ifMatchRevision, revisionEtag } from './revision';
import { containsPattern, foldForSearch } from './search-text';

describe('search folding', () => {
  it('finds Persian names however their letters, digits and joiners were typed', () => {
    expect(foldForSearch('كتاب‌هاي  عربي ۱۴۰۳')).toBe(foldForSearch('کتابهای عربی 1403'));
    expect(foldForSearch('Nowruz   PROMO')).toBe('nowruz promo');
  });

  it('takes LIKE wildcards in a query literally', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});

describe('revision preconditions', () => {
  it('reads the ETag as sent back or a bare number, and nothing else', () => {
    expect(revisionEtag(7)).toBe('"7"');
    expect(ifMatchRevision('"7"')).toBe(7);
    expect(ifMatchRevision('7')).toBe(7);
    expect(ifMatchRevision(undefined)).toBeUndefined();
    for (const bad of ['*', 'W/"7"', '"7", "8"', '"0"', 'seven', '']) expect(ifMatchRevision(bad)).toBeNull();
  });
});

describe('page cursors', () => {
  it('round-trips and refuses cursors made elsewhere', () => {
    expect(decodeCursor(encodeCursor('9007199254740993'))).toBe('9007199254740993');
    expect(decodeCursor('bm9wZQ')).toBeUndefined();
  });
});
