import { toJalaali } from 'jalaali-js';
import type { Locale } from '../template/template.schema';
import { toPersianDigits } from './digits';

export type DateStyle = 'long' | 'short' | 'weekday';
export type Calendar = 'auto' | 'jalali' | 'gregorian';

const JALALI_MONTHS = [
  'فروردین',
  'اردیبهشت',
  'خرداد',
  'تیر',
  'مرداد',
  'شهریور',
  'مهر',
  'آبان',
  'آذر',
  'دی',
  'بهمن',
  'اسفند',
];
const JALALI_MONTHS_EN = [
  'Farvardin',
  'Ordibehesht',
  'Khordad',
  'Tir',
  'Mordad',
  'Shahrivar',
  'Mehr',
  'Aban',
  'Azar',
  'Dey',
  'Bahman',
  'Esfand',
];
const GREGORIAN_MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const GREGORIAN_MONTHS_FA = [
  'ژانویه',
  'فوریه',
  'مارس',
  'آوریل',
  'مه',
  'ژوئن',
  'ژوئیه',
  'اوت',
  'سپتامبر',
  'اکتبر',
  'نوامبر',
  'دسامبر',
];
// Index = JavaScript getUTCDay() (0 = Sunday).
const WEEKDAYS_FA = ['یکشنبه', 'دوشنبه', 'سه‌شنبه', 'چهارشنبه', 'پنجشنبه', 'جمعه', 'شنبه'];
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Parses "YYYY-MM-DD"; undefined when it is not a real calendar date. */
export function parseIsoDate(iso: string): { y: number; m: number; d: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return undefined;
  return { y, m: mo, d };
}

export interface DateFormatOptions {
  locale: Locale;
  calendar?: Calendar;
  style?: DateStyle;
  persianDigits?: boolean;
}

/**
 * A date for display: Jalali in fa and Gregorian in en by default ("۲۱ اسفند ۱۴۰۳",
 * "March 11, 2025"); `short` gives numbers only ("۱۴۰۳/۱۲/۲۱", "2025-03-11").
 */
export function formatDate(iso: string, opts: DateFormatOptions): string {
  const date = parseIsoDate(iso);
  if (!date) throw new Error(`not a date: "${iso}"`);
  const calendar =
    opts.calendar === undefined || opts.calendar === 'auto'
      ? opts.locale === 'fa'
        ? 'jalali'
        : 'gregorian'
      : opts.calendar;
  const style = opts.style ?? 'long';
  const persian = opts.persianDigits ?? opts.locale === 'fa';
  const weekday = new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
  let text: string;
  if (calendar === 'jalali') {
    const j = toJalaali(date.y, date.m, date.d);
    if (style === 'short') text = `${j.jy}/${pad(j.jm)}/${pad(j.jd)}`;
    else if (opts.locale === 'fa') {
      text = `${j.jd} ${JALALI_MONTHS[j.jm - 1]} ${j.jy}`;
      if (style === 'weekday') text = `${WEEKDAYS_FA[weekday]}، ${text}`;
    } else {
      text = `${j.jd} ${JALALI_MONTHS_EN[j.jm - 1]} ${j.jy}`;
      if (style === 'weekday') text = `${WEEKDAYS_EN[weekday]}, ${text}`;
    }
  } else if (style === 'short') text = `${date.y}-${pad(date.m)}-${pad(date.d)}`;
  else if (opts.locale === 'fa') {
    text = `${date.d} ${GREGORIAN_MONTHS_FA[date.m - 1]} ${date.y}`;
    if (style === 'weekday') text = `${WEEKDAYS_FA[weekday]}، ${text}`;
  } else {
    text = `${GREGORIAN_MONTHS_EN[date.m - 1]} ${date.d}, ${date.y}`;
    if (style === 'weekday') text = `${WEEKDAYS_EN[weekday]}, ${text}`;
  }
  return persian ? toPersianDigits(text) : text;
}

const pad = (n: number) => String(n).padStart(2, '0');
