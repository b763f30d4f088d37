import type { Locale } from '@flatrender/contracts';
import type { Formatter } from './formatting';
import type { ContentOf, NoticeContent, StoredKind } from './notice-content';
import { WEB_PAGES } from './web-links';

/** A notice in words: what every channel shows, in one language. */
export interface RenderedNotice {
  title: string;
  /** Plain text, one or more paragraphs separated by blank lines. */
  body: string;
  /** Path in the web app it points to, if any. */
  link: string | null;
  /** Label of the button leading to `link`. */
  action: string | null;
}

type Bilingual = Record<Locale, string>;
type Texts<K extends StoredKind> = (content: ContentOf<K>, f: Formatter) => Record<Locale, RenderedNotice>;

const pick = (text: Bilingual, locale: Locale) => text[locale];

const JOB_NOUN: Record<ContentOf<'render.completed'>['job_kind'], Bilingual> = {
  video: { fa: 'ویدیوی شما', en: 'Your video' },
  image: { fa: 'تصویر شما', en: 'Your image' },
  mockup: { fa: 'ماکاپ شما', en: 'Your mockup' },
  voiceover: { fa: 'صدای گوینده‌ی شما', en: 'Your voice-over' },
};

/** Why a render failed, said so that a person knows what to do next. */
export const RENDER_FAILURE_REASONS: Record<ContentOf<'render.failed'>['error_code'], Bilingual> = {
  template_invalid: {
    fa: 'قالب این پروژه ایرادی دارد که جلوی ساخت خروجی را می‌گیرد. به ما خبر داده شد؛ تا رفع آن قالب یا نسخه‌ی دیگری را امتحان کنید.',
    en: 'The template has a problem that stops it from rendering. We have been told; until it is fixed, try another template or version.',
  },
  values_invalid: {
    fa: 'بعضی از مقدارهای پروژه برای این قالب معتبر نیستند. پروژه را باز کنید، فیلدهای مشخص‌شده را درست کنید و دوباره بسازید.',
    en: 'Some values in your project are not valid for this template. Open the project, correct the marked fields and render again.',
  },
  font_missing: {
    fa: 'فونتی که قالب لازم دارد روی سرورهای ساخت نصب نیست. کمی بعد دوباره تلاش کنید یا فونت دیگری انتخاب کنید.',
    en: 'A font the template needs is not installed on our render servers. Try again a little later or pick another font.',
  },
  asset_missing: {
    fa: 'یکی از تصویرها یا فایل‌های پروژه دیگر وجود ندارد. آن را جایگزین کنید و دوباره بسازید.',
    en: 'An image or file used in the project no longer exists. Replace it and render again.',
  },
  asset_unreadable: {
    fa: 'یکی از تصویرها یا فایل‌های پروژه خوانده نشد (شاید خراب باشد). آن را جایگزین کنید و دوباره بسازید.',
    en: 'An image or file in the project could not be read (it may be damaged). Replace it and render again.',
  },
  engine_error: {
    fa: 'کشیدن فریم‌ها با خطای پیش‌بینی‌نشده‌ای روبه‌رو شد. دوباره تلاش کنید؛ اگر تکرار شد با پشتیبانی تماس بگیرید.',
    en: 'Drawing the frames failed unexpectedly. Try again; if it happens again, contact support.',
  },
  encoder_failed: {
    fa: 'ساخت فایل ویدیو ناموفق بود. دوباره تلاش کنید یا قالب فایل دیگری انتخاب کنید.',
    en: 'Encoding the file failed. Try again or choose another output format.',
  },
  output_invalid: {
    fa: 'فایل ساخته‌شده از بررسی کیفیت ما رد شد و به همین دلیل تحویل داده نشد. دوباره تلاش کنید.',
    en: 'The finished file did not pass our quality check, so we did not deliver it. Try again.',
  },
  timeout: {
    fa: 'ساخت بیش از حد طول کشید و متوقف شد. ویدیوی کوتاه‌تر یا کیفیت پایین‌تری را امتحان کنید.',
    en: 'The render took too long and was stopped. Try a shorter video or a lower resolution.',
  },
  node_lost: {
    fa: 'سروری که خروجی شما را می‌ساخت چند بار از دسترس خارج شد. دوباره تلاش کنید.',
    en: 'The server rendering your job stopped responding several times. Try again.',
  },
  quota_exceeded: {
    fa: 'سهمیه‌ی ساخت یا فضای ذخیره‌سازی طرح شما تمام شده است. طرح را ارتقا دهید یا فضا آزاد کنید و دوباره بسازید.',
    en: 'Your plan’s render allowance or storage is used up. Upgrade your plan or free some space, then render again.',
  },
  internal: {
    fa: 'مشکلی در سمت ما پیش آمد. دوباره تلاش کنید؛ اگر تکرار شد با پشتیبانی تماس بگیرید.',
    en: 'Something went wrong on our side. Try again; if it happens again, contact support.',
  },
};

const BAN_REASONS: Record<ContentOf<'account.banned'>['reason_code'], Bilingual> = {
  abuse: { fa: 'استفاده‌ی نادرست از سرویس', en: 'abuse of the service' },
  spam: { fa: 'ارسال هرزنامه', en: 'spam' },
  fraud: { fa: 'تقلب', en: 'fraud' },
  terms_violation: { fa: 'نقض قوانین استفاده', en: 'a violation of the terms of use' },
  chargeback: { fa: 'برگشت پرداخت', en: 'a payment chargeback' },
  other: { fa: 'تصمیم مدیران سرویس', en: 'a decision of the service administrators' },
};

const SUSPENSION_REASONS: Record<ContentOf<'tenant.suspended'>['reason_code'], Bilingual> = {
  payment_overdue: { fa: 'پرداخت معوق', en: 'an overdue payment' },
  abuse: { fa: 'استفاده‌ی نادرست از سرویس', en: 'abuse of the service' },
  terms_violation: { fa: 'نقض قوانین استفاده', en: 'a violation of the terms of use' },
  admin: { fa: 'تصمیم مدیران سرویس', en: 'a decision of the service administrators' },
  other: { fa: 'تصمیم مدیران سرویس', en: 'a decision of the service administrators' },
};

const PAYMENT_FAILURE_ADVICE: Record<ContentOf<'payment.failed'>['failure_code'], Bilingual> = {
  cancelled_by_user: {
    fa: 'پرداخت در درگاه لغو شد. هر وقت آماده بودید دوباره پرداخت کنید.',
    en: 'The payment was cancelled at the gateway. Pay again whenever you are ready.',
  },
  insufficient_funds: {
    fa: 'موجودی کارت کافی نبود. با کارت دیگری دوباره پرداخت کنید.',
    en: 'The card did not have enough funds. Try again with another card.',
  },
  declined: {
    fa: 'بانک پرداخت را نپذیرفت. با کارت دیگری امتحان کنید یا با بانک خود تماس بگیرید.',
    en: 'Your bank declined the payment. Try another card or contact your bank.',
  },
  verification_failed: {
    fa: 'پرداخت تأیید نشد. اگر مبلغی از حساب شما کم شده، حداکثر تا ۷۲ ساعت بعد به حسابتان برمی‌گردد.',
    en: 'The payment could not be verified. If money left your account, the bank returns it within 72 hours.',
  },
  expired: {
    fa: 'مهلت پرداخت به پایان رسید. دوباره پرداخت کنید.',
    en: 'The payment session expired. Please pay again.',
  },
  provider_error: {
    fa: 'درگاه پرداخت با خطا روبه‌رو شد. کمی بعد دوباره تلاش کنید.',
    en: 'The payment gateway had an error. Try again a little later.',
  },
};

const CLEANUP_REASONS_TEXT: Record<ContentOf<'storage.cleanup_scheduled'>['reason_code'], Bilingual> = {
  retention_expired: {
    fa: 'مدت نگهداری آن‌ها در طرح شما به پایان رسیده است',
    en: 'they are past the retention period of your plan',
  },
  plan_expired: {
    fa: 'طرح شما به پایان رسیده و فضای طرح فعلی کمتر است',
    en: 'your plan ended and your current plan has less storage',
  },
  quota_exceeded: {
    fa: 'فضای ذخیره‌سازی شما از سهمیه‌ی طرح بیشتر است',
    en: 'your storage is above the quota of your plan',
  },
};

const both = (fa: RenderedNotice, en: RenderedNotice) => ({ fa, en });

const TEXTS: { [K in StoredKind]: Texts<K> } = {
  'account.welcome': (c) =>
    both(
      {
        title: 'به فلت‌رندر خوش آمدید',
        body: `${c.display_name} عزیز، نشانی ایمیل شما تأیید شد. از گالری قالب‌ها یکی را انتخاب کنید و اولین ویدیوی خود را بسازید.`,
        link: WEB_PAGES.home,
        action: 'شروع کنید',
      },
      {
        title: 'Welcome to FlatRender',
        body: `${c.display_name}, your email address is confirmed. Pick a template from the gallery and make your first video.`,
        link: WEB_PAGES.home,
        action: 'Get started',
      },
    ),
  'account.banned': (c, f) =>
    both(
      {
        title: 'حساب شما مسدود شد',
        body: `حساب کاربری شما به دلیل ${pick(BAN_REASONS[c.reason_code], 'fa')} مسدود شد${
          c.banned_until ? ` و تا ${f.date(c.banned_until)} مسدود می‌ماند` : ''
        }. اگر فکر می‌کنید اشتباهی رخ داده، به همین ایمیل پاسخ دهید.`,
        link: null,
        action: null,
      },
      {
        title: 'Your account has been blocked',
        body: `Your account was banned because of ${pick(BAN_REASONS[c.reason_code], 'en')}${
          c.banned_until ? `, until ${f.date(c.banned_until)}` : ''
        }. If you think this is a mistake, reply to this email.`,
        link: null,
        action: null,
      },
    ),
  'security.api_key_created': (c, f) =>
    both(
      {
        title: 'کلید API تازه‌ای ساخته شد',
        body: `کلید «${c.name}» (${c.prefix}…) با دسترسی‌های ${c.scopes.join('، ')} ساخته شد${
          c.expires_at ? ` و تا ${f.date(c.expires_at)} اعتبار دارد` : ''
        }. اگر این کار را شما نکرده‌اید، همین حالا آن را باطل کنید.`,
        link: WEB_PAGES.apiKeys,
        action: 'مدیریت کلیدها',
      },
      {
        title: 'A new API key was created',
        body: `The key “${c.name}” (${c.prefix}…) was created with the scopes ${c.scopes.join(', ')}${
          c.expires_at ? ` and is valid until ${f.date(c.expires_at)}` : ''
        }. If this was not you, revoke it now.`,
        link: WEB_PAGES.apiKeys,
        action: 'Manage keys',
      },
    ),
  'tenant.suspended': (c, f) =>
    both(
      {
        title: `فضای کاری «${c.tenant_name}» معلق شد`,
        body: `فضای کاری «${c.tenant_name}» به دلیل ${pick(SUSPENSION_REASONS[c.reason_code], 'fa')} معلق شد${
          c.suspended_until ? ` و تا ${f.date(c.suspended_until)} معلق می‌ماند` : ''
        }. در این مدت ساخت و بارگذاری ممکن نیست. برای پیگیری به همین ایمیل پاسخ دهید.`,
        link: WEB_PAGES.plan,
        action: 'مشاهده‌ی وضعیت',
      },
      {
        title: `Workspace “${c.tenant_name}” is suspended`,
        body: `The workspace “${c.tenant_name}” was suspended because of ${pick(SUSPENSION_REASONS[c.reason_code], 'en')}${
          c.suspended_until ? `, until ${f.date(c.suspended_until)}` : ''
        }. Renders and uploads are not possible meanwhile. Reply to this email to follow up.`,
        link: WEB_PAGES.plan,
        action: 'See status',
      },
    ),
  'plan.activated': (c, f) =>
    both(
      {
        title: `طرح «${c.plan_name.fa}» فعال شد`,
        body: `طرح «${c.plan_name.fa}» برای فضای کاری شما فعال است${
          c.expires_at ? ` و تا ${f.date(c.expires_at)} اعتبار دارد` : ''
        }.`,
        link: WEB_PAGES.plan,
        action: 'جزئیات طرح',
      },
      {
        title: `Your ${c.plan_name.en} plan is active`,
        body: `The ${c.plan_name.en} plan is now active for your workspace${
          c.expires_at ? ` until ${f.date(c.expires_at)}` : ''
        }.`,
        link: WEB_PAGES.plan,
        action: 'Plan details',
      },
    ),
  'plan.expiring': (c, f) =>
    both(
      {
        title: `طرح «${c.plan_name.fa}» به‌زودی تمام می‌شود`,
        body: `اعتبار طرح «${c.plan_name.fa}» در ${f.dateTime(c.expires_at)} به پایان می‌رسد. برای اینکه امکانات طرح را از دست ندهید، آن را تمدید کنید.`,
        link: WEB_PAGES.plan,
        action: 'تمدید طرح',
      },
      {
        title: `Your ${c.plan_name.en} plan ends soon`,
        body: `Your ${c.plan_name.en} plan ends on ${f.dateTime(c.expires_at)}. Renew it to keep its features.`,
        link: WEB_PAGES.plan,
        action: 'Renew plan',
      },
    ),
  'plan.expired': (c) =>
    both(
      {
        title: 'اعتبار طرح شما تمام شد',
        body: `دوره‌ی طرح ${c.expired_plan_code} به پایان رسید و از این پس طرح «${c.effective_plan_name.fa}» برای شما فعال است. فایل‌هایی که از فضای طرح جدید بیشتر باشند ممکن است پاک شوند؛ پیش از آن خبرتان می‌کنیم.`,
        link: WEB_PAGES.plan,
        action: 'انتخاب طرح',
      },
      {
        title: 'Your plan has ended',
        body: `The ${c.expired_plan_code} plan period ended; the ${c.effective_plan_name.en} plan applies from now on. Files beyond its storage may be removed; we will tell you before that happens.`,
        link: WEB_PAGES.plan,
        action: 'Choose a plan',
      },
    ),
  'payment.succeeded': (c, f) => {
    const purpose = {
      plan_purchase: { fa: 'خرید طرح', en: 'plan purchase' },
      plan_renewal: { fa: 'تمدید طرح', en: 'plan renewal' },
      balance_credit: { fa: 'افزایش اعتبار', en: 'account credit' },
    }[c.purpose];
    return both(
      {
        title: 'پرداخت شما انجام شد',
        body: `پرداخت ${f.money(c.amount)} بابت ${purpose.fa} در ${f.dateTime(c.paid_at)} با موفقیت انجام شد.\n\nشماره‌ی پیگیری: ${f.digits(c.provider_reference)}`,
        link: WEB_PAGES.payments,
        action: 'مشاهده‌ی رسید',
      },
      {
        title: 'Payment received',
        body: `Your payment of ${f.money(c.amount)} for the ${purpose.en} was completed on ${f.dateTime(c.paid_at)}.\n\nReference: ${c.provider_reference}`,
        link: WEB_PAGES.payments,
        action: 'View receipt',
      },
    );
  },
  'payment.failed': (c, f) =>
    both(
      {
        title: 'پرداخت ناموفق بود',
        body: `پرداخت ${f.money(c.amount)} انجام نشد. ${pick(PAYMENT_FAILURE_ADVICE[c.failure_code], 'fa')}`,
        link: WEB_PAGES.payments,
        action: 'پرداخت دوباره',
      },
      {
        title: 'Payment failed',
        body: `Your payment of ${f.money(c.amount)} did not go through. ${pick(PAYMENT_FAILURE_ADVICE[c.failure_code], 'en')}`,
        link: WEB_PAGES.payments,
        action: 'Pay again',
      },
    ),
  'payment.refunded': (c, f) =>
    both(
      {
        title: 'مبلغ پرداخت بازگردانده شد',
        body: `${c.full ? 'تمام مبلغ' : 'بخشی از مبلغ'} پرداخت شما، یعنی ${f.money(c.refunded_amount)}، بازگردانده شد. واریز آن به حساب بانکی ممکن است چند روز کاری طول بکشد.`,
        link: WEB_PAGES.payments,
        action: 'مشاهده‌ی پرداخت‌ها',
      },
      {
        title: 'Payment refunded',
        body: `${c.full ? 'Your payment was refunded in full' : 'Part of your payment was refunded'}: ${f.money(c.refunded_amount)}. It can take a few business days to reach your bank account.`,
        link: WEB_PAGES.payments,
        action: 'View payments',
      },
    ),
  'render.completed': (c, f) => {
    const noun = JOB_NOUN[c.job_kind];
    const facts = (locale: 'fa' | 'en') =>
      [
        c.format.toUpperCase(),
        c.width && c.height ? f.digits(`${c.width}×${c.height}`) : null,
        c.duration_seconds ? f.seconds(c.duration_seconds) : null,
        f.bytes(c.size_bytes),
      ]
        .filter(Boolean)
        .join(locale === 'fa' ? '، ' : ', ');
    return both(
      {
        title: `${noun.fa} آماده است`,
        body: `${noun.fa} (${facts('fa')}) ساخته شد و آماده‌ی دانلود است.${
          c.watermark ? ' این خروجی واترمارک دارد؛ با ارتقای طرح بدون واترمارک بسازید.' : ''
        }`,
        link: WEB_PAGES.render(c.job_id),
        action: 'مشاهده و دانلود',
      },
      {
        title: `${noun.en} is ready`,
        body: `${noun.en} (${facts('en')}) has finished rendering and is ready to download.${
          c.watermark ? ' It carries the watermark; upgrade your plan to render without it.' : ''
        }`,
        link: WEB_PAGES.render(c.job_id),
        action: 'View and download',
      },
    );
  },
  'render.failed': (c) => {
    const noun = JOB_NOUN[c.job_kind];
    const reason = RENDER_FAILURE_REASONS[c.error_code];
    return both(
      {
        title: `ساخت ${noun.fa} ناموفق بود`,
        body: `${reason.fa}${c.retryable ? '\n\nمی‌توانید از صفحه‌ی ساخت آن را دوباره اجرا کنید.' : ''}`,
        link: WEB_PAGES.render(c.job_id),
        action: 'مشاهده‌ی جزئیات',
      },
      {
        title: `${noun.en} could not be rendered`,
        body: `${reason.en}${c.retryable ? '\n\nYou can retry it from the render page.' : ''}`,
        link: WEB_PAGES.render(c.job_id),
        action: 'See details',
      },
    );
  },
  'storage.quota_warning': (c, f) =>
    both(
      {
        title: `${f.number(c.threshold_percent)}٪ فضای ذخیره‌سازی پر شده است`,
        body: `از ${f.bytes(c.quota_bytes)} فضای طرح خود ${f.bytes(c.used_bytes)} را استفاده کرده‌اید. فایل‌های قدیمی را پاک کنید یا طرح را ارتقا دهید.`,
        link: WEB_PAGES.files,
        action: 'مدیریت فایل‌ها',
      },
      {
        title: `Storage is ${c.threshold_percent}% full`,
        body: `You use ${f.bytes(c.used_bytes)} of the ${f.bytes(c.quota_bytes)} your plan allows. Delete old files or upgrade your plan.`,
        link: WEB_PAGES.files,
        action: 'Manage files',
      },
    ),
  'storage.quota_exceeded': (c, f) =>
    both(
      {
        title: 'فضای ذخیره‌سازی پر است',
        body: `${f.bytes(c.used_bytes)} از ${f.bytes(c.quota_bytes)} فضای طرح شما پر شده است. تا فضا آزاد نشود، بارگذاری و ساخت خروجی جدید ممکن نیست.`,
        link: WEB_PAGES.files,
        action: 'آزاد کردن فضا',
      },
      {
        title: 'Storage is full',
        body: `You use ${f.bytes(c.used_bytes)} of ${f.bytes(c.quota_bytes)}. Uploads and new renders are refused until space is freed or your plan grows.`,
        link: WEB_PAGES.files,
        action: 'Free up space',
      },
    ),
  'storage.cleanup_scheduled': (c, f) =>
    both(
      {
        title: 'بعضی از فایل‌های شما پاک خواهند شد',
        body: `${f.number(c.file_count)} فایل (${f.bytes(c.total_bytes)}) در ${f.dateTime(c.scheduled_for)} پاک می‌شوند، چون ${pick(CLEANUP_REASONS_TEXT[c.reason_code], 'fa')}. اگر به آن‌ها نیاز دارید، پیش از آن دانلودشان کنید.`,
        link: WEB_PAGES.files,
        action: 'مشاهده‌ی فایل‌ها',
      },
      {
        title: 'Some of your files will be deleted',
        body: `${c.file_count} file${c.file_count === 1 ? '' : 's'} (${f.bytes(c.total_bytes)}) will be deleted on ${f.dateTime(c.scheduled_for)} because ${pick(CLEANUP_REASONS_TEXT[c.reason_code], 'en')}. Download what you need before then.`,
        link: WEB_PAGES.files,
        action: 'View files',
      },
    ),
  'storage.cleanup_executed': (c, f) =>
    both(
      {
        title: 'فایل‌های قدیمی پاک شدند',
        body: `${f.number(c.deleted_count)} فایل پاک شد و ${f.bytes(c.freed_bytes)} فضا آزاد شد، چون ${pick(CLEANUP_REASONS_TEXT[c.reason_code], 'fa')}.`,
        link: WEB_PAGES.files,
        action: 'مشاهده‌ی فایل‌ها',
      },
      {
        title: 'Old files were deleted',
        body: `${c.deleted_count} file${c.deleted_count === 1 ? ' was' : 's were'} deleted and ${f.bytes(c.freed_bytes)} freed, because ${pick(CLEANUP_REASONS_TEXT[c.reason_code], 'en')}.`,
        link: WEB_PAGES.files,
        action: 'View files',
      },
    ),
  'webhook.endpoint_disabled': (c, f) =>
    both(
      {
        title: 'یک وب‌هوک غیرفعال شد',
        body: `ارسال به ${c.url} ${f.number(c.failures)} بار پشت سر هم ناموفق بود و این وب‌هوک غیرفعال شد. نشانی را بررسی کنید و آن را دوباره فعال کنید؛ رویدادهای ناموفق را می‌توانید از گزارش ارسال‌ها دوباره بفرستید.`,
        link: WEB_PAGES.webhook(c.webhook_id),
        action: 'بررسی وب‌هوک',
      },
      {
        title: 'A webhook endpoint was disabled',
        body: `Deliveries to ${c.url} failed ${c.failures} times in a row, so the endpoint was disabled. Check the URL and enable it again; failed events can be replayed from its delivery log.`,
        link: WEB_PAGES.webhook(c.webhook_id),
        action: 'Check webhook',
      },
    ),
};

/** The notice in the formatter's language. */
export function renderNotice(content: NoticeContent, f: Formatter): RenderedNotice {
  const texts = TEXTS[content.kind] as Texts<StoredKind>;
  return texts(content as ContentOf<StoredKind>, f)[f.locale];
}
