import { describe, expect, it } from 'vitest';
import { fontFaceCss } from './font-css';

describe('fontFaceCss', () => {
  it('declares upright faces under the engine alias and the family, italic ones under the family', () => {
    const css = fontFaceCss([
      {
        family: 'Vazirmatn',
        weight: 800,
        style: 'normal',
        format: 'ttf',
        url: 'https://x.test/v1/fonts/a/file',
      },
      {
        family: 'Brand Sans',
        weight: 400,
        style: 'italic',
        format: 'woff2',
        url: 'https://x.test/v1/fonts/b/file?sig=1',
      },
    ]);
    expect(css).toContain('font-family: "Vazirmatn 800";');
    expect(css).toContain('font-family: "Vazirmatn";');
    expect(css).toContain('src: url("https://x.test/v1/fonts/a/file") format("truetype");');
    expect(css).toContain('font-weight: 800;');
    expect(css).not.toContain('"Brand Sans 400"');
    expect(css).toContain('font-family: "Brand Sans";');
    expect(css).toContain('format("woff2")');
    expect(css).toContain('font-style: italic;');
    expect(css.match(/@font-face/g)).toHaveLength(3);
  });
});
