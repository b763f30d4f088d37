import { readableOn, withAlpha } from '../render/color';
import { drawBackdrop, drawLabel, exitRamp, ramp } from '../render/draw-kit';
import { formatNumber } from '../text/digits';
import { baselineY, drawText } from '../text/text-layout';
import { defineBlock, prop } from './block.types';

export const countdown = defineBlock({
  id: 'countdown',
  generation: 1,
  title: { fa: 'شمارش معکوس', en: 'Countdown' },
  description: {
    fa: 'شمارش معکوس با حلقه و پیام پایانی',
    en: 'A countdown with a sweeping ring and a final word',
  },
  duration: { default: 5, min: 3, max: 12 },
  props: {
    title: prop.text({
      label: { fa: 'عنوان', en: 'Title' },
      default: { fa: 'حراج بزرگ شروع می‌شود', en: 'The big sale starts in' },
      maxLength: 50,
      optional: true,
    }),
    from: prop.number({ label: { fa: 'شروع از', en: 'Count from' }, default: 3, min: 1, max: 10, step: 1 }),
    final: prop.text({
      label: { fa: 'پیام پایانی', en: 'Final word' },
      default: { fa: 'همین حالا!', en: 'Now!' },
      maxLength: 20,
    }),
    primary: prop.color('primary', { fa: 'رنگ اصلی', en: 'Primary colour' }),
    accent: prop.color('accent', { fa: 'رنگ تأکید', en: 'Accent colour' }),
    textColor: prop.color('text', { fa: 'رنگ متن', en: 'Text colour' }),
  },
  layout(p, c) {
    const { width: w, height: h, unit: u, orientation } = c;
    const portrait = orientation === 'portrait';
    const ringD = u * (portrait ? 0.62 : 0.5);
    const title = p.title
      ? c.text('title', {
          prop: 'title',
          text: p.title,
          font: c.fonts.display,
          maxSize: u * 0.075,
          minSize: u * 0.04,
          width: w * 0.84,
          height: u * 0.2,
          maxLines: 2,
          lineHeight: 1.25,
          align: 'center',
          balance: true,
        })
      : undefined;
    const digits = c.text('digits', {
      prop: 'from',
      text: formatNumber(p.from, { persian: c.persianDigits }),
      font: c.fonts.display,
      maxSize: ringD * 0.5,
      minSize: ringD * 0.2,
      width: ringD * 0.8,
      height: ringD * 0.7,
      maxLines: 1,
      align: 'center',
    });
    c.glyphs(
      formatNumber(1234567890, { persian: c.persianDigits, grouping: false }),
      c.fonts.display,
      'from',
    );
    const final = c.text('final', {
      prop: 'final',
      text: p.final,
      font: c.fonts.display,
      maxSize: ringD * 0.26,
      minSize: ringD * 0.1,
      width: ringD * 0.84,
      height: ringD * 0.5,
      maxLines: 1,
      align: 'center',
    });
    const gap = u * 0.06;
    const total = (title ? title.height + gap : 0) + ringD;
    const top = (h - total) / 2;
    return {
      title,
      digits,
      final,
      ringD,
      titleY: top,
      cx: w / 2,
      cy: top + (title ? title.height + gap : 0) + ringD / 2,
    };
  },
  draw(ctx, p, l, { t, duration }, c) {
    const { width: w, unit: u } = c;
    drawBackdrop(ctx, c, t, { glow: 1 });
    const out = exitRamp(t, duration, 0.4);
    const hold = Math.min(1.2, duration * 0.3);
    const step = (duration - hold - 0.2) / p.from;
    const i = Math.floor((t - 0.2) / step);
    const counting = t >= 0.2 && i < p.from;
    const local = t - 0.2 - i * step;
    ctx.save();
    ctx.globalAlpha = out;
    if (l.title) {
      const a = ramp(t, 0, 0.5);
      ctx.save();
      ctx.globalAlpha *= a;
      drawText(ctx, l.title, (w - l.title.boxWidth) / 2, l.titleY, { color: p.textColor, valign: 'top' });
      ctx.restore();
    }
    const r = l.ringD / 2;
    ctx.lineCap = 'round';
    ctx.lineWidth = u * 0.02;
    ctx.strokeStyle = withAlpha(p.textColor, 0.1);
    ctx.beginPath();
    ctx.arc(l.cx, l.cy, r, 0, Math.PI * 2);
    ctx.stroke();
    if (counting) {
      // The ring empties over each second; the number stomps in at its start.
      const k = Math.min(1, local / step);
      ctx.strokeStyle = p.accent;
      ctx.beginPath();
      const start = -Math.PI / 2;
      if (c.dir === 'rtl') ctx.arc(l.cx, l.cy, r, start, start - (1 - k) * Math.PI * 2, true);
      else ctx.arc(l.cx, l.cy, r, start, start + (1 - k) * Math.PI * 2);
      ctx.stroke();
      const n = p.from - i;
      const s = 1 + 0.5 * (1 - ramp(local, 0, 0.3, 'cubic-out'));
      const a = ramp(local, 0, 0.12, 'linear') * (1 - ramp(local, step - 0.15, 0.15, 'linear'));
      ctx.save();
      ctx.globalAlpha *= a;
      const base = baselineY(l.digits, l.cy - l.digits.boxHeight / 2, 0, 'middle');
      ctx.translate(l.cx, l.cy);
      ctx.scale(s, s);
      ctx.translate(-l.cx, -l.cy);
      drawLabel(
        ctx,
        formatNumber(n, { persian: c.persianDigits }),
        l.digits.css,
        l.cx,
        base,
        'center',
        c.dir,
        p.textColor,
      );
      ctx.restore();
    } else if (t >= 0.2) {
      const local2 = t - 0.2 - p.from * step;
      const k = ramp(local2, 0, 0.5, 'back-out');
      ctx.fillStyle = p.primary;
      ctx.beginPath();
      ctx.arc(l.cx, l.cy, r * k, 0, Math.PI * 2);
      ctx.fill();
      const burst = ramp(local2, 0, 0.8, 'cubic-out');
      ctx.save();
      ctx.globalAlpha *= 1 - burst;
      ctx.strokeStyle = p.accent;
      ctx.lineWidth = u * 0.03 * (1 - burst);
      ctx.beginPath();
      ctx.arc(l.cx, l.cy, r * (1 + burst * 0.8), 0, Math.PI * 2);
      ctx.stroke();
      ctx.restore();
      ctx.save();
      ctx.translate(l.cx, l.cy);
      ctx.rotate(-0.06 * k);
      ctx.scale(k, k);
      ctx.translate(-l.cx, -l.cy);
      drawText(ctx, l.final, l.cx - l.final.boxWidth / 2, l.cy - l.final.boxHeight / 2, {
        color: readableOn(p.primary),
      });
      ctx.restore();
    }
    ctx.restore();
  },
});
