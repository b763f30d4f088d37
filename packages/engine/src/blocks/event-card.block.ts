import type { Canvas2D } from '../render/canvas.types';
import { readableOn, withAlpha } from '../render/color';
import { drawBackdrop, exitRamp, fillRoundRect, lineReveal, ramp, softShadow } from '../render/draw-kit';
import { drawText } from '../text/text-layout';
import { defineBlock, prop } from './block.types';

/** Splits a long-format date ("۲۱ اسفند ۱۴۰۳", "March 11, 2025") into day, month and year. */
export function dateParts(formatted: string): { day: string; month: string; year: string } {
  const tokens = formatted.replace(',', '').split(' ').filter(Boolean);
  if (tokens.length >= 3 && /^\p{Nd}+$/u.test(tokens[0]!))
    return { day: tokens[0]!, month: tokens[1]!, year: tokens[2]! };
  if (tokens.length >= 3) return { day: tokens[1]!, month: tokens[0]!, year: tokens[2]! };
  return { day: formatted, month: '', year: '' };
}

function clockIcon(ctx: Canvas2D, x: number, y: number, s: number, color: string) {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = s * 0.12;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.arc(x, y, s * 0.45, 0, Math.PI * 2);
  ctx.moveTo(x, y - s * 0.25);
  ctx.lineTo(x, y);
  ctx.lineTo(x + s * 0.18, y + s * 0.12);
  ctx.stroke();
  ctx.restore();
}

function pinIcon(ctx: Canvas2D, x: number, y: number, s: number, color: string) {
  ctx.save();
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.arc(x, y - s * 0.12, s * 0.34, Math.PI, 0);
  ctx.quadraticCurveTo(x + s * 0.34, y + s * 0.12, x, y + s * 0.5);
  ctx.quadraticCurveTo(x - s * 0.34, y + s * 0.12, x - s * 0.34, y - s * 0.12);
  ctx.fill();
  ctx.globalCompositeOperation = 'destination-out';
  ctx.beginPath();
  ctx.arc(x, y - s * 0.12, s * 0.13, 0, Math.PI * 2);
  ctx.fill();
  ctx.restore();
}

export const eventCard = defineBlock({
  id: 'event-card',
  generation: 1,
  title: { fa: 'کارت رویداد', en: 'Event card' },
  description: {
    fa: 'تاریخ (شمسی در فارسی)، ساعت و مکان رویداد',
    en: 'Event date (Jalali in Persian), time and place',
  },
  duration: { default: 5, min: 3, max: 12 },
  props: {
    title: prop.text({
      label: { fa: 'نام رویداد', en: 'Event' },
      default: { fa: 'همایش طراحی محصول', en: 'Product Design Summit' },
      maxLength: 60,
      multiline: true,
    }),
    date: prop.date({ label: { fa: 'تاریخ', en: 'Date' }, default: '2025-04-20' }),
    time: prop.text({
      label: { fa: 'ساعت', en: 'Time' },
      default: { fa: 'ساعت ۱۸:۰۰', en: '6:00 PM' },
      maxLength: 30,
    }),
    venue: prop.text({
      label: { fa: 'مکان', en: 'Venue' },
      default: { fa: 'تهران، تالار وحدت', en: 'Vahdat Hall, Tehran' },
      maxLength: 60,
    }),
    primary: prop.color('primary', { fa: 'رنگ تقویم', en: 'Calendar colour' }),
    accent: prop.color('accent', { fa: 'رنگ تأکید', en: 'Accent colour' }),
    surface: prop.color('surface', { fa: 'رنگ کارت', en: 'Card colour' }),
    textColor: prop.color('text', { fa: 'رنگ متن', en: 'Text colour' }),
  },
  layout(p, c) {
    const { width: w, height: h, unit: u, orientation } = c;
    const side = orientation === 'landscape';
    const parts = dateParts(p.date);
    const portrait = orientation === 'portrait';
    const badge = u * (side ? 0.42 : portrait ? 0.46 : 0.34);
    const textW = side ? w * 0.44 : w * 0.84;
    const align = side ? 'start' : 'center';
    const day = c.text('day', {
      prop: 'date',
      text: parts.day,
      font: c.fonts.display,
      maxSize: badge * 0.42,
      minSize: badge * 0.2,
      width: badge * 0.86,
      height: badge * 0.48,
      maxLines: 1,
      align: 'center',
    });
    const month = c.text('month', {
      prop: 'date',
      text: parts.month,
      font: c.fonts.display,
      maxSize: badge * 0.13,
      minSize: badge * 0.07,
      width: badge * 0.86,
      height: badge * 0.2,
      maxLines: 1,
      align: 'center',
    });
    const year = c.text('year', {
      prop: 'date',
      text: parts.year,
      font: c.fonts.body,
      maxSize: badge * 0.1,
      minSize: badge * 0.06,
      width: badge * 0.86,
      height: badge * 0.14,
      maxLines: 1,
      align: 'center',
    });
    const title = c.text('title', {
      prop: 'title',
      text: p.title,
      font: c.fonts.display,
      maxSize: u * (side ? 0.085 : portrait ? 0.1 : 0.08),
      minSize: u * 0.04,
      width: textW,
      height: u * 0.3,
      maxLines: 3,
      lineHeight: 1.25,
      align,
      multiline: true,
      balance: true,
    });
    const icon = u * 0.05;
    const rowW = side ? textW - icon * 1.6 : textW;
    const row = (key: 'time' | 'venue') =>
      c.text(key, {
        prop: key,
        text: p[key],
        font: c.fonts.body,
        maxSize: u * (portrait ? 0.055 : 0.045),
        minSize: u * 0.026,
        width: rowW,
        height: u * (portrait ? 0.095 : 0.08),
        maxLines: 1,
        align,
      });
    const time = row('time');
    const venue = row('venue');
    const gap = u * 0.045;
    const colH = title.height + gap + time.boxHeight + venue.boxHeight;
    if (side) {
      const contentW = Math.max(title.width, time.width + icon * 1.6, venue.width + icon * 1.6);
      const total = badge + gap * 2 + contentW;
      const left = (w - total) / 2;
      const badgeX = c.dir === 'rtl' ? left + total - badge : left;
      const textX = c.dir === 'rtl' ? badgeX - gap * 2 - textW : left + badge + gap * 2;
      return {
        side,
        badge,
        badgeX,
        badgeY: (h - badge) / 2,
        day,
        month,
        year,
        title,
        time,
        venue,
        textX,
        textW,
        textY: (h - colH) / 2,
        gap,
        icon,
      };
    }
    const total = badge + gap * 1.5 + colH;
    const top = (h - total) / 2;
    return {
      side,
      badge,
      badgeX: (w - badge) / 2,
      badgeY: top,
      day,
      month,
      year,
      title,
      time,
      venue,
      textX: (w - textW) / 2,
      textW,
      textY: top + badge + gap * 1.5,
      gap,
      icon,
    };
  },
  draw(ctx, p, l, { t, duration }, c) {
    const { unit: u } = c;
    drawBackdrop(ctx, c, t, { lines: true });
    const out = exitRamp(t, duration, 0.5);
    ctx.save();
    ctx.globalAlpha = out;
    // Calendar badge flips down like a page.
    const flip = ramp(t, 0.1, 0.8, 'back-out');
    const b = l.badge;
    ctx.save();
    ctx.translate(l.badgeX, l.badgeY);
    ctx.scale(1, Math.max(0.001, flip));
    softShadow(ctx, c, 0, 0, b, b, b * 0.12);
    fillRoundRect(ctx, 0, 0, b, b, b * 0.12, p.surface);
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, 0, b, b * 0.26);
    ctx.clip();
    fillRoundRect(ctx, 0, 0, b, b, b * 0.12, p.primary);
    ctx.restore();
    for (const rx of [0.3, 0.7])
      fillRoundRect(
        ctx,
        b * rx - b * 0.025,
        -b * 0.05,
        b * 0.05,
        b * 0.12,
        b * 0.025,
        withAlpha(p.textColor, 0.85),
      );
    drawText(ctx, l.month, b * 0.07, b * 0.04, { color: readableOn(p.primary) });
    drawText(ctx, l.day, b * 0.07, b * 0.3, { color: p.textColor });
    drawText(ctx, l.year, b * 0.07, b * 0.78, { color: withAlpha(p.textColor, 0.6) });
    ctx.restore();
    drawText(ctx, l.title, l.textX, l.textY, {
      color: p.textColor,
      valign: 'top',
      line: lineReveal(t, 0.5, 0.12, 0.7, 0.04, u),
    });
    const rows: ['time' | 'venue', number][] = [
      ['time', 0.9],
      ['venue', 1.05],
    ];
    let y = l.textY + l.title.height + l.gap;
    for (const [key, start] of rows) {
      const fitted = l[key];
      const a = ramp(t, start, 0.5, 'cubic-out');
      ctx.save();
      ctx.globalAlpha *= a;
      ctx.translate((1 - a) * u * 0.04 * (c.dir === 'rtl' ? 1 : -1), 0);
      const cy = y + fitted.boxHeight / 2;
      let tx = l.textX;
      if (l.side) {
        const ix = c.dir === 'rtl' ? l.textX + l.textW - l.icon / 2 : l.textX + l.icon / 2;
        if (key === 'time') clockIcon(ctx, ix, cy, l.icon, p.accent);
        else pinIcon(ctx, ix, cy, l.icon, p.accent);
        tx = c.dir === 'rtl' ? l.textX : l.textX + l.icon * 1.6;
      }
      drawText(ctx, fitted, tx, y, { color: withAlpha(p.textColor, 0.85) });
      ctx.restore();
      y += fitted.boxHeight;
    }
    ctx.restore();
  },
});
