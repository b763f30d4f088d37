/**
 * Checks that an SVG poster is self-contained and inert before it is stored and served: no scripts,
 * no event handlers, no foreignObject, and no reference outside the file (only `#fragment` and
 * `data:` URLs). Skia's SVG backend writes such files; this keeps the promise if that ever changes.
 */
export function assertSafeSvg(svg: string): void {
  const problems: string[] = [];
  if (/<script[\s>]/i.test(svg)) problems.push('a <script> element');
  if (/<foreignObject[\s>]/i.test(svg)) problems.push('a <foreignObject> element');
  if (/\son[a-z]+\s*=/i.test(svg)) problems.push('an event handler attribute');
  for (const match of svg.matchAll(/(?:xlink:)?href\s*=\s*["']([^"']*)["']/gi)) {
    const target = match[1] ?? '';
    if (!target.startsWith('#') && !target.startsWith('data:'))
      problems.push(`a reference to "${target.slice(0, 80)}"`);
  }
  if (/url\(\s*["']?(?!#|data:)/i.test(svg)) problems.push('an external url()');
  if (problems.length > 0) throw new Error(`unsafe SVG poster: ${problems.join(', ')}`);
}
