import { describe, expect, it } from 'vitest';
import { declaredMime, displayName, variantDownloadName } from './file-names';

describe('file names', () => {
  it('keeps the last segment of a name, without controls or bidi overrides', () => {
    expect(displayName('C:\\Users\\me\\لوگو.png')).toBe('لوگو.png');
    expect(displayName('../../etc/passwd')).toBe('passwd');
    expect(displayName('invoice\u202Egnp.exe')).toBe('invoicegnp.exe');
    expect(displayName('a\r\nb.png')).toBe('ab.png');
    expect(displayName('   ')).toBe('upload');
    expect(displayName(undefined)).toBe('upload');
    expect(displayName('x'.repeat(300))).toHaveLength(255);
  });

  it('keeps a declared media type only when it is well formed', () => {
    expect(declaredMime('Image/PNG; charset=binary')).toBe('image/png');
    expect(declaredMime('not a type')).toBe('application/octet-stream');
    expect(declaredMime(undefined)).toBe('application/octet-stream');
  });

  it('names variants after the file', () => {
    expect(variantDownloadName('photo.final.jpg', 'thumbnail', 'webp')).toBe('photo.final-thumbnail.webp');
    expect(variantDownloadName('noext', 'thumbnail', 'webp')).toBe('noext-thumbnail.webp');
  });
});
