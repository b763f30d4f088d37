import { withAlpha } from '../render/color';
import { drawBackdrop, exitRamp, ramp } from '../render/draw-kit';
import { drawText } from '../text/text-layout';
import { defineBlock, prop } from './block.types';

export const titleCard = defineBlock({
  id: 'title-card',
  generation: 1,
  title: { fa: 'کارت عنوان', en: 'Title card' },
  description: { fa: 'عنوان بزرگ با زیرعنوان و لوگو', en: 'A large title with subtitle and logo' },
  duration: { default: 4, min: 2, max: 10 },
  props: {
    eyebrow: prop.text({
      label: { fa: 'برچسب بالا', en: 'Eyebrow' },
      default: '',
      maxLength: 40,
      optional: true,
    }),
    title: prop.text({
      label: { fa: 'عنوان', en: 'Title' },
      default: { fa: 'عنوان شما اینجا', en: 'Your title here' },
      maxLength: 60,
      multiline: true,
    }),
    subtitle: prop.text({
      label: { fa: 'زیرعنوان', en: 'Subtitle' },
      default: { fa: 'یک جمله کوتاه برای معرفی', en: 'A short line to introduce it' },
      maxLength: 120,
      optional: true,
    }),
    logo: prop.image({ label: { fa: 'لوگو', en: 'Logo' }, optional: true, minWidth: 128 }),
    accent: prop.color('accent', { fa: 'رنگ تأکید', en: 'Accent colour' }),
    textColor: prop.color('text', { fa: 'رنگ متن', en: 'Text colour' }),
  },
  layout(p, c) {
    const { width: w, height: h, unit: u, orientation } = c;
    const portrait = orientation === 'portrait';
    const boxW = w * (portrait ? 0.84 : orientation === 'square' ? 0.8 : 0.7);
    const title = c.text('title', {
      prop: 'title',
      text: p.title,
      font: c.fonts.display,
      maxSize: u * (portrait ? 0.13 : 0.12),
      minSize: u * 0.045,
      width: boxW,
      height: h * (portrait ? 0.34 : 0.38),
      maxLines: portrait ? 4 : 3,
      lineHeight: 1.22,
      align: 'center',
      multiline: true,
      balance: true,
    });
    const subtitle = p.subtitle
      ? c.text('subtitle', {
          prop: 'subtitle',
          text: p.subtitle,
          font: c.fonts.body,
          maxSize: u * 0.05,
          minSize: u * 0.028,
          width: boxW * 0.9,
          height: h * 0.14,
          maxLines: 3,
          lineHeight: 1.45,
          align: 'center',
          balance: true,
        })
      : undefined;
    const eyebrow = p.eyebrow
      ? c.text('eyebrow', {
          prop: 'eyebrow',
          text: p.eyebrow,
          font: c.fonts.body,
          maxSize: u * 0.04,
          minSize: u * 0.024,
          width: boxW,
          height: u * 0.07,
          maxLines: 1,
          align: 'center',
        })
      : undefined;
    const logo = c.image(p.logo);
    const logoH = logo ? u * (portrait ? 0.14 : 0.12) : 0;
    const gap = u * 0.035;
    const rule = u * 0.012;
    const heights = [
      logo ? logoH + gap * 1.2 : 0,
      eyebrow ? eyebrow.height + gap * 0.5 : 0,
      title.height,
      gap + rule + gap,
      subtitle ? subtitle.height : 0,
    ];
    const total = heights.reduce((a, b) => a + b, 0);
    let y = (h - total) / 2 - (portrait ? h * 0.03 : 0);
    const logoY = y;
    y += heights[0]!;
    const eyebrowY = y;
    y += heights[1]!;
    const titleY = y;
    y += title.height + gap;
    const ruleY = y;
    y += rule + gap;
    return {
      boxW,
      title,
      subtitle,
      eyebrow,
      logo,
      logoH,
      logoY,
      eyebrowY,
      titleY,
      ruleY,
      rule,
      subtitleY: y,
    };
  },
  draw(ctx, p, l, time, c) {
    const { t, duration } = time;
    const { width: w, height: h, unit: u } = c;
    drawBackdrop(ctx, c, t, { lines: true });
    // A large slow ring behind the text gives depth without competing with it.
    ctx.save();
    ctx.strokeStyle = withAlpha(p.accent, 0.16);
    ctx.lineWidth = u * 0.004;
    const ringR = u * 0.46 * (0.9 + 0.1 * ramp(t, 0, 1.6, 'cubic-out'));
    ctx.beginPath();
    ctx.arc(w / 2, h / 2, ringR, -Math.PI / 2 + t * 0.15, Math.PI * 1.2 + t * 0.15);
    ctx.stroke();
    ctx.strokeStyle = withAlpha(p.accent, 0.09);
    ctx.beginPath();
    ctx.arc(w / 2, h / 2, ringR * 1.12, Math.PI * 0.3 - t * 0.1, Math.PI * 1.6 - t * 0.1);
    ctx.stroke();
    ctx.restore();

    const out = exitRamp(t, duration, 0.5);
    const lift = (1 - out) * u * 0.03;
    ctx.save();
    ctx.globalAlpha = out;
    ctx.translate(0, -lift);
    const boxX = (w - l.boxW) / 2;
    if (l.logo) {
      const a = ramp(t, 0, 0.6);
      const s = l.logoH / l.logo.height;
      const lw = l.logo.width * s;
      ctx.save();
      ctx.globalAlpha *= a;
      ctx.drawImage(l.logo, (w - lw) / 2, l.logoY + (1 - a) * u * 0.02, lw, l.logoH);
      ctx.restore();
    }
    if (l.eyebrow) {
      const a = ramp(t, 0.1, 0.6);
      ctx.save();
      ctx.globalAlpha *= a;
      drawText(ctx, l.eyebrow, boxX, l.eyebrowY, { color: p.accent, valign: 'top' });
      ctx.restore();
    }
    drawText(ctx, l.title, boxX, l.titleY, {
      color: p.textColor,
      valign: 'top',
      line: (i) => {
        const a = ramp(t, 0.15 + i * 0.12, 0.7, 'cubic-out');
        return { alpha: a, dy: (1 - a) * u * 0.05 };
      },
    });
    const grow = ramp(t, 0.45, 0.8, 'cubic-in-out');
    const ruleW = u * 0.16 * grow;
    ctx.fillStyle = p.accent;
    ctx.beginPath();
    ctx.fillRect((w - ruleW) / 2, l.ruleY, ruleW, l.rule);
    if (l.subtitle) {
      const a = ramp(t, 0.75, 0.7);
      ctx.save();
      ctx.globalAlpha *= a;
      drawText(ctx, l.subtitle, (w - l.boxW * 0.9) / 2, l.subtitleY + (1 - a) * u * 0.02, {
        color: withAlpha(p.textColor, 0.78),
        valign: 'top',
      });
      ctx.restore();
    }
    ctx.restore();
  },
});
