import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import {
  applyHomography,
  type Homography,
  homographyFromQuads,
  type Point,
  type Quad,
} from '../domain/homography';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Camera {
  /** Centre of the plane on the output, in design pixels. */
  cx: number;
  cy: number;
  /** Design pixels per plane unit (at the plane's centre depth). */
  scale: number;
  /** Turn about the vertical axis, degrees (positive: the right side goes away). */
  yaw: number;
  /** Tilt about the horizontal axis, degrees (positive: the top goes away). */
  pitch: number;
  /** Rotation in the picture plane, degrees. */
  roll: number;
  /** Distance of the eye, in plane units; smaller is stronger perspective. */
  focal: number;
}

/**
 * Where the corners of a `width` x `height` plane (centred on its middle) land in the picture when it
 * is turned in 3D and seen through a pinhole. A turned rectangle seen this way is exactly a
 * projective image of the flat one, so the homography of these four corners maps every point.
 */
export function projectPlane(width: number, height: number, camera: Camera): Quad {
  const rad = Math.PI / 180;
  const [cy, sy] = [Math.cos(camera.yaw * rad), Math.sin(camera.yaw * rad)];
  const [cp, sp] = [Math.cos(camera.pitch * rad), Math.sin(camera.pitch * rad)];
  const [cr, sr] = [Math.cos(camera.roll * rad), Math.sin(camera.roll * rad)];
  const corner = (x: number, y: number): Point => {
    // Yaw about the vertical axis, then pitch about the horizontal one; z grows away from the eye.
    const x1 = x * cy;
    const z1 = x * sy;
    const y2 = y * cp + z1 * sp;
    const z2 = z1 * cp - y * sp;
    const depth = camera.focal / (camera.focal + z2);
    const px = x1 * depth;
    const py = y2 * depth;
    return {
      x: camera.cx + (px * cr - py * sr) * camera.scale,
      y: camera.cy + (px * sr + py * cr) * camera.scale,
    };
  };
  const [hw, hh] = [width / 2, height / 2];
  return [corner(-hw, -hh), corner(hw, -hh), corner(hw, hh), corner(-hw, hh)];
}

/** A plane of `width` x `height` units (origin top-left) placed on `quad`. */
export class PlaneMapping {
  readonly h: Homography;
  constructor(
    readonly width: number,
    readonly height: number,
    readonly quad: Quad,
  ) {
    this.h = homographyFromQuads(
      [
        { x: 0, y: 0 },
        { x: width, y: 0 },
        { x: width, y: height },
        { x: 0, y: height },
      ],
      quad,
    );
  }

  map(p: Point): Point {
    return applyHomography(this.h, p);
  }

  /** Traces the outline of a rounded rectangle of the plane, in perspective, as the current path. */
  roundedRectPath(ctx: SKRSContext2D, rect: Rect, radius: number): void {
    const points = roundedRectOutline(rect, radius);
    ctx.beginPath();
    points.forEach((p, i) => {
      const q = this.map(p);
      if (i === 0) ctx.moveTo(q.x, q.y);
      else ctx.lineTo(q.x, q.y);
    });
    ctx.closePath();
  }
}

function roundedRectOutline(rect: Rect, radius: number, steps = 10): Point[] {
  const r = Math.min(radius, rect.width / 2, rect.height / 2);
  const corners = [
    { cx: rect.x + rect.width - r, cy: rect.y + r, from: -90 },
    { cx: rect.x + rect.width - r, cy: rect.y + rect.height - r, from: 0 },
    { cx: rect.x + r, cy: rect.y + rect.height - r, from: 90 },
    { cx: rect.x + r, cy: rect.y + r, from: 180 },
  ];
  const out: Point[] = [];
  for (const c of corners) {
    for (let i = 0; i <= steps; i++) {
      const a = ((c.from + (90 * i) / steps) * Math.PI) / 180;
      out.push({ x: c.cx + r * Math.cos(a), y: c.cy + r * Math.sin(a) });
    }
  }
  return out;
}

/** Anything `drawImage` takes, with its pixel size. */
export interface SizedImage {
  width: number;
  height: number;
}

/**
 * Draws the part `source` of `image` onto the plane rectangle `target`, in perspective, by inverse
 * mapping: every device pixel of the target's bounding box is taken back through the inverse
 * homography to the image and sampled bilinearly. Exact for any perspective, no seams. The source is
 * first resampled by Skia to about the size it will cover, so a large photo does not alias.
 */
export function drawImageInPerspective(
  ctx: SKRSContext2D,
  image: SizedImage,
  source: Rect,
  plane: PlaneMapping,
  target: Rect,
): void {
  // Work in device pixels: the context's current transform times the plane's homography.
  const m = ctx.getTransform();
  const toDevice = (p: Point): Point => ({ x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f });
  const corners: Quad = [
    toDevice(plane.map({ x: target.x, y: target.y })),
    toDevice(plane.map({ x: target.x + target.width, y: target.y })),
    toDevice(plane.map({ x: target.x + target.width, y: target.y + target.height })),
    toDevice(plane.map({ x: target.x, y: target.y + target.height })),
  ];
  const left = Math.max(0, Math.floor(Math.min(...corners.map((c) => c.x))));
  const top = Math.max(0, Math.floor(Math.min(...corners.map((c) => c.y))));
  const right = Math.min(ctx.canvas.width, Math.ceil(Math.max(...corners.map((c) => c.x))));
  const bottom = Math.min(ctx.canvas.height, Math.ceil(Math.max(...corners.map((c) => c.y))));
  const outW = right - left;
  const outH = bottom - top;
  if (outW <= 0 || outH <= 0) return;

  const span = Math.max(
    Math.hypot(corners[1].x - corners[0].x, corners[1].y - corners[0].y),
    Math.hypot(corners[2].x - corners[3].x, corners[2].y - corners[3].y),
  );
  const scale = Math.min(1, (span * 1.25) / source.width);
  const srcW = Math.max(2, Math.round(source.width * scale));
  const srcH = Math.max(2, Math.round(source.height * scale));
  const sampled = createCanvas(srcW, srcH);
  const sctx = sampled.getContext('2d');
  sctx.imageSmoothingEnabled = true;
  sctx.imageSmoothingQuality = 'high';
  sctx.drawImage(
    image as Parameters<SKRSContext2D['drawImage']>[0],
    source.x,
    source.y,
    source.width,
    source.height,
    0,
    0,
    srcW,
    srcH,
  );
  const src = sctx.getImageData(0, 0, srcW, srcH).data;

  // Device pixel -> (u, v) in [0, 1]^2 of the target rectangle.
  const inverse = homographyFromQuads(corners, [
    { x: 0, y: 0 },
    { x: 1, y: 0 },
    { x: 1, y: 1 },
    { x: 0, y: 1 },
  ]);
  const out = ctx.createImageData(outW, outH);
  const dst = out.data;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const uv = applyHomography(inverse, { x: left + x + 0.5, y: top + y + 0.5 });
      if (uv.x < 0 || uv.x > 1 || uv.y < 0 || uv.y > 1) continue;
      const sx = Math.min(srcW - 1, Math.max(0, uv.x * srcW - 0.5));
      const sy = Math.min(srcH - 1, Math.max(0, uv.y * srcH - 0.5));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(srcW - 1, x0 + 1);
      const y1 = Math.min(srcH - 1, y0 + 1);
      const fx = sx - x0;
      const fy = sy - y0;
      const i00 = (y0 * srcW + x0) * 4;
      const i10 = (y0 * srcW + x1) * 4;
      const i01 = (y1 * srcW + x0) * 4;
      const i11 = (y1 * srcW + x1) * 4;
      const o = (y * outW + x) * 4;
      for (let ch = 0; ch < 4; ch++) {
        const top0 = src[i00 + ch]! + (src[i10 + ch]! - src[i00 + ch]!) * fx;
        const bottom0 = src[i01 + ch]! + (src[i11 + ch]! - src[i01 + ch]!) * fx;
        dst[o + ch] = top0 + (bottom0 - top0) * fy;
      }
    }
  }
  const layer = createCanvas(outW, outH);
  layer.getContext('2d').putImageData(out, 0, 0);
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(layer, left, top);
  ctx.restore();
}

/** The centred part of an image with the aspect ratio of `target` (CSS `object-fit: cover`). */
export function coverSource(image: SizedImage, targetAspect: number): Rect {
  const aspect = image.width / image.height;
  if (aspect > targetAspect) {
    const width = image.height * targetAspect;
    return { x: (image.width - width) / 2, y: 0, width, height: image.height };
  }
  const height = image.width / targetAspect;
  return { x: 0, y: (image.height - height) / 2, width: image.width, height };
}
