import type { MockupKind } from '@flatrender/contracts';
import { encodeStill } from '@flatrender/engine/node';
import { type Canvas, createCanvas, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import {
  type Camera,
  coverSource,
  drawImageInPerspective,
  PlaneMapping,
  projectPlane,
  type Rect,
} from './perspective';

/**
 * One mockup: a picture of a fixed design size (scaled to the requested width) with a device or frame
 * drawn as a plane seen in perspective, and a screen (or print area) on that plane where the user's
 * image goes.
 */
interface MockupDesign {
  width: number;
  height: number;
  background(ctx: SKRSContext2D, width: number, height: number): void;
  /** The device plane in plane units, and where the camera puts it. */
  plane: { width: number; height: number; camera: Camera };
  body: { rect: Rect; radius: number; color: string; edge: string };
  screen: { rect: Rect; radius: number };
  /** Drawn under the body, after the shadow (the laptop's keyboard deck). */
  under?(ctx: SKRSContext2D, plane: PlaneMapping): void;
}

const PHONE: MockupDesign = {
  width: 1000,
  height: 1250,
  background(ctx, w, h) {
    const g = ctx.createLinearGradient(0, 0, w, h);
    g.addColorStop(0, '#f4efe9');
    g.addColorStop(1, '#dcd3ea');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, w, h);
  },
  plane: {
    width: 1,
    height: 2.05,
    camera: { cx: 500, cy: 625, scale: 470, yaw: 22, pitch: 6, roll: -7, focal: 4 },
  },
  body: { rect: { x: 0, y: 0, width: 1, height: 2.05 }, radius: 0.15, color: '#1c1c22', edge: '#4a4a55' },
  screen: { rect: { x: 0.045, y: 0.05, width: 0.91, height: 1.95 }, radius: 0.11 },
};

const LAPTOP: MockupDesign = {
  width: 1600,
  height: 1000,
  background(ctx, w, h) {
    const g = ctx.createLinearGradient(0, 0, 0, h);
    g.addColorStop(0, '#e9eef3');
    g.addColorStop(1, '#c9d3dd');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, w, h);
  },
  plane: {
    width: 1.6,
    height: 1.06,
    camera: { cx: 800, cy: 430, scale: 640, yaw: -16, pitch: 10, roll: 0, focal: 5 },
  },
  body: { rect: { x: 0, y: 0, width: 1.6, height: 1.06 }, radius: 0.05, color: '#2a2d33', edge: '#8a9099' },
  screen: { rect: { x: 0.05, y: 0.05, width: 1.5, height: 0.9375 }, radius: 0.01 },
  under(ctx, plane) {
    // The keyboard deck: from the hinge (the lid's bottom edge) towards the viewer and down.
    const bl = plane.map({ x: -0.04, y: 1.06 });
    const br = plane.map({ x: 1.64, y: 1.06 });
    const fl = { x: bl.x - 150, y: bl.y + 170 };
    const fr = { x: br.x + 110, y: br.y + 190 };
    const g = ctx.createLinearGradient(0, bl.y, 0, fl.y);
    g.addColorStop(0, '#b8bec6');
    g.addColorStop(1, '#d7dce2');
    ctx.fillStyle = g;
    ctx.beginPath();
    ctx.moveTo(bl.x, bl.y);
    ctx.lineTo(br.x, br.y);
    ctx.lineTo(fr.x, fr.y);
    ctx.lineTo(fl.x, fl.y);
    ctx.closePath();
    ctx.fill();
    ctx.fillStyle = '#9aa1aa';
    ctx.beginPath();
    ctx.moveTo(fl.x, fl.y);
    ctx.lineTo(fr.x, fr.y);
    ctx.lineTo(fr.x, fr.y + 14);
    ctx.lineTo(fl.x, fl.y + 14);
    ctx.closePath();
    ctx.fill();
  },
};

const POSTER: MockupDesign = {
  width: 1200,
  height: 900,
  background(ctx, w, h) {
    const wall = ctx.createLinearGradient(0, 0, w, 0);
    wall.addColorStop(0, '#efe6d8');
    wall.addColorStop(1, '#e2d5c1');
    ctx.fillStyle = wall;
    ctx.fillRect(0, 0, w, h);
    const floor = ctx.createLinearGradient(0, h * 0.86, 0, h);
    floor.addColorStop(0, '#a98b6d');
    floor.addColorStop(1, '#8c6f55');
    ctx.fillStyle = floor;
    ctx.fillRect(0, h * 0.86, w, h * 0.14);
  },
  plane: {
    width: 2,
    height: 2.8,
    camera: { cx: 600, cy: 400, scale: 230, yaw: -24, pitch: 0, roll: 0, focal: 6 },
  },
  body: { rect: { x: 0, y: 0, width: 2, height: 2.8 }, radius: 0.01, color: '#3b2f28', edge: '#5a4a40' },
  screen: { rect: { x: 0.12, y: 0.12, width: 1.76, height: 2.56 }, radius: 0 },
};

export const MOCKUP_DESIGNS: Record<MockupKind, MockupDesign> = {
  phone: PHONE,
  laptop: LAPTOP,
  poster: POSTER,
};

/** Output size of a mockup: the requested width, the height from the design's aspect (even numbers). */
export function mockupSize(kind: MockupKind, width: number): { width: number; height: number } {
  const design = MOCKUP_DESIGNS[kind];
  return { width, height: Math.max(2, Math.round((width * design.height) / design.width)) };
}

/** The plane of a design placed by its camera. */
export function mockupPlane(kind: MockupKind): PlaneMapping {
  const { plane } = MOCKUP_DESIGNS[kind];
  const quad = projectPlane(plane.width, plane.height, plane.camera);
  return new PlaneMapping(plane.width, plane.height, quad);
}

/** Draws `image` into the mockup on a new canvas of the requested width. */
export function drawMockup(kind: MockupKind, image: Image, width: number): Canvas {
  const design = MOCKUP_DESIGNS[kind];
  const size = mockupSize(kind, width);
  const canvas = createCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d');
  ctx.scale(size.width / design.width, size.height / design.height);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  design.background(ctx, design.width, design.height);
  const plane = mockupPlane(kind);

  ctx.save();
  ctx.shadowColor = 'rgba(20, 20, 30, 0.35)';
  ctx.shadowBlur = 40;
  ctx.shadowOffsetX = 18;
  ctx.shadowOffsetY = 28;
  plane.roundedRectPath(ctx, design.body.rect, design.body.radius);
  ctx.fillStyle = design.body.color;
  ctx.fill();
  ctx.restore();
  design.under?.(ctx, plane);

  plane.roundedRectPath(ctx, design.body.rect, design.body.radius);
  ctx.fillStyle = design.body.color;
  ctx.fill();
  ctx.lineWidth = 3;
  ctx.strokeStyle = design.body.edge;
  ctx.stroke();

  const screen = design.screen.rect;
  ctx.save();
  plane.roundedRectPath(ctx, screen, design.screen.radius);
  ctx.clip();
  ctx.fillStyle = '#000000';
  ctx.fill();
  const source = coverSource(image, screen.width / screen.height);
  drawImageInPerspective(ctx, image, source, plane, screen);
  // A soft reflection across the glass (or the print's varnish).
  const a = plane.map({ x: screen.x, y: screen.y });
  const b = plane.map({ x: screen.x + screen.width, y: screen.y + screen.height });
  const glare = ctx.createLinearGradient(a.x, a.y, b.x, b.y);
  glare.addColorStop(0, 'rgba(255,255,255,0.16)');
  glare.addColorStop(0.45, 'rgba(255,255,255,0.04)');
  glare.addColorStop(0.46, 'rgba(255,255,255,0)');
  ctx.fillStyle = glare;
  plane.roundedRectPath(ctx, screen, design.screen.radius);
  ctx.fill();
  ctx.restore();
  return canvas;
}

/** The mockup as PNG or JPEG bytes, with the engine's fast still encoders. */
export async function renderMockup(
  kind: MockupKind,
  image: Image,
  width: number,
  format: 'png' | 'jpg',
): Promise<{ data: Buffer; width: number; height: number }> {
  const canvas = drawMockup(kind, image, width);
  return { data: await encodeStill(canvas, format, 'high'), width: canvas.width, height: canvas.height };
}
