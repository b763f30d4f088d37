import { mixHex, withAlpha } from '../render/color';
import { drawBackdrop, drawLabel, exitRamp, fillRoundRect, ramp } from '../render/draw-kit';
import { formatNumber } from '../text/digits';
import { baselineY, drawText, type FittedText } from '../text/text-layout';
import { defineBlock, prop } from './block.types';

type Bar = {
  label: string;
  value: number;
};

export const barChart = defineBlock({
  id: 'bar-chart',
  generation: 1,
  title: { fa: 'نمودار میله‌ای', en: 'Bar chart' },
  description: {
    fa: 'ستون‌ها در افقی، میله‌های افقی در عمودی',
    en: 'Columns in landscape, horizontal bars in portrait',
  },
  duration: { default: 6, min: 3, max: 15 },
  props: {
    title: prop.text({
      label: { fa: 'عنوان', en: 'Title' },
      default: { fa: 'فروش فصلی', en: 'Quarterly sales' },
      maxLength: 60,
      optional: true,
    }),
    bars: prop.list<Bar>({
      label: { fa: 'میله‌ها', en: 'Bars' },
      item: {
        label: { type: 'text', label: { fa: 'برچسب', en: 'Label' }, maxLength: 24 },
        value: { type: 'number', label: { fa: 'مقدار', en: 'Value' }, min: 0, max: 1e12 },
      },
      default: {
        fa: [
          { label: 'بهار', value: 42 },
          { label: 'تابستان', value: 58 },
          { label: 'پاییز', value: 51 },
          { label: 'زمستان', value: 76 },
        ],
        en: [
          { label: 'Q1', value: 42 },
          { label: 'Q2', value: 58 },
          { label: 'Q3', value: 51 },
          { label: 'Q4', value: 76 },
        ],
      },
      minItems: 1,
      maxItems: 8,
    }),
    unit: prop.text({
      label: { fa: 'واحد', en: 'Unit' },
      default: { fa: '٪', en: '%' },
      maxLength: 12,
      optional: true,
    }),
    decimals: prop.number({
      label: { fa: 'رقم اعشار', en: 'Decimals' },
      default: 0,
      min: 0,
      max: 3,
      step: 1,
      editable: false,
    }),
    primary: prop.color('primary', { fa: 'رنگ میله', en: 'Bar colour' }),
    accent: prop.color('accent', { fa: 'رنگ بیشترین', en: 'Highest bar colour' }),
    textColor: prop.color('text', { fa: 'رنگ متن', en: 'Text colour' }),
    muted: prop.color('muted', { fa: 'رنگ برچسب', en: 'Label colour' }),
  },
  layout(p, c) {
    const { width: w, height: h, unit: u, orientation } = c;
    const columns = orientation !== 'portrait';
    const margin = u * 0.09;
    const title = p.title
      ? c.text('title', {
          prop: 'title',
          text: p.title,
          font: c.fonts.display,
          maxSize: u * 0.075,
          minSize: u * 0.04,
          width: w - margin * 2,
          height: u * 0.12,
          maxLines: 1,
          align: 'start',
        })
      : undefined;
    const top = margin + (title ? title.boxHeight + u * 0.05 : 0);
    const max = Math.max(...p.bars.map((b) => b.value), 1e-9);
    const valueText = (v: number) =>
      `${formatNumber(v, { decimals: p.decimals, persian: c.persianDigits })}${p.unit ? (/\p{L}/u.test(p.unit) ? ' ' : '') + p.unit : ''}`;
    // Counting up draws every digit and separator on the way.
    c.glyphs(formatNumber(-1234567890.5, { decimals: 1, persian: c.persianDigits }), c.fonts.display, 'bars');
    const n = p.bars.length;
    if (columns) {
      const labelH = u * 0.1;
      const areaW = w - margin * 2;
      const slot = areaW / n;
      const barW = Math.min(slot * 0.58, u * 0.2);
      const bottom = h - margin - labelH;
      const chartTop = top + u * 0.08;
      const labels = p.bars.map((b, i) =>
        c.text(`label-${i}`, {
          prop: 'bars',
          text: b.label,
          font: c.fonts.body,
          maxSize: u * 0.036,
          minSize: u * 0.022,
          width: slot * 0.92,
          height: labelH,
          maxLines: 2,
          lineHeight: 1.2,
          align: 'center',
        }),
      );
      const values = p.bars.map((b, i) =>
        c.text(`value-${i}`, {
          prop: 'bars',
          text: valueText(b.value),
          font: c.fonts.display,
          maxSize: u * 0.045,
          minSize: u * 0.024,
          width: slot * 0.96,
          height: u * 0.07,
          maxLines: 1,
          align: 'center',
        }),
      );
      const slotX = (i: number) => (c.dir === 'rtl' ? w - margin - (i + 1) * slot : margin + i * slot);
      return {
        columns,
        title,
        margin,
        max,
        labels,
        values,
        slot,
        barW,
        bottom,
        chartTop,
        labelH,
        slotX,
        valueText,
        rowH: 0,
        top,
      };
    }
    const rowH = Math.min(u * (orientation === 'portrait' ? 0.3 : 0.22), (h - top - margin) / n);
    const labels = p.bars.map((b, i) =>
      c.text(`label-${i}`, {
        prop: 'bars',
        text: b.label,
        font: c.fonts.body,
        maxSize: u * 0.04,
        minSize: u * 0.024,
        width: (w - margin * 2) * 0.6,
        height: rowH * 0.34,
        maxLines: 1,
        align: 'start',
      }),
    );
    const values = p.bars.map((b, i) =>
      c.text(`value-${i}`, {
        prop: 'bars',
        text: valueText(b.value),
        font: c.fonts.display,
        maxSize: u * 0.045,
        minSize: u * 0.024,
        width: (w - margin * 2) * 0.35,
        height: rowH * 0.34,
        maxLines: 1,
        align: 'end',
      }),
    );
    const used = rowH * n;
    const chartTop = top + (h - top - margin - used) / 2;
    return {
      columns,
      title,
      margin,
      max,
      labels,
      values,
      slot: 0,
      barW: 0,
      bottom: 0,
      chartTop,
      labelH: 0,
      slotX: () => 0,
      valueText,
      rowH,
      top,
    };
  },
  draw(ctx, p, l, { t, duration }, c) {
    const { width: w, unit: u } = c;
    drawBackdrop(ctx, c, t, { glow: 0.6 });
    const out = exitRamp(t, duration, 0.5);
    ctx.save();
    ctx.globalAlpha = out;
    if (l.title) {
      const a = ramp(t, 0, 0.6);
      ctx.save();
      ctx.globalAlpha *= a;
      drawText(ctx, l.title, l.margin, l.margin + (1 - a) * u * 0.02, { color: p.textColor, valign: 'top' });
      ctx.fillStyle = p.accent;
      const rw = u * 0.08 * ramp(t, 0.2, 0.6);
      ctx.fillRect(
        c.dir === 'rtl' ? w - l.margin - rw : l.margin,
        l.margin + l.title.boxHeight + u * 0.01,
        rw,
        u * 0.008,
      );
      ctx.restore();
    }
    const highest = p.bars.reduce((best, b, i) => (b.value > p.bars[best]!.value ? i : best), 0);
    const grow = (i: number) => ramp(t, 0.4 + i * 0.12, 1.0, 'cubic-out');
    const fill = (i: number) =>
      i === highest ? p.accent : mixHex(p.primary, p.accent, 0.12 * (i / Math.max(1, p.bars.length - 1)));
    if (l.columns) {
      const height = l.bottom - l.chartTop;
      // Baseline and faint gridlines.
      ctx.strokeStyle = withAlpha(p.muted, 0.18);
      ctx.lineWidth = Math.max(1, u * 0.0015);
      for (let g = 1; g <= 4; g++) {
        const y = l.bottom - (height * g) / 4;
        ctx.beginPath();
        ctx.moveTo(l.margin, y);
        ctx.lineTo(w - l.margin, y);
        ctx.stroke();
      }
      ctx.fillStyle = withAlpha(p.muted, 0.5);
      ctx.fillRect(l.margin, l.bottom, w - l.margin * 2, Math.max(1, u * 0.003));
      p.bars.forEach((bar, i) => {
        const k = grow(i);
        const x = l.slotX(i);
        const bh = Math.max(0, (bar.value / l.max) * (height - u * 0.08) * k);
        const bx = x + (l.slot - l.barW) / 2;
        if (bh > 0) {
          const g = ctx.createLinearGradient(0, l.bottom - bh, 0, l.bottom);
          g.addColorStop(0, fill(i));
          g.addColorStop(1, withAlpha(fill(i), 0.55));
          fillRoundRect(ctx, bx, l.bottom - bh, l.barW, bh + u * 0.01, u * 0.018, g);
        }
        const label = l.labels[i]!;
        ctx.save();
        ctx.globalAlpha *= ramp(t, 0.3 + i * 0.12, 0.5);
        drawText(ctx, label, x + (l.slot - label.boxWidth) / 2, l.bottom + u * 0.02, {
          color: p.muted,
          valign: 'top',
        });
        const value = l.values[i] as FittedText;
        drawLabel(
          ctx,
          l.valueText(bar.value * k),
          value.css,
          x + l.slot / 2,
          l.bottom - bh - u * 0.03,
          'center',
          c.dir,
          p.textColor,
        );
        ctx.restore();
      });
    } else {
      const areaW = w - l.margin * 2;
      p.bars.forEach((bar, i) => {
        const k = grow(i);
        const y = l.chartTop + i * l.rowH;
        const label = l.labels[i]!;
        const value = l.values[i]!;
        ctx.save();
        ctx.globalAlpha *= ramp(t, 0.3 + i * 0.12, 0.5);
        drawText(ctx, label, c.dir === 'rtl' ? w - l.margin - label.boxWidth : l.margin, y, {
          color: p.muted,
          valign: 'top',
        });
        const vx = c.dir === 'rtl' ? l.margin : w - l.margin;
        drawLabel(
          ctx,
          l.valueText(bar.value * k),
          value.css,
          vx,
          baselineY(value, y, 0, 'top'),
          c.dir === 'rtl' ? 'left' : 'right',
          c.dir,
          p.textColor,
        );
        ctx.restore();
        const barY = y + l.rowH * 0.4;
        const barH = l.rowH * 0.34;
        fillRoundRect(ctx, l.margin, barY, areaW, barH, barH / 2, withAlpha(p.muted, 0.14));
        const bw = Math.max(0, (bar.value / l.max) * areaW * k);
        if (bw > 0) {
          const bx = c.dir === 'rtl' ? w - l.margin - bw : l.margin;
          const g = ctx.createLinearGradient(bx, 0, bx + bw, 0);
          g.addColorStop(c.dir === 'rtl' ? 1 : 0, withAlpha(fill(i), 0.6));
          g.addColorStop(c.dir === 'rtl' ? 0 : 1, fill(i));
          fillRoundRect(ctx, bx, barY, bw, barH, barH / 2, g);
        }
      });
    }
    ctx.restore();
  },
});
