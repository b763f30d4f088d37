import { type Canvas2D, context2d, type Surface, type SurfaceFactory } from '../render/canvas.types';

/**
 * The bottom of a layer scene that never changes (see `staticPrefix` in layer-scene.ts), drawn once
 * per device size into an offscreen surface and copied onto every frame: a full-frame gradient costs
 * Skia several milliseconds a frame at 1080p, a copy about one.
 *
 * What must stay true: a frame is pixel for pixel what drawing the layers would give. So the base
 * is opaque (nothing under it shows, whatever the context held), and it is copied only where the
 * context maps the scene onto whole device pixels from the origin, unrotated, at full opacity:
 * then the copy is exact and even gradient dithering, which follows device coordinates, lands on
 * the same pixels. Anywhere else (a slide or zoom transition mid-way) the layers are drawn as usual.
 */
export class StaticBase {
  private surface: Surface | undefined;

  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly paint: (ctx: Canvas2D) => void,
    private readonly createSurface: SurfaceFactory,
  ) {}

  /** Copies the base onto ctx and returns true, or returns false when the copy would not be exact. */
  draw(ctx: Canvas2D): boolean {
    const m = ctx.getTransform();
    const deviceWidth = this.width * m.a;
    const deviceHeight = this.height * m.d;
    const exact =
      m.b === 0 &&
      m.c === 0 &&
      m.e === 0 &&
      m.f === 0 &&
      m.a > 0 &&
      m.d > 0 &&
      Number.isInteger(deviceWidth) &&
      Number.isInteger(deviceHeight) &&
      ctx.globalAlpha === 1 &&
      ctx.globalCompositeOperation === 'source-over';
    if (!exact) return false;
    let surface = this.surface;
    if (!surface || surface.width !== deviceWidth || surface.height !== deviceHeight) {
      surface = this.createSurface(deviceWidth, deviceHeight);
      const sctx = context2d(surface);
      sctx.scale(m.a, m.d);
      this.paint(sctx);
      this.surface = surface;
    }
    ctx.drawImage(surface, 0, 0, this.width, this.height);
    return true;
  }
}
