import { describe, expect, it } from 'vitest';
import { baseDirection, strongDirection, visualWordOrder } from './bidi';

describe('bidi', () => {
  it('takes the direction of the first strong character', () => {
    expect(strongDirection('سلام world')).toBe('rtl');
    expect(strongDirection('iPhone ۱۵ بخرم')).toBe('ltr');
    expect(strongDirection('۱۴۰۴ سال نو')).toBe('rtl');
    expect(strongDirection('2025 — ?')).toBeUndefined();
    expect(baseDirection('۱۲۳', 'rtl')).toBe('rtl');
    expect(baseDirection('123', 'ltr')).toBe('ltr');
  });

  it('orders Persian words right to left and keeps embedded English runs left to right', () => {
    const words = ['من', 'با', 'Flat', 'Render', 'کار', 'می‌کنم'];
    const { order, dirs } = visualWordOrder(words, 'rtl');
    // Visual left-to-right: the English run keeps its order inside the reversed Persian line.
    expect(order.map((i) => words[i])).toEqual(['می‌کنم', 'کار', 'Flat', 'Render', 'با', 'من']);
    expect(dirs).toEqual(['rtl', 'rtl', 'ltr', 'ltr', 'rtl', 'rtl']);
  });

  it('orders a Persian phrase inside English text as one reversed run', () => {
    const words = ['Happy', 'نوروز', 'مبارک', 'everyone'];
    const { order } = visualWordOrder(words, 'ltr');
    expect(order.map((i) => words[i])).toEqual(['Happy', 'مبارک', 'نوروز', 'everyone']);
  });

  it('lets numbers follow their neighbours', () => {
    const words = ['سال', '۱۴۰۴', 'مبارک'];
    expect(visualWordOrder(words, 'rtl').dirs).toEqual(['rtl', 'rtl', 'rtl']);
    const mixed = ['iPhone', '15', 'Pro'];
    expect(visualWordOrder(mixed, 'rtl').dirs).toEqual(['ltr', 'ltr', 'ltr']);
    expect(visualWordOrder(mixed, 'rtl').order).toEqual([0, 1, 2]);
  });
});
