export interface Point {
  x: number;
  y: number;
}

/** Four corners in order: top-left, top-right, bottom-right, bottom-left. */
export type Quad = readonly [Point, Point, Point, Point];

/** A 3x3 projective transform, row-major, normalised so that h[8] = 1. */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

/**
 * The homography taking each `from` corner to the matching `to` corner (direct linear transform with
 * h33 = 1: eight equations, eight unknowns, solved by Gaussian elimination with partial pivoting).
 * Throws when three corners of either quad are collinear (no projective map exists).
 */
export function homographyFromQuads(from: Quad, to: Quad): Homography {
  assertNonDegenerate(from, 'from');
  assertNonDegenerate(to, 'to');
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i]!;
    const { x: u, y: v } = to[i]!;
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  const h = solveLinear(rows);
  return [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1];
}

export function applyHomography(h: Homography, p: Point): Point {
  const w = h[6] * p.x + h[7] * p.y + h[8];
  return { x: (h[0] * p.x + h[1] * p.y + h[2]) / w, y: (h[3] * p.x + h[4] * p.y + h[5]) / w };
}

/** The inverse transform (adjugate over determinant), renormalised. */
export function invertHomography(h: Homography): Homography {
  const [a, b, c, d, e, f, g, hh, i] = h;
  const A = e * i - f * hh;
  const B = -(d * i - f * g);
  const C = d * hh - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new RangeError('homography is singular');
  const inv = [
    A,
    -(b * i - c * hh),
    b * f - c * e,
    B,
    a * i - c * g,
    -(a * f - c * d),
    C,
    -(a * hh - b * g),
    a * e - b * d,
  ].map((v) => v / det);
  const s = inv[8]!;
  return inv.map((v) => v / s) as unknown as Homography;
}

function assertNonDegenerate(quad: Quad, name: string): void {
  const size = Math.max(...quad.map((p) => Math.max(Math.abs(p.x), Math.abs(p.y))), 1e-9);
  for (let skip = 0; skip < 4; skip++) {
    const [a, b, c] = quad.filter((_, i) => i !== skip) as [Point, Point, Point];
    const area = (b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y);
    if (Math.abs(area) < 1e-9 * size * size)
      throw new RangeError(`quad "${name}" is degenerate (three corners in a line)`);
  }
}

function solveLinear(augmented: number[][]): number[] {
  const n = augmented.length;
  const m = augmented.map((r) => [...r]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-10)
      throw new RangeError('quad is degenerate (three corners in a line)');
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const row = m[col]!;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const target = m[r]!;
      const factor = target[col]! / row[col]!;
      if (factor === 0) continue;
      for (let k = col; k <= n; k++) target[k]! -= factor * row[k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}
