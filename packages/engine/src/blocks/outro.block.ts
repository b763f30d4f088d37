import { readableOn, withAlpha } from '../render/color';
import { drawBackdrop, exitRamp, lineReveal, pillPath, ramp } from '../render/draw-kit';
import { drawText } from '../text/text-layout';
import { defineBlock, prop } from './block.types';

export const outro = defineBlock({
  id: 'outro',
  generation: 1,
  title: { fa: 'پایان و دعوت به اقدام', en: 'Outro / call to action' },
  description: { fa: 'لوگو، پیام پایانی و دکمه', en: 'Logo, closing line and a button' },
  duration: { default: 4, min: 2.5, max: 10 },
  props: {
    headline: prop.text({
      label: { fa: 'پیام', en: 'Headline' },
      default: { fa: 'همین امروز شروع کنید', en: 'Start today' },
      maxLength: 60,
      multiline: true,
    }),
    cta: prop.text({
      label: { fa: 'متن دکمه', en: 'Button' },
      default: { fa: 'رایگان امتحان کنید', en: 'Try it free' },
      maxLength: 30,
    }),
    handle: prop.text({
      label: { fa: 'نشانی یا شناسه', en: 'Website or handle' },
      default: 'flatrender.app',
      maxLength: 40,
      optional: true,
    }),
    logo: prop.image({
      label: { fa: 'لوگو', en: 'Logo' },
      default: 'builtin:logos/mark.png',
      optional: true,
      minWidth: 128,
    }),
    accent: prop.color('accent', { fa: 'رنگ دکمه', en: 'Button colour' }),
    textColor: prop.color('text', { fa: 'رنگ متن', en: 'Text colour' }),
  },
  layout(p, c) {
    const { width: w, height: h, unit: u, orientation } = c;
    const side = orientation === 'landscape';
    const logo = c.image(p.logo);
    const textW = side ? w * 0.5 : w * 0.84;
    const align = side ? 'start' : 'center';
    const headline = c.text('headline', {
      prop: 'headline',
      text: p.headline,
      font: c.fonts.display,
      maxSize: u * (side ? 0.11 : 0.1),
      minSize: u * 0.045,
      width: textW,
      height: side ? h * 0.36 : h * 0.22,
      maxLines: 3,
      lineHeight: 1.22,
      align,
      multiline: true,
      balance: true,
    });
    const cta = c.text('cta', {
      prop: 'cta',
      text: p.cta,
      font: c.fonts.display,
      maxSize: u * 0.048,
      minSize: u * 0.03,
      width: textW * 0.8,
      height: u * 0.08,
      maxLines: 1,
      align: 'center',
    });
    const handle = p.handle
      ? c.text('handle', {
          prop: 'handle',
          text: p.handle,
          font: c.fonts.body,
          maxSize: u * 0.038,
          minSize: u * 0.024,
          width: textW,
          height: u * 0.07,
          maxLines: 1,
          align,
        })
      : undefined;
    const gap = u * 0.05;
    const buttonH = cta.size * 2.3;
    const buttonW = cta.width + cta.size * 2.4;
    const colH = headline.height + gap + buttonH + (handle ? gap * 0.6 + handle.height : 0);
    const logoSize = logo ? u * (side ? 0.3 : 0.2) : 0;
    if (side) {
      const contentW = Math.max(headline.width, buttonW, handle?.width ?? 0);
      const total = logoSize + (logo ? gap * 2 : 0) + contentW;
      const left = (w - total) / 2;
      const logoX = c.dir === 'rtl' ? left + total - logoSize : left;
      const textX =
        c.dir === 'rtl' ? logoX - (logo ? gap * 2 : 0) - textW : left + logoSize + (logo ? gap * 2 : 0);
      const buttonX = c.dir === 'rtl' ? textX + textW - buttonW : textX;
      const y = (h - colH) / 2;
      return {
        logo,
        logoSize,
        logoX,
        logoY: (h - logoSize) / 2,
        headline,
        cta,
        handle,
        textX,
        y,
        gap,
        buttonW,
        buttonH,
        buttonX,
      };
    }
    const total = logoSize + (logo ? gap : 0) + colH;
    const top = (h - total) / 2;
    const y = top + logoSize + (logo ? gap : 0);
    return {
      logo,
      logoSize,
      logoX: (w - logoSize) / 2,
      logoY: top,
      headline,
      cta,
      handle,
      textX: (w - textW) / 2,
      y,
      gap,
      buttonW,
      buttonH,
      buttonX: (w - buttonW) / 2,
    };
  },
  draw(ctx, p, l, { t, duration }, c) {
    const { unit: u } = c;
    drawBackdrop(ctx, c, t, { lines: true });
    const out = exitRamp(t, duration, 0.6);
    ctx.save();
    ctx.globalAlpha = out;
    if (l.logo) {
      const k = ramp(t, 0, 0.8, 'back-out');
      const s = l.logoSize / Math.max(l.logo.width, l.logo.height);
      const lw = l.logo.width * s;
      const lh = l.logo.height * s;
      ctx.save();
      ctx.globalAlpha *= ramp(t, 0, 0.3, 'linear');
      ctx.translate(l.logoX + l.logoSize / 2, l.logoY + l.logoSize / 2);
      ctx.scale(k, k);
      ctx.drawImage(l.logo, -lw / 2, -lh / 2, lw, lh);
      ctx.restore();
    }
    drawText(ctx, l.headline, l.textX, l.y, {
      color: p.textColor,
      valign: 'top',
      line: lineReveal(t, 0.3, 0.12, 0.7, 0.04, u),
    });
    const by = l.y + l.headline.height + l.gap;
    const b = ramp(t, 0.75, 0.7, 'back-out');
    const pulse = 1 + 0.035 * Math.sin(Math.max(0, t - 1.6) * Math.PI * 1.6) * ramp(t, 1.6, 0.4);
    ctx.save();
    ctx.globalAlpha *= ramp(t, 0.75, 0.2, 'linear');
    ctx.translate(l.buttonX + l.buttonW / 2, by + l.buttonH / 2);
    ctx.scale(b * pulse, b * pulse);
    ctx.translate(-l.buttonW / 2, -l.buttonH / 2);
    ctx.shadowColor = withAlpha(p.accent, 0.45);
    ctx.shadowBlur = u * 0.04;
    ctx.shadowOffsetY = u * 0.01;
    pillPath(ctx, 0, 0, l.buttonW, l.buttonH);
    ctx.fillStyle = p.accent;
    ctx.fill();
    ctx.shadowColor = 'rgba(0,0,0,0)';
    // A light sweep crosses the button once it has landed.
    const sweep = ramp(t, 1.3, 0.9, 'cubic-in-out');
    if (sweep > 0 && sweep < 1) {
      ctx.save();
      pillPath(ctx, 0, 0, l.buttonW, l.buttonH);
      ctx.clip();
      const sx = -l.buttonH + sweep * (l.buttonW + l.buttonH * 2);
      const g = ctx.createLinearGradient(sx - l.buttonH, 0, sx + l.buttonH, 0);
      g.addColorStop(0, 'rgba(255,255,255,0)');
      g.addColorStop(0.5, 'rgba(255,255,255,0.45)');
      g.addColorStop(1, 'rgba(255,255,255,0)');
      ctx.fillStyle = g;
      ctx.fillRect(0, 0, l.buttonW, l.buttonH);
      ctx.restore();
    }
    drawText(ctx, l.cta, (l.buttonW - l.cta.boxWidth) / 2, (l.buttonH - l.cta.boxHeight) / 2, {
      color: readableOn(p.accent),
    });
    ctx.restore();
    if (l.handle) {
      const a = ramp(t, 1.1, 0.6);
      ctx.save();
      ctx.globalAlpha *= a;
      drawText(ctx, l.handle, l.textX, by + l.buttonH + l.gap * 0.6, {
        color: withAlpha(p.textColor, 0.7),
        valign: 'top',
      });
      ctx.restore();
    }
    ctx.restore();
  },
});
