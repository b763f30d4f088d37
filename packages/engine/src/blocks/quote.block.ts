import { withAlpha } from '../render/color';
import {
  drawBackdrop,
  drawQuoteMark,
  exitRamp,
  fillRoundRect,
  lineReveal,
  ramp,
  softShadow,
} from '../render/draw-kit';
import { drawText } from '../text/text-layout';
import { defineBlock, prop } from './block.types';

export const quote = defineBlock({
  id: 'quote',
  generation: 1,
  title: { fa: 'نقل‌قول', en: 'Quote' },
  description: { fa: 'نقل‌قول روی کارت با نام گوینده', en: 'A quote on a card with its author' },
  duration: { default: 5, min: 3, max: 12 },
  props: {
    quote: prop.text({
      label: { fa: 'نقل‌قول', en: 'Quote' },
      default: {
        fa: 'سادگی، نهایت پیچیدگی است.',
        en: 'Simplicity is the ultimate sophistication.',
      },
      maxLength: 180,
      multiline: true,
    }),
    author: prop.text({
      label: { fa: 'گوینده', en: 'Author' },
      default: { fa: 'لئوناردو داوینچی', en: 'Leonardo da Vinci' },
      maxLength: 40,
    }),
    role: prop.text({
      label: { fa: 'عنوان گوینده', en: 'Role' },
      default: '',
      maxLength: 50,
      optional: true,
    }),
    avatar: prop.image({ label: { fa: 'تصویر گوینده', en: 'Portrait' }, optional: true, minWidth: 96 }),
    accent: prop.color('accent', { fa: 'رنگ تأکید', en: 'Accent colour' }),
    surface: prop.color('surface', { fa: 'رنگ کارت', en: 'Card colour' }),
    textColor: prop.color('text', { fa: 'رنگ متن', en: 'Text colour' }),
  },
  layout(p, c) {
    const { width: w, height: h, unit: u, orientation } = c;
    const landscape = orientation === 'landscape';
    const cardW = w * (landscape ? 0.74 : 0.86);
    const cardH = h * (landscape ? 0.7 : orientation === 'portrait' ? 0.6 : 0.74);
    const cardX = (w - cardW) / 2;
    const cardY = (h - cardH) / 2;
    const pad = u * (landscape ? 0.08 : 0.07);
    const mark = u * (landscape ? 0.13 : 0.12);
    // Landscape: the mark stands beside the text on the start side; otherwise above it.
    const textX = landscape ? (c.dir === 'rtl' ? cardX + pad : cardX + pad + mark * 1.3) : cardX + pad;
    const textW = cardW - pad * 2 - (landscape ? mark * 1.3 : 0);
    const textTop = cardY + pad + (landscape ? 0 : mark * 1.1);
    const avatar = c.image(p.avatar);
    const authorH = u * 0.16;
    const body = c.text('quote', {
      prop: 'quote',
      text: p.quote,
      font: c.fonts.display,
      maxSize: u * (landscape ? 0.09 : orientation === 'portrait' ? 0.1 : 0.085),
      minSize: u * 0.034,
      width: textW,
      height: cardY + cardH - pad - authorH - textTop,
      maxLines: 7,
      lineHeight: 1.45,
      align: 'start',
      multiline: true,
      balance: true,
    });
    const nameX = avatar ? u * 0.11 : 0;
    const author = c.text('author', {
      prop: 'author',
      text: p.author,
      font: c.fonts.display,
      maxSize: u * 0.046,
      minSize: u * 0.026,
      width: textW - nameX,
      height: u * 0.07,
      maxLines: 1,
      align: 'start',
    });
    const role = p.role
      ? c.text('role', {
          prop: 'role',
          text: p.role,
          font: c.fonts.body,
          maxSize: u * 0.034,
          minSize: u * 0.022,
          width: textW - nameX,
          height: u * 0.05,
          maxLines: 1,
          align: 'start',
        })
      : undefined;
    const markX = c.dir === 'rtl' ? cardX + cardW - pad - mark : cardX + pad;
    return {
      cardX,
      cardY,
      cardW,
      cardH,
      pad,
      mark,
      markX,
      markY: cardY + pad * 0.9,
      textX,
      textW,
      textTop,
      body,
      author,
      role,
      avatar,
      nameX,
      authorY: cardY + cardH - pad - authorH * 0.75,
    };
  },
  draw(ctx, p, l, { t, duration }, c) {
    const { unit: u } = c;
    drawBackdrop(ctx, c, t, { glow: 0.9 });
    const out = exitRamp(t, duration, 0.5);
    const enter = ramp(t, 0, 0.7, 'cubic-out');
    ctx.save();
    ctx.globalAlpha = out * enter;
    ctx.translate(0, (1 - enter) * u * 0.05 - (1 - out) * u * 0.03);
    softShadow(ctx, c, l.cardX, l.cardY, l.cardW, l.cardH, u * 0.04);
    fillRoundRect(ctx, l.cardX, l.cardY, l.cardW, l.cardH, u * 0.04, p.surface);
    // A thin accent edge on the start side of the card.
    const edge = ramp(t, 0.3, 0.8, 'cubic-in-out');
    ctx.fillStyle = p.accent;
    const edgeX = c.dir === 'rtl' ? l.cardX + l.cardW - u * 0.012 : l.cardX;
    ctx.save();
    ctx.beginPath();
    ctx.rect(edgeX, l.cardY + u * 0.05, u * 0.012, (l.cardH - u * 0.1) * edge);
    ctx.fill();
    ctx.restore();
    const mk = ramp(t, 0.25, 0.7, 'back-out');
    ctx.save();
    ctx.translate(l.markX + l.mark / 2, l.markY + l.mark / 2);
    ctx.scale(mk, mk);
    drawQuoteMark(ctx, -l.mark / 2, -l.mark / 2, l.mark, withAlpha(p.accent, 0.95), c.dir === 'rtl');
    ctx.restore();
    drawText(ctx, l.body, l.textX, l.textTop, {
      color: p.textColor,
      valign: 'middle',
      line: lineReveal(t, 0.45, 0.14, 0.7, 0.03, u),
    });
    const a = ramp(t, 0.9 + l.body.lines.length * 0.14, 0.6, 'cubic-out');
    ctx.save();
    ctx.globalAlpha *= a;
    const slide = (1 - a) * u * 0.04 * (c.dir === 'rtl' ? 1 : -1);
    ctx.translate(slide, 0);
    const ruleW = u * 0.05;
    ctx.fillStyle = p.accent;
    const ruleX = c.dir === 'rtl' ? l.textX + l.textW - ruleW : l.textX;
    ctx.fillRect(ruleX, l.authorY - u * 0.03, ruleW, u * 0.006);
    let nameX = l.textX;
    if (l.avatar) {
      const r = u * 0.045;
      const ax = c.dir === 'rtl' ? l.textX + l.textW - r * 2 : l.textX;
      ctx.save();
      ctx.beginPath();
      ctx.arc(ax + r, l.authorY + r * 0.9, r, 0, Math.PI * 2);
      ctx.clip();
      const s = Math.max((r * 2) / l.avatar.width, (r * 2) / l.avatar.height);
      ctx.drawImage(
        l.avatar,
        ax + r - (l.avatar.width * s) / 2,
        l.authorY + r * 0.9 - (l.avatar.height * s) / 2,
        l.avatar.width * s,
        l.avatar.height * s,
      );
      ctx.restore();
      if (c.dir === 'ltr') nameX += l.nameX;
    }
    drawText(ctx, l.author, nameX, l.authorY, { color: p.textColor, valign: 'top' });
    if (l.role)
      drawText(ctx, l.role, nameX, l.authorY + l.author.height, {
        color: withAlpha(p.textColor, 0.65),
        valign: 'top',
      });
    ctx.restore();
    ctx.restore();
  },
});
