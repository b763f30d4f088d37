import svgpath from 'svgpath';
import type { BlockContext } from '../blocks/block.types';
import { parseFontSpec } from '../fonts/font-spec';
import type { Canvas2D, SurfaceFactory } from '../render/canvas.types';
import { parseHex, resolveColorRef, toCss } from '../render/color';
import { drawImageFit, ramp, roundRectPath } from '../render/draw-kit';
import { persianizeText } from '../render/scene-props';
import {
  type Aspect,
  type GradientPaint,
  type Layer,
  type LayerScene,
  layerSchema,
  type ShapeLayer,
} from '../template/template.schema';
import { formatDate } from '../text/date-format';
import { drawText, type FittedText, type WordStyle } from '../text/text-layout';
import { localize } from '../values/field-values';
import type { ResolvedValues } from '../values/project';
import { easing } from './easing';
import { colorAt, keyTime, numberAt } from './keyframes';
import { StaticBase } from './static-base';

const DEG = Math.PI / 180;

export interface PreparedLayerScene {
  images: { ref: string; field?: string; source: string }[];
  draw(ctx: Canvas2D, t: number): void;
}

/** The layer with its per-aspect overrides applied (validated with the template). */
function forAspect(layer: Layer, aspect: Aspect): Layer {
  const override = layer.aspects?.[aspect];
  return override ? layerSchema.parse({ ...layer, aspects: undefined, ...override }) : layer;
}

/**
 * `createSurface` (when drawing frames; checks do without) lets the scene keep its unchanging,
 * opaque bottom as one offscreen image (see StaticBase).
 */
export function prepareLayerScene(
  scene: LayerScene,
  rv: ResolvedValues,
  c: BlockContext,
  createSurface?: SurfaceFactory,
): PreparedLayerScene {
  const { width: w, height: h, unit: u } = c;
  const fieldColor = (path: string) => rv.fields.get(path) as string;
  const images: PreparedLayerScene['images'] = [];
  const layers = scene.layers.map((raw) => forAspect(raw, c.aspect));
  const drawers = layers.map((layer, index) => {
    const source = `${scene.id}.layers[${index}]`;
    const paint = (ctx: Canvas2D, p: LayerPaint, t: number, box: [number, number, number, number]) =>
      applyPaint(ctx, p, t, c.duration, c, fieldColor, box);
    let body: (ctx: Canvas2D, t: number, d: number) => void;
    let size: [number, number] = [w, h];
    switch (layer.type) {
      case 'solid':
        body = (ctx, t, d) => {
          ctx.fillStyle = colorAt(layer.color, t, d, c.palette, fieldColor);
          ctx.fillRect(-w / 2, -h / 2, w, h);
        };
        break;
      case 'gradient':
        body = (ctx) => {
          ctx.fillStyle = gradientFill(ctx, layer, c, fieldColor, [-w / 2, -h / 2, w, h]);
          ctx.fillRect(-w / 2, -h / 2, w, h);
        };
        break;
      case 'text': {
        const bound = typeof layer.text === 'object' && 'field' in layer.text ? layer.text.field : undefined;
        const text = bound
          ? boundText(rv, bound)
          : literalText(rv, localize(layer.text as never, rv.locale), layer);
        const font =
          layer.font === 'display' || layer.font === 'body' ? c.fonts[layer.font] : parseFontSpec(layer.font);
        size = [layer.width * w, layer.height * h];
        const fitted = c.text(`layer-${index}`, {
          text,
          font,
          maxSize: layer.size * u,
          minSize: (layer.minSize ?? layer.size * 0.5) * u,
          width: size[0],
          height: size[1],
          align: layer.align,
          lineHeight: layer.lineHeight,
          maxLines: layer.maxLines,
          multiline: true,
          balance: true,
          source,
          ...(bound ? { field: bound } : {}),
        });
        body = (ctx, t, d) => drawTextLayer(ctx, layer, fitted, t, d, c, fieldColor, size);
        break;
      }
      case 'image':
      case 'svg': {
        const ref =
          typeof layer.asset === 'string'
            ? layer.asset
            : (rv.fields.get(layer.asset.field) as string | undefined);
        size = [layer.width * u, layer.height * u];
        if (ref)
          images.push({
            ref,
            source,
            ...(typeof layer.asset === 'object' ? { field: layer.asset.field } : {}),
          });
        body = (ctx) => {
          const image = c.image(ref);
          if (!image) return;
          ctx.save();
          if (layer.type === 'image' && layer.radius > 0) {
            roundRectPath(ctx, -size[0] / 2, -size[1] / 2, size[0], size[1], layer.radius * u);
            ctx.clip();
          }
          drawImageFit(ctx, image, -size[0] / 2, -size[1] / 2, size[0], size[1], {
            fit: layer.type === 'svg' ? 'contain' : layer.fit,
          });
          ctx.restore();
        };
        break;
      }
      case 'shape': {
        size = [layer.width * u, layer.height * u];
        body = (ctx, t) => {
          const box: [number, number, number, number] = [-size[0] / 2, -size[1] / 2, size[0], size[1]];
          shapePath(ctx, layer, box, u);
          if (layer.fill) {
            paint(ctx, layer.fill, t, box);
            ctx.fill();
          }
          if (layer.stroke && layer.stroke.width > 0) {
            ctx.strokeStyle = colorAt(layer.stroke.color, t, c.duration, c.palette, fieldColor);
            ctx.lineWidth = layer.stroke.width * u;
            ctx.lineJoin = 'round';
            ctx.stroke();
          }
        };
        break;
      }
    }
    return (ctx: Canvas2D, t: number, duration: number) => {
      const from = layer.start ?? 0;
      const to = layer.end === undefined ? duration + 1e9 : keyTime(layer.end, duration);
      if (t < from || t >= to) return;
      const opacity = numberAt(layer.opacity, t, duration);
      if (opacity <= 0) return;
      ctx.save();
      ctx.globalAlpha *= Math.min(1, opacity);
      const fullFrame = layer.type === 'solid' || layer.type === 'gradient';
      const x = fullFrame ? w / 2 : numberAt(layer.x, t, duration) * w;
      const y = fullFrame ? h / 2 : numberAt(layer.y, t, duration) * h;
      ctx.translate(x, y);
      ctx.rotate(numberAt(layer.rotation, t, duration) * DEG);
      const s = numberAt(layer.scale, t, duration);
      ctx.scale(s, s);
      if (!fullFrame) ctx.translate((0.5 - layer.anchorX) * size[0], (0.5 - layer.anchorY) * size[1]);
      body(ctx, t, duration);
      ctx.restore();
    };
  });
  const drawBackground = (ctx: Canvas2D, t: number) => {
    if (!scene.background) return;
    ctx.save();
    applyPaint(ctx, scene.background, t, c.duration, c, fieldColor, [0, 0, w, h]);
    ctx.fillRect(0, 0, w, h);
    ctx.restore();
  };
  const baseLayers = createSurface ? staticPrefix(scene.background, layers, c, fieldColor) : undefined;
  const base =
    createSurface && baseLayers !== undefined
      ? new StaticBase(
          w,
          h,
          (ctx) => {
            drawBackground(ctx, 0);
            for (const draw of drawers.slice(0, baseLayers)) draw(ctx, 0, c.duration);
          },
          createSurface,
        )
      : undefined;
  return {
    images,
    draw(ctx, t) {
      let next = 0;
      if (base?.draw(ctx)) next = baseLayers ?? 0;
      else drawBackground(ctx, t);
      for (let i = next; i < drawers.length; i++) drawers[i]!(ctx, t, c.duration);
    },
  };
}

const animated = (value: unknown) => typeof value === 'object' && value !== null && 'keyframes' in value;

/**
 * The scene's bottom worth keeping as one image: its background and the leading full-frame layers
 * (solid, gradient; already resolved for the aspect) that nothing animates or times, when one of
 * them is opaque and covers the frame (so the image is opaque) and one is a gradient (a solid fill
 * costs no more than the copy). Returns how many layers it holds, or undefined.
 */
function staticPrefix(
  background: LayerScene['background'],
  layers: Layer[],
  c: BlockContext,
  fieldColor: (path: string) => string,
): number | undefined {
  const hex = (v: string | { field: string }) =>
    typeof v === 'string' ? resolveColorRef(v, c.palette) : fieldColor(v.field);
  const opaquePaint = (p: LayerPaint) =>
    typeof p === 'object' && 'gradient' in p
      ? p.stops.every((stop) => parseHex(hex(stop.color)).a === 1)
      : !animated(p) && parseHex(hex(p as string | { field: string })).a === 1;
  let opaque = false;
  let gradient = false;
  if (background) {
    if (animated(background)) return undefined;
    opaque = opaquePaint(background);
    gradient = typeof background === 'object' && 'gradient' in background;
  }
  let count = 0;
  for (const layer of layers) {
    if (layer.type !== 'solid' && layer.type !== 'gradient') break;
    if (layer.start !== undefined || layer.end !== undefined) break;
    if ([layer.opacity, layer.rotation, layer.scale].some(animated)) break;
    if (layer.type === 'solid' && animated(layer.color)) break;
    const covers = layer.opacity === 1 && layer.rotation === 0 && layer.scale === 1;
    if (covers && opaquePaint(layer.type === 'solid' ? layer.color : layer)) opaque = true;
    if (layer.type === 'gradient') gradient = true;
    count++;
  }
  return opaque && gradient ? count : undefined;
}

function boundText(rv: ResolvedValues, field: string): string {
  const def = rv.defs.get(field);
  const value = rv.fields.get(field);
  const persian = rv.persianDigits(field);
  if (def?.type === 'date' && typeof value === 'string')
    return formatDate(value, {
      locale: rv.locale,
      calendar: def.calendar,
      style: def.format,
      persianDigits: persian,
    });
  const text = typeof value === 'string' ? value : '';
  return persian ? persianizeText(text) : text;
}

function literalText(rv: ResolvedValues, text: string, layer: Extract<Layer, { type: 'text' }>): string {
  const persian = layer.digits
    ? layer.digits === 'persian' || (layer.digits === 'auto' && rv.locale === 'fa')
    : rv.persianDigits();
  return persian ? persianizeText(text) : text;
}

function drawTextLayer(
  ctx: Canvas2D,
  layer: Extract<Layer, { type: 'text' }>,
  fitted: FittedText,
  t: number,
  duration: number,
  c: BlockContext,
  fieldColor: (p: string) => string,
  size: [number, number],
) {
  const color = colorAt(layer.color, t, duration, c.palette, fieldColor);
  const reveal = layer.reveal;
  const from = layer.start ?? 0;
  const style = (i: number): WordStyle => {
    if (!reveal) return { alpha: 1 };
    const k = ramp(t, from + i * reveal.stagger, reveal.duration, easing(reveal.easing));
    const a = Math.min(1, Math.max(0, ramp(t, from + i * reveal.stagger, reveal.duration * 0.6, 'linear')));
    return {
      alpha: a,
      dy: (1 - k) * reveal.rise * c.unit,
      scale: reveal.fromScale + (1 - reveal.fromScale) * k,
    };
  };
  drawText(ctx, fitted, -size[0] / 2, -size[1] / 2, {
    color,
    ...(reveal?.by === 'word' ? { word: (word) => style(word.index) } : {}),
    ...(reveal?.by === 'line' ? { line: (i) => style(i) } : {}),
  });
}

type LayerPaint = NonNullable<ShapeLayer['fill']>;

function applyPaint(
  ctx: Canvas2D,
  p: LayerPaint,
  t: number,
  duration: number,
  c: BlockContext,
  fieldColor: (path: string) => string,
  box: [number, number, number, number],
) {
  if (typeof p === 'object' && 'gradient' in p) ctx.fillStyle = gradientFill(ctx, p, c, fieldColor, box);
  else ctx.fillStyle = colorAt(p, t, duration, c.palette, fieldColor);
}

function gradientFill(
  ctx: Canvas2D,
  g: Pick<GradientPaint, 'gradient' | 'angle' | 'stops'>,
  c: BlockContext,
  fieldColor: (path: string) => string,
  [x, y, w, h]: [number, number, number, number],
) {
  const cx = x + w / 2;
  const cy = y + h / 2;
  let grad: ReturnType<Canvas2D['createLinearGradient']>;
  if (g.gradient === 'linear') {
    const a = g.angle * DEG;
    const dx = Math.cos(a);
    const dy = Math.sin(a);
    // Half the box's extent along the direction, so stops 0 and 1 touch the box corners.
    const half = (Math.abs(dx) * w + Math.abs(dy) * h) / 2;
    grad = ctx.createLinearGradient(cx - dx * half, cy - dy * half, cx + dx * half, cy + dy * half);
  } else grad = ctx.createRadialGradient(cx, cy, 0, cx, cy, Math.hypot(w, h) / 2);
  for (const stop of g.stops) {
    const hex =
      typeof stop.color === 'string' ? resolveColorRef(stop.color, c.palette) : fieldColor(stop.color.field);
    grad.addColorStop(stop.offset, toCss(parseHex(hex)));
  }
  return grad;
}

function shapePath(
  ctx: Canvas2D,
  layer: ShapeLayer,
  [x, y, w, h]: [number, number, number, number],
  u: number,
) {
  ctx.beginPath();
  switch (layer.shape) {
    case 'rect':
      ctx.rect(x, y, w, h);
      return;
    case 'rounded':
      roundRectPath(ctx, x, y, w, h, layer.radius * u);
      return;
    case 'ellipse':
      ctx.ellipse(x + w / 2, y + h / 2, w / 2, h / 2, 0, 0, Math.PI * 2);
      return;
    case 'polygon': {
      const points =
        layer.points ??
        Array.from({ length: layer.sides }, (_, i) => {
          const a = -Math.PI / 2 + (i * 2 * Math.PI) / layer.sides;
          return [0.5 + Math.cos(a) / 2, 0.5 + Math.sin(a) / 2] as [number, number];
        });
      points.forEach(([px, py], i) => {
        if (i === 0) ctx.moveTo(x + px * w, y + py * h);
        else ctx.lineTo(x + px * w, y + py * h);
      });
      ctx.closePath();
      return;
    }
    case 'path': {
      const [vw, vh] = layer.viewBox;
      const sx = w / vw;
      const sy = h / vh;
      // svgpath normalises arcs and shorthand curves to absolute M/L/C/Q/Z, which any canvas draws.
      svgpath(layer.path ?? '')
        .abs()
        .unarc()
        .unshort()
        .iterate((seg, _i, px, py) => {
          const X = (v: number) => x + v * sx;
          const Y = (v: number) => y + v * sy;
          const s = seg as (string | number)[];
          const n = (k: number) => s[k] as number;
          switch (s[0]) {
            case 'M':
              ctx.moveTo(X(n(1)), Y(n(2)));
              break;
            case 'L':
              ctx.lineTo(X(n(1)), Y(n(2)));
              break;
            case 'H':
              ctx.lineTo(X(n(1)), Y(py));
              break;
            case 'V':
              ctx.lineTo(X(px), Y(n(1)));
              break;
            case 'C':
              ctx.bezierCurveTo(X(n(1)), Y(n(2)), X(n(3)), Y(n(4)), X(n(5)), Y(n(6)));
              break;
            case 'Q':
              ctx.quadraticCurveTo(X(n(1)), Y(n(2)), X(n(3)), Y(n(4)));
              break;
            case 'Z':
              ctx.closePath();
              break;
          }
        });
      return;
    }
  }
}
