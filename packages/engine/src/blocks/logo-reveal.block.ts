import { withAlpha } from '../render/color';
import { drawBackdrop, exitRamp, ramp } from '../render/draw-kit';
import { drawText } from '../text/text-layout';
import { defineBlock, prop } from './block.types';

export const logoReveal = defineBlock({
  id: 'logo-reveal',
  generation: 1,
  title: { fa: 'نمایش لوگو', en: 'Logo reveal' },
  description: { fa: 'لوگو با موج رنگی و شعار', en: 'Logo with a colour burst and tagline' },
  duration: { default: 4, min: 2.5, max: 8 },
  props: {
    logo: prop.image({ label: { fa: 'لوگو', en: 'Logo' }, default: 'builtin:logos/mark.png', minWidth: 128 }),
    name: prop.text({
      label: { fa: 'نام', en: 'Name' },
      default: { fa: 'فلت‌رندر', en: 'FlatRender' },
      maxLength: 30,
    }),
    tagline: prop.text({
      label: { fa: 'شعار', en: 'Tagline' },
      default: { fa: 'ویدیوهای زیبا در چند دقیقه', en: 'Beautiful videos in minutes' },
      maxLength: 60,
      optional: true,
    }),
    primary: prop.color('primary', { fa: 'رنگ اصلی', en: 'Primary colour' }),
    accent: prop.color('accent', { fa: 'رنگ تأکید', en: 'Accent colour' }),
    textColor: prop.color('text', { fa: 'رنگ متن', en: 'Text colour' }),
  },
  layout(p, c) {
    const { width: w, height: h, unit: u, orientation } = c;
    const logo = c.image(p.logo);
    // Landscape: a horizontal lockup (logo | name + tagline). Portrait and square: stacked.
    const lockup = orientation === 'landscape';
    const logoSize = u * (lockup ? 0.34 : 0.36);
    const textW = lockup ? w * 0.42 : w * 0.84;
    const name = c.text('name', {
      prop: 'name',
      text: p.name,
      font: c.fonts.display,
      maxSize: u * (lockup ? 0.12 : 0.11),
      minSize: u * 0.05,
      width: textW,
      height: u * 0.2,
      maxLines: 1,
      align: lockup ? 'start' : 'center',
    });
    const tagline = p.tagline
      ? c.text('tagline', {
          prop: 'tagline',
          text: p.tagline,
          font: c.fonts.body,
          maxSize: u * 0.042,
          minSize: u * 0.026,
          width: textW,
          height: u * 0.13,
          maxLines: 2,
          lineHeight: 1.4,
          align: lockup ? 'start' : 'center',
          balance: true,
        })
      : undefined;
    const gap = u * 0.04;
    const textH = name.height + (tagline ? gap * 0.5 + tagline.height : 0);
    if (lockup) {
      const contentW = Math.max(name.width, tagline?.width ?? 0);
      const total = logoSize + gap * 2 + contentW;
      const left = (w - total) / 2;
      // The logo sits on the reading start side; the text box is anchored at its start edge.
      const logoX = c.dir === 'rtl' ? left + total - logoSize : left;
      const textX = c.dir === 'rtl' ? logoX - gap * 2 - textW : left + logoSize + gap * 2;
      const dividerX = c.dir === 'rtl' ? logoX - gap : logoX + logoSize + gap;
      return {
        lockup,
        logo,
        logoSize,
        cx: logoX + logoSize / 2,
        cy: h / 2,
        textX,
        textW,
        nameY: (h - textH) / 2,
        name,
        tagline,
        taglineY: (h - textH) / 2 + name.height + gap * 0.5,
        dividerX,
      };
    }
    const total = logoSize + gap * 1.5 + textH;
    const top = (h - total) / 2;
    return {
      lockup,
      logo,
      logoSize,
      cx: w / 2,
      cy: top + logoSize / 2,
      textX: (w - textW) / 2,
      textW,
      nameY: top + logoSize + gap * 1.5,
      name,
      tagline,
      taglineY: top + logoSize + gap * 1.5 + name.height + gap * 0.5,
      dividerX: 0,
    };
  },
  draw(ctx, p, l, { t, duration }, c) {
    const { width: w, height: h, unit: u } = c;
    drawBackdrop(ctx, c, t, { glow: 0.8 });
    const out = exitRamp(t, duration, 0.6);
    ctx.save();
    ctx.globalAlpha = out;
    // Burst: two expanding rings in the brand colours, then a soft halo that stays.
    const reach = Math.hypot(w, h);
    for (const [delay, color, width] of [
      [0, p.primary, 0.06],
      [0.18, p.accent, 0.025],
    ] as const) {
      const k = ramp(t, delay, 1.2, 'cubic-out');
      if (k <= 0 || k >= 1) continue;
      ctx.save();
      ctx.globalAlpha *= 1 - k;
      ctx.strokeStyle = color;
      ctx.lineWidth = u * width * (1 - k * 0.7);
      ctx.beginPath();
      ctx.arc(l.cx, l.cy, l.logoSize * 0.3 + k * reach * 0.45, 0, Math.PI * 2);
      ctx.stroke();
      ctx.restore();
    }
    const halo = ramp(t, 0.3, 1, 'cubic-out');
    const hg = ctx.createRadialGradient(l.cx, l.cy, 0, l.cx, l.cy, l.logoSize * 1.1);
    hg.addColorStop(0, withAlpha(p.primary, 0.45 * halo));
    hg.addColorStop(1, withAlpha(p.primary, 0));
    ctx.fillStyle = hg;
    ctx.fillRect(l.cx - l.logoSize * 1.2, l.cy - l.logoSize * 1.2, l.logoSize * 2.4, l.logoSize * 2.4);

    if (l.logo) {
      const k = ramp(t, 0.25, 0.9, 'back-out');
      const a = ramp(t, 0.25, 0.35, 'linear');
      const s = (0.55 + 0.45 * k) * (1 + 0.03 * Math.sin(Math.max(0, t - 1.2) * 1.4) * ramp(t, 1.2, 0.5));
      const fit = Math.min(l.logoSize / l.logo.width, l.logoSize / l.logo.height);
      const lw = l.logo.width * fit;
      const lh = l.logo.height * fit;
      ctx.save();
      ctx.globalAlpha *= a;
      ctx.translate(l.cx, l.cy);
      ctx.rotate((1 - k) * -0.25);
      ctx.scale(s, s);
      ctx.drawImage(l.logo, -lw / 2, -lh / 2, lw, lh);
      ctx.restore();
    }
    if (l.lockup) {
      const k = ramp(t, 0.7, 0.6, 'cubic-in-out');
      ctx.fillStyle = withAlpha(p.accent, 0.9);
      const dh = l.logoSize * 0.7 * k;
      ctx.fillRect(l.dividerX - u * 0.002, h / 2 - dh / 2, u * 0.004, dh);
    }
    const slide = c.dir === 'rtl' ? -1 : 1;
    const nameIn = ramp(t, 0.85, 0.7, 'cubic-out');
    ctx.save();
    ctx.globalAlpha *= nameIn;
    ctx.translate(l.lockup ? (1 - nameIn) * u * -0.06 * slide : 0, l.lockup ? 0 : (1 - nameIn) * u * 0.04);
    drawText(ctx, l.name, l.textX, l.nameY, { color: p.textColor, valign: 'top' });
    ctx.restore();
    if (l.tagline) {
      const k = ramp(t, 1.15, 0.7, 'cubic-out');
      ctx.save();
      ctx.globalAlpha *= k;
      drawText(ctx, l.tagline, l.textX, l.taglineY + (1 - k) * u * 0.02, {
        color: withAlpha(p.textColor, 0.75),
        valign: 'top',
      });
      ctx.restore();
    }
    ctx.restore();
  },
});
