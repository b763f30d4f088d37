import { describe, expect, it } from 'vitest';
import { CLEAN_SVG, HOSTILE_SVG } from '../../test/fixtures';
import { sanitizeSvg, UnsafeSvgError } from './svg-sanitizer';

describe('sanitizeSvg', () => {
  const { svg, removed } = sanitizeSvg(HOSTILE_SVG);

  it('removes scripts, handlers, foreignObject, animations and every reference leaving the document', () => {
    expect(svg).not.toMatch(
      /<script|onload|onclick|onmouseover|foreignObject|<set|<animate|javascript:|evil\.example|@import/i,
    );
    expect(removed).toEqual(
      expect.arrayContaining(['script', 'foreignobject', 'set', 'animate', '@onload', '@onclick']),
    );
  });

  it('keeps drawing content, local references and embedded raster images', () => {
    expect(svg).toContain('viewBox="0 0 120 60"');
    expect(svg).toContain('<linearGradient id="brand">');
    expect(svg).toContain('fill="url(#brand)"');
    expect(svg).toContain('<use href="#card" x="2"/>');
    expect(svg).toContain('href="data:image/png;base64,');
    expect(svg).toContain('نوروز مبارک');
  });

  it('never expands entities and writes well-formed XML with the SVG namespace', () => {
    expect(svg).not.toContain('lollol');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toContain('&nbsp;');
  });

  it('leaves a clean SVG as it was (modulo serialisation)', () => {
    const clean = sanitizeSvg(CLEAN_SVG);
    expect(clean.removed).toEqual([]);
    expect(clean.svg).toContain('<circle cx="25" cy="25" r="20" fill="#e94560"/>');
  });

  it('drops CSS that escapes or fetches, in attributes and style elements', () => {
    const out = sanitizeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg"><style>.a{fill:u\\72l(http://x/)}</style><style>.b{fill:red}</style>' +
        '<rect style="mask:image-set(&quot;x.png&quot; 1x)"/><rect filter="url(http://x/#f)"/><rect fill="url( \'#ok\' )"/></svg>',
    ).svg;
    expect(out).not.toMatch(/u\\72l|image-set|http:\/\/x/);
    expect(out).toContain('.b{fill:red}');
    expect(out).toContain(`fill="url( '#ok' )"`);
  });

  it('refuses content with no svg document', () => {
    expect(() => sanitizeSvg('<div>no svg</div>')).toThrow(UnsafeSvgError);
    expect(() =>
      sanitizeSvg('<svg xmlns="http://www.w3.org/2000/svg"/><svg xmlns="http://www.w3.org/2000/svg"/>'),
    ).toThrow(UnsafeSvgError);
  });
});
