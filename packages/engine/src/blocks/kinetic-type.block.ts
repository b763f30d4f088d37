import { readableOn, withAlpha } from '../render/color';
import { drawBackdrop, exitRamp, pillPath, ramp } from '../render/draw-kit';
import { baselineY, drawText, lineLeft } from '../text/text-layout';
import { defineBlock, prop } from './block.types';

/** Words wrapped in *stars* are highlighted; returns the clean text and highlighted word indexes. */
export function parseHighlights(text: string): { text: string; highlighted: Set<number> } {
  const highlighted = new Set<number>();
  let inside = false;
  let index = 0;
  for (const token of text.split(/[ \t\n]+/).filter(Boolean)) {
    const opens = token.startsWith('*');
    if (opens) inside = true;
    if (inside && token.replace(/\*/g, '') !== '') highlighted.add(index);
    if (token.endsWith('*') && (token.length > 1 || !opens)) inside = false;
    if (token.replace(/\*/g, '') !== '') index++;
  }
  return {
    text: text
      .replace(/\*/g, '')
      .replace(/[ \t]+/g, ' ')
      .trim(),
    highlighted,
  };
}

export const kineticType = defineBlock({
  id: 'kinetic-type',
  generation: 1,
  title: { fa: 'تایپوگرافی پویا', en: 'Kinetic typography' },
  description: {
    fa: 'کلمه‌ها یکی‌یکی با ضربه ظاهر می‌شوند؛ کلمه‌های بین ستاره‌ها برجسته می‌شوند',
    en: 'Words stomp in one by one; words between *stars* are highlighted',
  },
  duration: { default: 4, min: 2, max: 10 },
  props: {
    text: prop.text({
      label: { fa: 'متن', en: 'Text' },
      default: { fa: 'ایده‌ها را *سریع* به ویدیو تبدیل کن', en: 'Turn ideas into *video* fast' },
      maxLength: 90,
      multiline: true,
    }),
    style: prop.choice({
      label: { fa: 'حرکت', en: 'Motion' },
      options: [
        { value: 'stomp', label: { fa: 'ضربه', en: 'Stomp' } },
        { value: 'rise', label: { fa: 'بالا آمدن', en: 'Rise' } },
      ],
      default: 'stomp',
      editable: true,
    }),
    accent: prop.color('accent', { fa: 'رنگ تأکید', en: 'Accent colour' }),
    textColor: prop.color('text', { fa: 'رنگ متن', en: 'Text colour' }),
  },
  layout(p, c) {
    const { width: w, height: h, unit: u, orientation } = c;
    const { text, highlighted } = parseHighlights(p.text);
    const portrait = orientation === 'portrait';
    const boxW = w * (portrait ? 0.84 : 0.78);
    const boxH = h * (portrait ? 0.56 : 0.66);
    const fitted = c.text('text', {
      prop: 'text',
      text,
      font: c.fonts.display,
      maxSize: u * (portrait ? 0.17 : 0.19),
      minSize: u * 0.05,
      width: boxW,
      height: boxH,
      maxLines: portrait ? 6 : 4,
      lineHeight: 1.28,
      align: 'center',
      multiline: true,
      balance: true,
    });
    return { fitted, highlighted, x: (w - boxW) / 2, y: (h - boxH) / 2 };
  },
  draw(ctx, p, l, { t, duration }, c) {
    const { width: w, height: h, unit: u } = c;
    drawBackdrop(ctx, c, t, { glow: 0.7, lines: true });
    const n = Math.max(1, l.fitted.wordCount);
    const stagger = Math.min(0.3, (duration * 0.5) / n);
    const appear = (i: number) => 0.2 + i * stagger;
    const stomp = p.style === 'stomp';
    // Each stomp nudges the frame; the nudge decays within a quarter second.
    let shake = 0;
    if (stomp)
      for (let i = 0; i < n; i++) {
        const dt = t - appear(i) - 0.12;
        if (dt > 0 && dt < 0.4) shake += Math.exp(-dt * 14) * Math.sin(dt * 70) * u * 0.006;
      }
    const out = exitRamp(t, duration, 0.45);
    const grow = 1 + 0.04 * ramp(t, 0, duration, 'linear') + (1 - out) * 0.06;
    ctx.save();
    ctx.globalAlpha = out;
    ctx.translate(w / 2, h / 2 + shake);
    ctx.scale(grow, grow);
    ctx.translate(-w / 2, -h / 2);
    const style = (index: number) => {
      const k = ramp(t, appear(index), stomp ? 0.28 : 0.55, stomp ? 'cubic-out' : 'back-out');
      const a = ramp(t, appear(index), stomp ? 0.1 : 0.3, 'linear');
      return stomp ? { alpha: a, scale: 1 + (1 - k) * 0.9 } : { alpha: a, dy: (1 - k) * u * 0.06 };
    };
    // Highlight pills go under their words, in the same positions drawText uses.
    const f = l.fitted;
    const padX = f.size * 0.16;
    f.lines.forEach((line, li) => {
      const visual = line.words.reduce((m, word) => Math.max(m, word.x + word.width), 0);
      const left = lineLeft(f, l.x, visual);
      const base = baselineY(f, l.y, li, 'middle');
      for (const word of line.words) {
        if (!l.highlighted.has(word.index)) continue;
        const s = style(word.index);
        if (s.alpha <= 0) continue;
        const k = ramp(t, appear(word.index) + 0.1, 0.35, 'cubic-out');
        const cx = left + word.x + word.width / 2;
        const cy = base - (f.ascent - f.descent) / 2;
        const pw = (word.width + padX * 2) * k;
        const ph = f.size * 1.12;
        ctx.save();
        ctx.globalAlpha *= s.alpha;
        ctx.translate(cx, cy + (s.dy ?? 0));
        ctx.rotate(-0.02);
        pillPath(ctx, -pw / 2, -ph / 2 + f.size * 0.02, pw, ph);
        ctx.fillStyle = p.accent;
        ctx.fill();
        ctx.restore();
      }
    });
    const onAccent = readableOn(p.accent);
    drawText(ctx, f, l.x, l.y, {
      color: p.textColor,
      word: (word) => ({
        ...style(word.index),
        ...(l.highlighted.has(word.index) ? { color: onAccent } : {}),
      }),
      shadow: { color: withAlpha('#000000', 0.25), blur: u * 0.02, offsetY: u * 0.006 },
    });
    ctx.restore();
  },
});
