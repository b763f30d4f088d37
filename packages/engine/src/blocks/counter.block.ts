import { withAlpha } from '../render/color';
import { drawBackdrop, drawLabel, exitRamp, ramp } from '../render/draw-kit';
import { formatNumber } from '../text/digits';
import { baselineY, drawText, lineLeft } from '../text/text-layout';
import { defineBlock, prop } from './block.types';

export const counter = defineBlock({
  id: 'counter',
  generation: 1,
  title: { fa: 'شمارنده عدد', en: 'Number counter' },
  description: {
    fa: 'عدد بزرگ که با حلقهٔ پیشرفت بالا می‌رود',
    en: 'A big number counting up with a progress ring',
  },
  duration: { default: 4, min: 2.5, max: 10 },
  props: {
    value: prop.number({ label: { fa: 'عدد', en: 'Number' }, default: 12500, min: -1e12, max: 1e12 }),
    decimals: prop.number({
      label: { fa: 'رقم اعشار', en: 'Decimals' },
      default: 0,
      min: 0,
      max: 3,
      step: 1,
      editable: false,
    }),
    unit: prop.text({
      label: { fa: 'واحد', en: 'Unit' },
      default: { fa: '+', en: '+' },
      maxLength: 12,
      optional: true,
    }),
    label: prop.text({
      label: { fa: 'توضیح', en: 'Label' },
      default: { fa: 'کاربر فعال در ماه', en: 'monthly active users' },
      maxLength: 60,
      optional: true,
    }),
    primary: prop.color('primary', { fa: 'رنگ اصلی', en: 'Primary colour' }),
    accent: prop.color('accent', { fa: 'رنگ تأکید', en: 'Accent colour' }),
    textColor: prop.color('text', { fa: 'رنگ متن', en: 'Text colour' }),
  },
  layout(p, c) {
    const { width: w, height: h, unit: u, orientation } = c;
    const side = orientation === 'landscape';
    const format = (v: number) => {
      const n = formatNumber(v, { decimals: p.decimals, persian: c.persianDigits });
      return p.unit ? `${n}${/\p{L}/u.test(p.unit) ? ' ' : ''}${p.unit}` : n;
    };
    c.glyphs(
      formatNumber(-1234567890.5, { decimals: 1, persian: c.persianDigits }),
      c.fonts.display,
      'value',
    );
    const ringD = u * (side ? 0.44 : 0.34);
    const textW = side ? w * 0.46 : w * 0.84;
    const number = c.text('value', {
      prop: 'value',
      text: format(p.value),
      font: c.fonts.display,
      maxSize: u * (side ? 0.22 : 0.2),
      minSize: u * 0.06,
      width: textW,
      height: u * 0.3,
      maxLines: 1,
      align: side ? 'start' : 'center',
    });
    const label = p.label
      ? c.text('label', {
          prop: 'label',
          text: p.label,
          font: c.fonts.body,
          maxSize: u * 0.055,
          minSize: u * 0.03,
          width: textW,
          height: u * 0.16,
          maxLines: 2,
          lineHeight: 1.35,
          align: side ? 'start' : 'center',
          balance: true,
        })
      : undefined;
    const gap = u * 0.05;
    const textH = number.height + (label ? label.height + gap * 0.3 : 0);
    if (side) {
      const contentW = Math.max(number.width, label?.width ?? 0);
      const total = ringD + gap * 1.6 + contentW;
      const left = (w - total) / 2;
      const ringX = c.dir === 'rtl' ? left + total - ringD : left;
      const textX = c.dir === 'rtl' ? ringX - gap * 1.6 - textW : left + ringD + gap * 1.6;
      return {
        format,
        number,
        label,
        ringD,
        ringCx: ringX + ringD / 2,
        ringCy: h / 2,
        textX,
        textY: (h - textH) / 2,
        gap,
      };
    }
    const total = ringD + gap + textH;
    const top = (h - total) / 2;
    return {
      format,
      number,
      label,
      ringD,
      ringCx: w / 2,
      ringCy: top + ringD / 2,
      textX: (w - textW) / 2,
      textY: top + ringD + gap,
      gap,
    };
  },
  draw(ctx, p, l, { t, duration }, c) {
    const { unit: u } = c;
    drawBackdrop(ctx, c, t, { lines: true });
    const out = exitRamp(t, duration, 0.5);
    ctx.save();
    ctx.globalAlpha = out;
    const k = ramp(t, 0.3, Math.min(2, duration * 0.5), 'cubic-out');
    const r = l.ringD / 2;
    const enter = ramp(t, 0, 0.6, 'back-out');
    ctx.save();
    ctx.translate(l.ringCx, l.ringCy);
    ctx.scale(enter, enter);
    ctx.lineCap = 'round';
    ctx.strokeStyle = withAlpha(p.textColor, 0.1);
    ctx.lineWidth = u * 0.024;
    ctx.beginPath();
    ctx.arc(0, 0, r, 0, Math.PI * 2);
    ctx.stroke();
    if (k > 0) {
      const g = ctx.createLinearGradient(-r, -r, r, r);
      g.addColorStop(0, p.primary);
      g.addColorStop(1, p.accent);
      ctx.strokeStyle = g;
      ctx.beginPath();
      // Clockwise in ltr, counter-clockwise in rtl: progress runs with the reading direction.
      const start = -Math.PI / 2;
      if (c.dir === 'rtl') ctx.arc(0, 0, r, start, start - k * Math.PI * 2, true);
      else ctx.arc(0, 0, r, start, start + k * Math.PI * 2);
      ctx.stroke();
    }
    // Trend arrow inside the ring.
    const a = ramp(t, 0.5, 0.6, 'back-out');
    ctx.scale(a, a);
    ctx.strokeStyle = p.accent;
    ctx.lineWidth = u * 0.026;
    ctx.lineJoin = 'round';
    const s = r * 0.42;
    ctx.beginPath();
    ctx.moveTo(-s, s * 0.55);
    ctx.lineTo(-s * 0.25, -s * 0.15);
    ctx.lineTo(s * 0.15, s * 0.2);
    ctx.lineTo(s, -s * 0.6);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(s * 0.45, -s * 0.62);
    ctx.lineTo(s, -s * 0.6);
    ctx.lineTo(s * 0.98, -s * 0.05);
    ctx.stroke();
    ctx.restore();

    const n = l.number;
    const value = p.value * k;
    const pop =
      1 + 0.07 * Math.sin(Math.PI * ramp(t, 0.3 + Math.min(2, duration * 0.5) - 0.1, 0.35, 'linear'));
    const text = l.format(value);
    const visibleW = Math.min(n.boxWidth, n.width);
    const left = lineLeft(n, l.textX, visibleW);
    const base = baselineY(n, l.textY, 0, 'top');
    ctx.save();
    ctx.globalAlpha *= ramp(t, 0.15, 0.4);
    const cx = left + visibleW / 2;
    ctx.translate(cx, base);
    ctx.scale(pop, pop);
    ctx.translate(-cx, -base);
    const align =
      n.align === 'center' ? 'center' : (n.align === 'start') === (c.dir === 'ltr') ? 'left' : 'right';
    const x = align === 'center' ? cx : align === 'left' ? l.textX : l.textX + n.boxWidth;
    drawLabel(ctx, text, n.css, x, base, align, c.dir, p.textColor);
    ctx.restore();
    if (l.label) {
      const la = ramp(t, 0.7, 0.6, 'cubic-out');
      ctx.save();
      ctx.globalAlpha *= la;
      drawText(ctx, l.label, l.textX, l.textY + n.height + l.gap * 0.3 + (1 - la) * u * 0.02, {
        color: withAlpha(p.textColor, 0.72),
        valign: 'top',
      });
      ctx.restore();
    }
    ctx.restore();
  },
});
