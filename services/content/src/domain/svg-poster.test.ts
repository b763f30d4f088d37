import { describe, expect, it } from 'vitest';
import { assertSafeSvg } from './svg-poster';

describe('assertSafeSvg', () => {
  it('accepts an inert poster with fragment and data references', () => {
    expect(() =>
      assertSafeSvg(
        '<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="c"/></defs><path clip-path="url(#c)" d="M0 0"/><image href="data:image/png;base64,AAAA"/><use xlink:href="#c"/></svg>',
      ),
    ).not.toThrow();
  });

  it('refuses scripts, handlers, foreignObject and external references', () => {
    expect(() => assertSafeSvg('<svg><script>alert(1)</script></svg>')).toThrow(/script/);
    expect(() => assertSafeSvg('<svg><rect onload="x()"/></svg>')).toThrow(/event handler/);
    expect(() => assertSafeSvg('<svg><foreignObject></foreignObject></svg>')).toThrow(/foreignObject/);
    expect(() => assertSafeSvg('<svg><image href="https://evil.test/x.png"/></svg>')).toThrow(/evil\.test/);
    expect(() => assertSafeSvg('<svg><rect fill="url(https://evil.test/p)"/></svg>')).toThrow(/url\(\)/);
  });
});
