import { readableOn, withAlpha } from '../render/color';
import { drawBackdrop, drawImageFit, exitRamp, fillRoundRect, ramp, softShadow } from '../render/draw-kit';
import { drawText } from '../text/text-layout';
import { defineBlock, prop } from './block.types';

export const lowerThird = defineBlock({
  id: 'lower-third',
  generation: 1,
  title: { fa: 'زیرنویس معرفی', en: 'Lower third' },
  description: { fa: 'نام و عنوان روی تصویر', en: 'Name and role over a picture' },
  duration: { default: 5, min: 3, max: 12 },
  props: {
    name: prop.text({
      label: { fa: 'نام', en: 'Name' },
      default: { fa: 'سارا احمدی', en: 'Sara Ahmadi' },
      maxLength: 40,
    }),
    role: prop.text({
      label: { fa: 'عنوان', en: 'Role' },
      default: { fa: 'مدیر محصول', en: 'Head of Product' },
      maxLength: 60,
      optional: true,
    }),
    background: prop.image({
      label: { fa: 'تصویر پس‌زمینه', en: 'Background picture' },
      default: 'builtin:photos/city.jpg',
      optional: true,
      minWidth: 640,
    }),
    accent: prop.color('accent', { fa: 'رنگ تأکید', en: 'Accent colour' }),
    surface: prop.color('surface', { fa: 'رنگ نوار', en: 'Bar colour' }),
    textColor: prop.color('text', { fa: 'رنگ متن', en: 'Text colour' }),
  },
  layout(p, c) {
    const { width: w, height: h, unit: u, orientation } = c;
    const portrait = orientation === 'portrait';
    // Portrait keeps clear of the bottom fifth, where story and reel interfaces draw.
    const maxW = w * (portrait ? 0.84 : orientation === 'square' ? 0.78 : 0.5);
    const pad = u * 0.04;
    const name = c.text('name', {
      prop: 'name',
      text: p.name,
      font: c.fonts.display,
      maxSize: u * 0.07,
      minSize: u * 0.034,
      width: maxW - pad * 2,
      height: u * 0.11,
      maxLines: 1,
      align: 'start',
    });
    const role = p.role
      ? c.text('role', {
          prop: 'role',
          text: p.role,
          font: c.fonts.body,
          maxSize: u * 0.04,
          minSize: u * 0.024,
          width: maxW - pad * 2,
          height: u * 0.06,
          maxLines: 1,
          align: 'start',
        })
      : undefined;
    const nameW = Math.max(name.width, role ? role.width * 0.9 : 0);
    const barW = Math.min(maxW, nameW + pad * 2.4);
    const nameH = name.height + pad * 1.1;
    const roleH = role ? role.height + pad * 0.7 : 0;
    const margin = u * 0.07;
    const bottom = portrait ? h * 0.76 : h - margin * 1.2;
    const x = c.dir === 'rtl' ? w - margin - barW : margin;
    return {
      name,
      role,
      barW,
      nameH,
      roleH,
      x,
      y: bottom - nameH - roleH,
      pad,
      image: c.image(p.background),
    };
  },
  draw(ctx, p, l, { t, duration }, c) {
    const { width: w, height: h, unit: u } = c;
    if (l.image) {
      const k = t / Math.max(duration, 1);
      drawImageFit(ctx, l.image, 0, 0, w, h, { zoom: 1.04 + 0.08 * k, panX: -0.3 + 0.6 * k, panY: 0.1 });
      const shade = ctx.createLinearGradient(0, h * 0.35, 0, h);
      shade.addColorStop(0, withAlpha('#000000', 0));
      shade.addColorStop(1, withAlpha('#000000', 0.55));
      ctx.fillStyle = shade;
      ctx.fillRect(0, 0, w, h);
    } else drawBackdrop(ctx, c, t);
    const out = exitRamp(t, duration, 0.5, 'cubic-in');
    const back = c.dir === 'rtl' ? 1 : -1;
    // Accent tab sweeps in first, then the bar unrolls from it, then the words.
    const tab = ramp(t, 0.2, 0.45, 'cubic-out');
    const bar = ramp(t, 0.45, 0.6, 'cubic-out');
    const tabW = u * 0.014;
    const tabX = c.dir === 'rtl' ? l.x + l.barW : l.x - tabW;
    const exitShift = (1 - out) * (l.barW + u * 0.1) * back;
    ctx.save();
    ctx.translate(exitShift, 0);
    ctx.globalAlpha = out;
    const barH = l.nameH * tab;
    ctx.fillStyle = p.accent;
    ctx.fillRect(tabX, l.y + (l.nameH - barH) / 2, tabW, barH);
    const bw = l.barW * bar;
    if (bw > 1) {
      const bx = c.dir === 'rtl' ? l.x + l.barW - bw : l.x;
      ctx.save();
      ctx.beginPath();
      ctx.rect(bx, l.y - u * 0.1, bw, l.nameH + l.roleH + u * 0.2);
      ctx.clip();
      softShadow(ctx, c, l.x, l.y, l.barW, l.nameH, u * 0.006, 0.8);
      fillRoundRect(ctx, l.x, l.y, l.barW, l.nameH, u * 0.006, p.surface);
      const nameA = ramp(t, 0.75, 0.5, 'cubic-out');
      ctx.globalAlpha *= nameA;
      const nameX = c.dir === 'rtl' ? l.x + l.barW - l.pad * 1.2 - l.name.boxWidth : l.x + l.pad * 1.2;
      drawText(ctx, l.name, nameX, l.y + (l.nameH - l.name.height) / 2, {
        color: p.textColor,
        valign: 'top',
      });
      ctx.restore();
      ctx.globalAlpha = out;
    }
    if (l.role) {
      const k = ramp(t, 0.9, 0.5, 'cubic-out');
      const rw = Math.min(l.barW * 0.9, l.role.width + l.pad * 2) * k;
      if (rw > 1) {
        const rx = c.dir === 'rtl' ? l.x + l.barW - rw : l.x;
        ctx.save();
        ctx.beginPath();
        ctx.rect(rx, l.y + l.nameH, rw, l.roleH);
        ctx.clip();
        ctx.fillStyle = p.accent;
        ctx.fillRect(rx, l.y + l.nameH, rw, l.roleH);
        const roleX = c.dir === 'rtl' ? l.x + l.barW - l.pad - l.role.boxWidth : l.x + l.pad;
        drawText(ctx, l.role, roleX, l.y + l.nameH + (l.roleH - l.role.height) / 2, {
          color: readableOn(p.accent),
          valign: 'top',
        });
        ctx.restore();
      }
    }
    ctx.restore();
  },
});
