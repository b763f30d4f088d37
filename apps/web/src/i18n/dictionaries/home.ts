import { defineDictionary } from '../dictionary';

export const homeText = defineDictionary({
  fa: {
    heroTitle: 'ویدیوی حرفه‌ای در چند دقیقه، به فارسی',
    heroLead:
      'قالبی انتخاب کنید، متن و رنگ و تصویرتان را بگذارید و همان لحظه پیش‌نمایش را ببینید. خروجی دقیقاً همان چیزی است که در استودیو می‌بینید.',
    start: 'شروع رایگان',
    browse: 'دیدن قالب‌ها',
    f1Title: 'پیش‌نمایش زنده',
    f1Body: 'همان موتور و همان قلم‌هایی که خروجی را می‌سازند، پیش‌نمایش را در مرورگر می‌کشند.',
    f2Title: 'راست‌به‌چپ از پایه',
    f2Body: 'حروف پیوستهٔ فارسی، اعداد فارسی و تاریخ شمسی، بدون دردسر.',
    f3Title: 'هر اندازه‌ای',
    f3Body: 'یک قالب برای ۱۶:۹، ۹:۱۶، ۱:۱ و ۴:۵؛ برای یوتیوب، استوری و پست.',
  },
  en: {
    heroTitle: 'Professional videos in minutes, Persian-first',
    heroLead:
      'Pick a template, put in your words, colours and images, and watch the preview change as you type. The output is exactly what the studio shows.',
    start: 'Start free',
    browse: 'Browse templates',
    f1Title: 'Live preview',
    f1Body: 'The same engine and the same fonts that make the output draw the preview in your browser.',
    f2Title: 'Right-to-left at heart',
    f2Body: 'Joined Persian letters, Persian digits and Jalali dates, without a fuss.',
    f3Title: 'Every shape',
    f3Body: 'One template for 16:9, 9:16, 1:1 and 4:5: for YouTube, stories and posts.',
  },
});
