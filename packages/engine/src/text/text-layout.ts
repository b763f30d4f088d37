import { cssFont, type FontFace } from '../fonts/font-spec';
import type { Canvas2D, TextMeasurer } from '../render/canvas.types';
import { baseDirection, type Direction, visualWordOrder } from './bidi';

export type TextAlign = 'start' | 'center' | 'end';

export interface TextSpec {
  text: string;
  font: FontFace;
  /** Largest and smallest font size in px; fitting shrinks from max towards min. */
  maxSize: number;
  minSize: number;
  /** The box the text must fit. */
  width: number;
  height: number;
  lineHeight?: number;
  maxLines?: number;
  align?: TextAlign;
  multiline?: boolean;
  /** Even out line lengths (titles) instead of filling lines greedily (paragraphs). */
  balance?: boolean;
  /**
   * The layout's direction (the locale's): which side "start" is, and the text's direction when
   * it has no strong character of its own. A Latin handle in a Persian layout still aligns right.
   */
  layoutDirection: Direction;
}

export interface LaidWord {
  text: string;
  /** Left edge relative to the line's left edge, in visual order. */
  x: number;
  width: number;
  dir: Direction;
  /** Position of the word in reading order across the whole text (for staggered animation). */
  index: number;
}

export interface LaidLine {
  text: string;
  width: number;
  words: LaidWord[];
}

export interface FittedText {
  /** False when even the minimum size cannot fit the box: a check error, never drawn silently. */
  fits: boolean;
  text: string;
  font: FontFace;
  size: number;
  css: string;
  /** The text's own base direction (first strong character): how the canvas orders its runs. */
  dir: Direction;
  align: TextAlign;
  /** The layout direction that `align` is resolved against. */
  layoutDir: Direction;
  lines: LaidLine[];
  lineAdvance: number;
  ascent: number;
  descent: number;
  /** Widest line and total block height. */
  width: number;
  height: number;
  boxWidth: number;
  boxHeight: number;
  wordCount: number;
}

const SPACES = /[ \t]+/;

/** Splits into paragraphs of words. Only spaces break: ZWNJ and NBSP stay inside their word. */
export function paragraphs(text: string, multiline: boolean): string[][] {
  const normalized = text.replace(/\r\n?/g, '\n');
  const paras = multiline ? normalized.split('\n') : [normalized.replace(/\n/g, ' ')];
  return paras.map((p) => p.split(SPACES).filter((w) => w.length > 0));
}

/** Width measurements cached per measurer, font and string; layout measures the same strings often. */
const caches = new WeakMap<object, Map<string, number>>();

export function measureWidth(m: TextMeasurer, css: string, text: string): number {
  let cache = caches.get(m);
  if (!cache) {
    cache = new Map();
    caches.set(m, cache);
  }
  const key = `${css}\u0000${text}`;
  let w = cache.get(key);
  if (w === undefined) {
    if (m.font !== css) m.font = css;
    w = m.measureText(text).width;
    cache.set(key, w);
  }
  return w;
}

/** Greedy wrap; undefined when a single word is wider than the box. */
function wrap(m: TextMeasurer, css: string, paras: string[][], maxWidth: number): string[][] | undefined {
  const lines: string[][] = [];
  for (const words of paras) {
    if (words.length === 0) {
      lines.push([]);
      continue;
    }
    let line: string[] = [];
    for (const word of words) {
      if (line.length === 0) {
        if (measureWidth(m, css, word) > maxWidth) return undefined;
        line = [word];
        continue;
      }
      const candidate = [...line, word].join(' ');
      if (measureWidth(m, css, candidate) <= maxWidth) line.push(word);
      else {
        lines.push(line);
        if (measureWidth(m, css, word) > maxWidth) return undefined;
        line = [word];
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Narrows the wrap width while the line count stays the same, so lines come out even. */
function balanced(m: TextMeasurer, css: string, paras: string[][], maxWidth: number, lines: string[][]) {
  let lo = 0;
  let hi = maxWidth;
  let best = lines;
  for (let i = 0; i < 12; i++) {
    const mid = (lo + hi) / 2;
    const attempt = wrap(m, css, paras, mid);
    if (attempt && attempt.length === lines.length) {
      best = attempt;
      hi = mid;
    } else lo = mid;
  }
  return best;
}

function fontBox(m: TextMeasurer, css: string, size: number): { ascent: number; descent: number } {
  if (m.font !== css) m.font = css;
  const metrics = m.measureText('Hg');
  return {
    ascent: metrics.fontBoundingBoxAscent ?? size * 0.95,
    descent: metrics.fontBoundingBoxDescent ?? size * 0.3,
  };
}

function layoutAt(m: TextMeasurer, spec: TextSpec, size: number, paras: string[][]) {
  const css = cssFont(spec.font, size);
  const lineHeight = spec.lineHeight ?? 1.3;
  const maxLines = spec.maxLines ?? 3;
  let wrapped = wrap(m, css, paras, spec.width);
  const advance = size * lineHeight;
  const fits =
    wrapped !== undefined && wrapped.length <= maxLines && wrapped.length * advance <= spec.height + 0.01;
  if (fits && spec.balance && wrapped && wrapped.length > 1)
    wrapped = balanced(m, css, paras, spec.width, wrapped);
  return { css, fits, wrapped, advance };
}

/**
 * Wraps the text into the box and shrinks it step by step (about 4 % a step, at least 1 px) from
 * maxSize until it fits, stopping at minSize. The result says whether it fits; a text that does
 * not is reported by checkProject before any render.
 */
export function fitText(m: TextMeasurer, spec: TextSpec): FittedText {
  const dir = baseDirection(spec.text, spec.layoutDirection);
  const paras = paragraphs(spec.text, spec.multiline ?? false);
  const minSize = Math.min(spec.minSize, spec.maxSize);
  let size = Math.round(spec.maxSize * 100) / 100;
  let attempt = layoutAt(m, spec, size, paras);
  while (!attempt.fits && size > minSize) {
    size = Math.max(minSize, Math.min(size - 1, Math.floor(size * 0.96 * 100) / 100));
    attempt = layoutAt(m, spec, size, paras);
  }
  // An unfit text still gets lines (long words overflow on their own line) so a preview can show it.
  const wrapped = attempt.wrapped ?? paras.flatMap((words) => words.map((w) => [w]));
  const { ascent, descent } = fontBox(m, attempt.css, size);
  let index = 0;
  const lines: LaidLine[] = wrapped.map((words) => {
    const text = words.join(' ');
    const widths = words.map((w) => measureWidth(m, attempt.css, w));
    const space = measureWidth(m, attempt.css, ' ');
    const { order, dirs } = visualWordOrder(words, dir);
    let x = 0;
    const laid: LaidWord[] = [];
    for (const i of order) {
      laid.push({ text: words[i]!, x, width: widths[i]!, dir: dirs[i]!, index: index + i });
      x += widths[i]! + space;
    }
    index += words.length;
    laid.sort((a, b) => a.index - b.index);
    return { text, width: words.length ? measureWidth(m, attempt.css, text) : 0, words: laid };
  });
  return {
    fits: attempt.fits,
    text: spec.text,
    font: spec.font,
    size,
    css: attempt.css,
    dir,
    align: spec.align ?? 'start',
    layoutDir: spec.layoutDirection,
    lines,
    lineAdvance: attempt.advance,
    ascent,
    descent,
    width: Math.max(0, ...lines.map((l) => l.width)),
    height: lines.length * attempt.advance,
    boxWidth: spec.width,
    boxHeight: spec.height,
    wordCount: index,
  };
}

export interface WordStyle {
  alpha: number;
  dx?: number;
  dy?: number;
  scale?: number;
  color?: string;
}

export interface DrawTextOptions {
  color: string;
  /** Vertical placement of the block in the box. */
  valign?: 'top' | 'middle' | 'bottom';
  /** Per-word styling (animation); words are drawn whole so joined scripts stay joined. */
  word?: (word: LaidWord, line: number) => WordStyle | undefined;
  /** Per-line styling (animation by line). */
  line?: (line: number) => WordStyle | undefined;
  shadow?: { color: string; blur: number; offsetY?: number };
}

function physicalAlign(align: TextAlign, dir: Direction): 'left' | 'right' | 'center' {
  if (align === 'center') return 'center';
  return (align === 'start') === (dir === 'ltr') ? 'left' : 'right';
}

/** Left edge of a line of `width` inside a box at `x` of `boxWidth`. */
export function lineLeft(fitted: FittedText, x: number, width: number, boxWidth = fitted.boxWidth): number {
  const a = physicalAlign(fitted.align, fitted.layoutDir);
  if (a === 'left') return x;
  if (a === 'right') return x + boxWidth - width;
  return x + (boxWidth - width) / 2;
}

/** Baseline y of line `i` for a block placed in the box at `y`. */
export function baselineY(
  fitted: FittedText,
  y: number,
  i: number,
  valign: DrawTextOptions['valign'] = 'middle',
) {
  const top =
    valign === 'top'
      ? y
      : valign === 'bottom'
        ? y + fitted.boxHeight - fitted.height
        : y + (fitted.boxHeight - fitted.height) / 2;
  const glyphs = fitted.ascent + fitted.descent;
  return top + i * fitted.lineAdvance + (fitted.lineAdvance - glyphs) / 2 + fitted.ascent;
}

/**
 * Draws fitted text in the box whose top-left is (x, y). Whole lines are drawn by the canvas,
 * which shapes and reorders mixed-direction runs itself; per-word styling draws each word at its
 * bidi position instead.
 */
export function drawText(
  ctx: Canvas2D,
  fitted: FittedText,
  x: number,
  y: number,
  opts: DrawTextOptions,
): void {
  ctx.save();
  ctx.font = fitted.css;
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = opts.color;
  if (opts.shadow) {
    ctx.shadowColor = opts.shadow.color;
    ctx.shadowBlur = opts.shadow.blur;
    ctx.shadowOffsetY = opts.shadow.offsetY ?? 0;
  }
  const base = ctx.globalAlpha;
  fitted.lines.forEach((line, i) => {
    const by = baselineY(fitted, y, i, opts.valign);
    const lineStyle = opts.line?.(i);
    if (lineStyle && lineStyle.alpha <= 0) return;
    if (!opts.word) {
      const left = lineLeft(fitted, x, line.width);
      ctx.save();
      if (lineStyle) {
        ctx.globalAlpha = base * lineStyle.alpha;
        if (lineStyle.color) ctx.fillStyle = lineStyle.color;
        const cx = left + line.width / 2;
        const cy = by - (fitted.ascent - fitted.descent) / 2;
        ctx.translate(cx + (lineStyle.dx ?? 0), cy + (lineStyle.dy ?? 0));
        const s = lineStyle.scale ?? 1;
        ctx.scale(s, s);
        ctx.translate(-cx, -cy);
      }
      ctx.direction = fitted.dir;
      ctx.textAlign = 'left';
      ctx.fillText(line.text, left, by);
      ctx.restore();
      return;
    }
    const visualWidth = line.words.reduce((w, word) => Math.max(w, word.x + word.width), 0);
    const left = lineLeft(fitted, x, visualWidth);
    for (const word of line.words) {
      const style = opts.word(word, i);
      if (style && style.alpha <= 0) continue;
      ctx.save();
      const wx = left + word.x;
      if (style) {
        ctx.globalAlpha = base * style.alpha * (lineStyle?.alpha ?? 1);
        if (style.color) ctx.fillStyle = style.color;
        const cx = wx + word.width / 2;
        const cy = by - (fitted.ascent - fitted.descent) / 2;
        ctx.translate(cx + (style.dx ?? 0), cy + (style.dy ?? 0));
        const s = style.scale ?? 1;
        ctx.scale(s, s);
        ctx.translate(-cx, -cy);
      }
      ctx.direction = word.dir;
      ctx.textAlign = 'left';
      ctx.fillText(word.text, wx, by);
      ctx.restore();
    }
  });
  ctx.restore();
}
