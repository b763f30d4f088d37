import { describe, expect, it } from 'vitest';
import { acceptedType, describeDetected, looksLikeSvg, purposeAdmits } from './file-types';

const svg = (text: string) => looksLikeSvg(Buffer.from(text, 'utf8'));

describe('looksLikeSvg', () => {
  it('recognises an svg root after a BOM, declaration, comments and a doctype', () => {
    expect(svg('<svg xmlns="http://www.w3.org/2000/svg"/>')).toBe(true);
    expect(svg('\uFEFF  <?xml version="1.0"?>\n<!-- made by hand -->\n<svg>')).toBe(true);
    expect(
      svg(
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg>',
      ),
    ).toBe(true);
  });

  it('reads past an internal doctype subset whose declarations hold ">"', () => {
    expect(svg('<!DOCTYPE svg [ <!ENTITY a "x"> <!ENTITY b "&a;&a;"> ]><svg>&b;</svg>')).toBe(true);
  });

  it('refuses documents whose root is not svg, text and binary', () => {
    expect(svg('<html><svg></svg></html>')).toBe(false);
    expect(svg('<?xml version="1.0"?><svgfoo/>')).toBe(false);
    expect(svg('hello <svg>')).toBe(false);
    expect(svg('<svg\u0000>')).toBe(false);
    expect(svg('<!DOCTYPE svg [ <!ENTITY a "x">')).toBe(false);
    expect(svg('<!-- never closed <svg>')).toBe(false);
  });
});

describe('accepted types', () => {
  it('accepts only the listed formats, keyed by what the bytes are', () => {
    expect(acceptedType({ ext: 'png', mime: 'image/png' })?.kind).toBe('image');
    expect(acceptedType({ ext: 'opus', mime: 'audio/opus' })).toMatchObject({
      kind: 'audio',
      mime: 'audio/ogg',
    });
    expect(acceptedType({ ext: 'woff2', mime: 'font/woff2' })?.kind).toBe('font');
    for (const ext of ['exe', 'woff', 'mov', 'pdf', 'zip', 'xml', 'm4a', 'avif']) {
      expect(acceptedType({ ext, mime: 'x/y' }), ext).toBeNull();
    }
    expect(acceptedType({ ext: null, mime: null })).toBeNull();
  });

  it('names what was found in refusals', () => {
    expect(describeDetected({ ext: 'exe', mime: 'application/x-msdownload' })).toBe(
      'application/x-msdownload (.exe)',
    );
    expect(describeDetected({ ext: null, mime: null })).toBe('content of no recognised type');
  });

  it('lets each purpose take only its kinds', () => {
    expect(purposeAdmits('font', 'font')).toBe(true);
    expect(purposeAdmits('font', 'image')).toBe(false);
    expect(purposeAdmits('avatar', 'video')).toBe(false);
    expect(purposeAdmits('project_asset', 'font')).toBe(false);
    expect(purposeAdmits('template_asset', 'font')).toBe(true);
  });
});
