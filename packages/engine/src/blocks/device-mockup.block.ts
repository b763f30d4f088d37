import type { Canvas2D, Drawable } from '../render/canvas.types';
import { withAlpha } from '../render/color';
import {
  drawBackdrop,
  drawImageFit,
  exitRamp,
  lineReveal,
  ramp,
  roundRectPath,
  softShadow,
} from '../render/draw-kit';
import { drawText } from '../text/text-layout';
import { type BlockContext, defineBlock, prop } from './block.types';

/** Phone body proportions (width / height) and screen insets, as fractions of the body width. */
const PHONE_RATIO = 0.485;
const LAPTOP_RATIO = 1.45;

function drawPhone(
  ctx: Canvas2D,
  w: number,
  h: number,
  screen: Drawable | undefined,
  scroll: number,
  c: BlockContext,
) {
  const r = w * 0.15;
  const bezel = w * 0.035;
  // Side buttons sit behind the body.
  ctx.fillStyle = '#1c1f26';
  ctx.fillRect(-w * 0.012, h * 0.2, w * 0.02, h * 0.08);
  ctx.fillRect(-w * 0.012, h * 0.31, w * 0.02, h * 0.08);
  ctx.fillRect(w - w * 0.008, h * 0.26, w * 0.02, h * 0.12);
  roundRectPath(ctx, 0, 0, w, h, r);
  const body = ctx.createLinearGradient(0, 0, w, h);
  body.addColorStop(0, '#3a3f4b');
  body.addColorStop(0.5, '#16181d');
  body.addColorStop(1, '#2b2f38');
  ctx.fillStyle = body;
  ctx.fill();
  ctx.save();
  roundRectPath(ctx, bezel, bezel, w - bezel * 2, h - bezel * 2, r - bezel);
  ctx.clip();
  ctx.fillStyle = '#0b0c10';
  ctx.fillRect(0, 0, w, h);
  if (screen)
    drawImageFit(ctx, screen, bezel, bezel, w - bezel * 2, h - bezel * 2, { panY: -1 + scroll * 2 });
  // Glass reflection.
  const glare = ctx.createLinearGradient(0, 0, w, h * 0.6);
  glare.addColorStop(0, 'rgba(255,255,255,0.10)');
  glare.addColorStop(0.45, 'rgba(255,255,255,0.02)');
  glare.addColorStop(0.46, 'rgba(255,255,255,0)');
  ctx.fillStyle = glare;
  ctx.fillRect(0, 0, w, h);
  ctx.restore();
  // Dynamic-island style camera pill.
  ctx.fillStyle = '#050607';
  roundRectPath(ctx, w * 0.36, bezel + w * 0.03, w * 0.28, w * 0.075, w * 0.0375);
  ctx.fill();
  ctx.strokeStyle = withAlpha('#ffffff', 0.12);
  ctx.lineWidth = Math.max(1, c.unit * 0.002);
  roundRectPath(ctx, 0.5, 0.5, w - 1, h - 1, r);
  ctx.stroke();
}

function drawLaptop(
  ctx: Canvas2D,
  w: number,
  h: number,
  screen: Drawable | undefined,
  scroll: number,
  c: BlockContext,
) {
  const lidH = h * 0.9;
  const bezel = w * 0.025;
  roundRectPath(ctx, w * 0.06, 0, w * 0.88, lidH, w * 0.025);
  ctx.fillStyle = '#1b1d23';
  ctx.fill();
  ctx.save();
  const sx = w * 0.06 + bezel;
  const sy = bezel;
  const sw = w * 0.88 - bezel * 2;
  const sh = lidH - bezel * 2.2;
  ctx.beginPath();
  ctx.rect(sx, sy, sw, sh);
  ctx.clip();
  ctx.fillStyle = '#0b0c10';
  ctx.fillRect(sx, sy, sw, sh);
  if (screen) drawImageFit(ctx, screen, sx, sy, sw, sh, { panY: -1 + scroll * 2 });
  ctx.restore();
  ctx.fillStyle = '#050607';
  ctx.beginPath();
  ctx.arc(w / 2, bezel / 2, bezel * 0.18, 0, Math.PI * 2);
  ctx.fill();
  // Base: a thin wedge wider than the lid, with a finger notch.
  const base = ctx.createLinearGradient(0, lidH, 0, h);
  base.addColorStop(0, '#c9ccd3');
  base.addColorStop(1, '#8d9099');
  ctx.fillStyle = base;
  ctx.beginPath();
  ctx.moveTo(0, lidH);
  ctx.lineTo(w, lidH);
  ctx.lineTo(w * 0.97, h);
  ctx.lineTo(w * 0.03, h);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = '#a3a6ae';
  roundRectPath(ctx, w * 0.43, lidH, w * 0.14, (h - lidH) * 0.35, (h - lidH) * 0.17);
  ctx.fill();
  ctx.strokeStyle = withAlpha('#ffffff', 0.1);
  ctx.lineWidth = Math.max(1, c.unit * 0.002);
  roundRectPath(ctx, w * 0.06, 0, w * 0.88, lidH, w * 0.025);
  ctx.stroke();
}

export const deviceMockup = defineBlock({
  id: 'device-mockup',
  generation: 1,
  title: { fa: 'نمایش در گوشی یا لپ‌تاپ', en: 'Device mockup' },
  description: {
    fa: 'تصویر صفحهٔ شما در قاب گوشی یا لپ‌تاپ',
    en: 'Your screenshot in a phone or laptop frame',
  },
  duration: { default: 5, min: 3, max: 12 },
  props: {
    screenshot: prop.image({
      label: { fa: 'تصویر صفحه', en: 'Screenshot' },
      default: 'builtin:screens/app.jpg',
      minWidth: 320,
    }),
    device: prop.choice({
      label: { fa: 'دستگاه', en: 'Device' },
      options: [
        { value: 'phone', label: { fa: 'گوشی', en: 'Phone' } },
        { value: 'laptop', label: { fa: 'لپ‌تاپ', en: 'Laptop' } },
      ],
      default: 'phone',
      editable: true,
    }),
    title: prop.text({
      label: { fa: 'عنوان', en: 'Title' },
      default: { fa: 'همه‌چیز در جیب شما', en: 'Everything in your pocket' },
      maxLength: 60,
      multiline: true,
    }),
    subtitle: prop.text({
      label: { fa: 'توضیح', en: 'Subtitle' },
      default: { fa: 'پرداخت، گزارش و انتقال؛ سریع و امن', en: 'Pay, track and transfer, fast and safe' },
      maxLength: 120,
      optional: true,
    }),
    accent: prop.color('accent', { fa: 'رنگ تأکید', en: 'Accent colour' }),
    primary: prop.color('primary', { fa: 'رنگ اصلی', en: 'Primary colour' }),
    textColor: prop.color('text', { fa: 'رنگ متن', en: 'Text colour' }),
  },
  layout(p, c) {
    const { width: w, height: h, unit: u, orientation } = c;
    const side = orientation === 'landscape';
    const phone = p.device === 'phone';
    const textW = side ? w * 0.4 : w * 0.84;
    const title = c.text('title', {
      prop: 'title',
      text: p.title,
      font: c.fonts.display,
      maxSize: u * (side ? 0.1 : 0.085),
      minSize: u * 0.045,
      width: textW,
      height: side ? h * 0.4 : h * 0.16,
      maxLines: side ? 4 : 2,
      lineHeight: 1.25,
      align: side ? 'start' : 'center',
      multiline: true,
      balance: true,
    });
    const subtitle = p.subtitle
      ? c.text('subtitle', {
          prop: 'subtitle',
          text: p.subtitle,
          font: c.fonts.body,
          maxSize: u * 0.045,
          minSize: u * 0.028,
          width: textW,
          height: side ? h * 0.2 : h * 0.08,
          maxLines: side ? 3 : 2,
          lineHeight: 1.45,
          align: side ? 'start' : 'center',
          balance: true,
        })
      : undefined;
    const gap = u * 0.04;
    const textH = title.height + (subtitle ? gap + subtitle.height : 0);
    let dw: number;
    let dh: number;
    if (side) {
      dh = phone ? h * 0.78 : (w * 0.46) / LAPTOP_RATIO;
      dw = phone ? dh * PHONE_RATIO : w * 0.46;
      // The device is centred in the end half, the text block starts at the start margin.
      const deviceX = c.dir === 'rtl' ? w * 0.27 - dw / 2 : w * 0.73 - dw / 2;
      const textX = c.dir === 'rtl' ? w * 0.92 - textW : w * 0.08;
      return {
        side,
        phone,
        title,
        subtitle,
        gap,
        textX,
        textY: (h - textH) / 2,
        dx: deviceX,
        dy: (h - dh) / 2,
        dw,
        dh,
      };
    }
    const top = h * 0.08;
    const room = h - top - textH - gap * 2 - h * 0.05;
    dh = phone ? Math.min(room, (w * 0.6) / PHONE_RATIO) : Math.min(room, (w * 0.86) / LAPTOP_RATIO);
    dw = phone ? dh * PHONE_RATIO : dh * LAPTOP_RATIO;
    return {
      side,
      phone,
      title,
      subtitle,
      gap,
      textX: (w - textW) / 2,
      textY: top,
      dx: (w - dw) / 2,
      dy: top + textH + gap * 2 + (room - dh) / 2,
      dw,
      dh,
    };
  },
  draw(ctx, p, l, { t, duration }, c) {
    const { unit: u } = c;
    drawBackdrop(ctx, c, t, { glow: 1 });
    const out = exitRamp(t, duration, 0.5);
    ctx.save();
    ctx.globalAlpha = out;
    // Coloured disc behind the device ties it to the brand.
    const k = ramp(t, 0.1, 0.9, 'cubic-out');
    const cx = l.dx + l.dw / 2;
    const cy = l.dy + l.dh / 2;
    ctx.fillStyle = withAlpha(p.primary, 0.9);
    ctx.beginPath();
    ctx.arc(cx, cy, Math.max(l.dw, l.dh) * 0.42 * k, 0, Math.PI * 2);
    ctx.fill();
    ctx.strokeStyle = withAlpha(p.accent, 0.8);
    ctx.lineWidth = u * 0.006;
    ctx.beginPath();
    ctx.arc(cx, cy, Math.max(l.dw, l.dh) * 0.5 * ramp(t, 0.3, 1, 'cubic-out'), 0, Math.PI * 2);
    ctx.stroke();
    const rise = ramp(t, 0.2, 1.1, 'spring(120,14,1)');
    const tilt = (1 - rise) * 0.12 * (c.dir === 'rtl' ? -1 : 1);
    const scroll = ramp(t, 1.2, Math.max(1, duration - 2), 'cubic-in-out') * 0.6;
    ctx.save();
    ctx.translate(cx, cy + (1 - rise) * u * 0.5);
    ctx.rotate(tilt);
    ctx.translate(-l.dw / 2, -l.dh / 2);
    softShadow(ctx, c, l.dw * 0.03, l.dh * 0.03, l.dw * 0.94, l.dh * 0.96, l.dw * 0.12, 1.4);
    const screen = c.image(p.screenshot);
    if (l.phone) drawPhone(ctx, l.dw, l.dh, screen, scroll, c);
    else drawLaptop(ctx, l.dw, l.dh, screen, scroll, c);
    ctx.restore();
    drawText(ctx, l.title, l.textX, l.textY, {
      color: p.textColor,
      valign: 'top',
      line: lineReveal(t, 0.4, 0.12, 0.7, 0.04, u),
    });
    if (l.subtitle) {
      const a = ramp(t, 0.8, 0.6);
      ctx.save();
      ctx.globalAlpha *= a;
      drawText(ctx, l.subtitle, l.textX, l.textY + l.title.height + l.gap, {
        color: withAlpha(p.textColor, 0.75),
        valign: 'top',
      });
      ctx.restore();
    }
    ctx.restore();
  },
});
