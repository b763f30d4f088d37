import { withAlpha } from '../render/color';
import { clamp, drawBackdrop, drawImageFit, exitRamp, pillPath, ramp } from '../render/draw-kit';
import { seededRandom } from '../render/random';
import { drawText, type FittedText } from '../text/text-layout';
import { defineBlock, prop } from './block.types';

type Slide = {
  image?: string;
  caption?: string;
};

export const slideshow = defineBlock({
  id: 'slideshow',
  generation: 1,
  title: { fa: 'نمایش تصاویر', en: 'Image slideshow' },
  description: {
    fa: 'تصاویر با حرکت آرام کن برنز و زیرنویس',
    en: 'Pictures with Ken Burns motion and captions',
  },
  duration: { default: 9, min: 3, max: 40 },
  props: {
    slides: prop.list<Slide>({
      label: { fa: 'تصاویر', en: 'Pictures' },
      item: {
        image: { type: 'image', label: { fa: 'تصویر', en: 'Picture' }, minWidth: 640, aspectHint: 1.6 },
        caption: { type: 'text', label: { fa: 'زیرنویس', en: 'Caption' }, maxLength: 60, optional: true },
      },
      default: {
        fa: [
          { image: 'builtin:photos/mountains.jpg', caption: 'کوهستان در غروب' },
          { image: 'builtin:photos/sea.jpg', caption: 'آرامش دریا' },
          { image: 'builtin:photos/desert.jpg', caption: 'شب‌های کویر' },
        ],
        en: [
          { image: 'builtin:photos/mountains.jpg', caption: 'Mountains at dusk' },
          { image: 'builtin:photos/sea.jpg', caption: 'The calm sea' },
          { image: 'builtin:photos/desert.jpg', caption: 'Desert nights' },
        ],
      },
      minItems: 1,
      maxItems: 12,
    }),
    accent: prop.color('accent', { fa: 'رنگ تأکید', en: 'Accent colour' }),
  },
  layout(p, c) {
    const { width: w, unit: u, orientation } = c;
    const portrait = orientation === 'portrait';
    const captionW = w * (portrait ? 0.82 : 0.6);
    const captions: (FittedText | undefined)[] = p.slides.map((s, i) =>
      s.caption
        ? c.text(`caption-${i}`, {
            prop: 'slides',
            text: s.caption,
            font: c.fonts.display,
            maxSize: u * (portrait ? 0.07 : 0.06),
            minSize: u * 0.032,
            width: captionW,
            height: u * 0.2,
            maxLines: 2,
            lineHeight: 1.3,
            align: portrait ? 'center' : 'start',
            balance: true,
          })
        : undefined,
    );
    const rnd = seededRandom(c.seed);
    // Ken Burns: every slide gets its own zoom direction and pan path.
    const moves = p.slides.map(() => ({
      zoomIn: rnd() < 0.6,
      fromX: rnd() * 1.6 - 0.8,
      toX: rnd() * 1.6 - 0.8,
      fromY: rnd() * 1.2 - 0.6,
      toY: rnd() * 1.2 - 0.6,
    }));
    return { captions, captionW, moves, images: p.slides.map((s) => c.image(s.image)), portrait };
  },
  draw(ctx, p, l, { t, duration }, c) {
    const { width: w, height: h, unit: u } = c;
    const n = Math.max(1, p.slides.length);
    const per = duration / n;
    const fade = Math.min(0.7, per * 0.3);
    drawBackdrop(ctx, c, t);
    const current = clamp(Math.floor(t / per), 0, n - 1);
    // Draw the previous slide under the current one while the current fades in.
    for (const i of [current - 1, current]) {
      if (i < 0) continue;
      const image = l.images[i];
      const local = t - i * per;
      const alpha = i === current ? ramp(local, 0, fade, 'cubic-in-out') : 1;
      if (!image || alpha <= 0) continue;
      const move = l.moves[i]!;
      const k = clamp((t - i * per + fade) / (per + fade * 2), 0, 1);
      const zoom = move.zoomIn ? 1.04 + 0.14 * k : 1.18 - 0.14 * k;
      ctx.save();
      ctx.globalAlpha = i === 0 ? 1 : alpha;
      drawImageFit(ctx, image, 0, 0, w, h, {
        zoom,
        panX: move.fromX + (move.toX - move.fromX) * k,
        panY: move.fromY + (move.toY - move.fromY) * k,
      });
      ctx.restore();
    }
    // Scrim so captions read on any picture.
    const scrim = ctx.createLinearGradient(0, h * 0.45, 0, h);
    scrim.addColorStop(0, withAlpha('#000000', 0));
    scrim.addColorStop(1, withAlpha('#000000', 0.62));
    ctx.fillStyle = scrim;
    ctx.fillRect(0, 0, w, h);
    const caption = l.captions[current];
    if (caption) {
      const local = t - current * per;
      const a =
        ramp(local, fade * 0.6, 0.6, 'cubic-out') *
        exitRamp(local, per, Math.min(0.4, per * 0.2), 'cubic-in');
      const x = l.portrait ? (w - l.captionW) / 2 : c.dir === 'rtl' ? w - u * 0.09 - l.captionW : u * 0.09;
      const y = h * (l.portrait ? 0.7 : 0.74);
      ctx.save();
      ctx.globalAlpha = a;
      if (!l.portrait) {
        ctx.fillStyle = p.accent;
        const bx = c.dir === 'rtl' ? w - u * 0.09 + u * 0.025 : u * 0.09 - u * 0.035;
        ctx.fillRect(bx, y + (caption.boxHeight - caption.height) / 2, u * 0.01, caption.height);
      }
      // Captions sit on the dark scrim over a photo: always light, whatever the palette.
      drawText(ctx, caption, x, y + (1 - a) * u * 0.03, {
        color: '#ffffff',
        shadow: { color: withAlpha('#000000', 0.5), blur: u * 0.02 },
      });
      ctx.restore();
    }
    // Progress: story-style segments at the top in portrait, a thin line at the bottom otherwise.
    if (l.portrait) {
      const gap = u * 0.012;
      const segW = (w - u * 0.12 - gap * (n - 1)) / n;
      for (let i = 0; i < n; i++) {
        const x = u * 0.06 + i * (segW + gap);
        const y = h * 0.05;
        const k = clamp((t - i * per) / per, 0, 1);
        const sx = c.dir === 'rtl' ? w - x - segW : x;
        ctx.fillStyle = withAlpha('#ffffff', 0.3);
        pillPath(ctx, sx, y, segW, u * 0.008);
        ctx.fill();
        if (k > 0) {
          ctx.fillStyle = '#ffffff';
          pillPath(ctx, c.dir === 'rtl' ? sx + segW * (1 - k) : sx, y, segW * k, u * 0.008);
          ctx.fill();
        }
      }
    } else {
      const k = clamp(t / duration, 0, 1);
      ctx.fillStyle = p.accent;
      const pw = w * k;
      ctx.fillRect(c.dir === 'rtl' ? w - pw : 0, h - u * 0.008, pw, u * 0.008);
    }
  },
});
