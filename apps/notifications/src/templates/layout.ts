import { DEFAULT_LANGUAGE, INTL_LOCALES, type Language } from '@app/contracts/i18n/languages';
import { serverT } from '@app/platform';
import type { TFunction } from 'i18next';

/** What every template produces: one message, rendered for each channel. */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  sms: string;
  inApp: { title: string; body: string; link?: string };
}

/** Facts about the recipient and the portal that templates may use. */
export interface TemplateContext {
  firstName?: string;
  timeZone?: string;
  /** The recipient's language (profile field `language`); English when unknown. */
  language?: Language;
  publicUrl: string;
}

/**
 * The recipient's texts (libs/contracts/src/i18n/server, namespace `notifications`): every sentence of a
 * message is one key, rendered whole with its values.
 */
export function textsFor(ctx: TemplateContext): TFunction {
  return serverT(ctx.language ?? DEFAULT_LANGUAGE);
}

function localeOf(ctx: Pick<TemplateContext, 'language'>): string {
  return INTL_LOCALES[ctx.language ?? DEFAULT_LANGUAGE];
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

export function trackingLink(publicUrl: string, trackingNumber: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/track/${encodeURIComponent(trackingNumber)}`;
}

const FORMATS = {
  date: { dateStyle: 'full' },
  dateTime: {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * Formatters by format and time zone. Building an Intl.DateTimeFormat costs far more than using
 * one (it showed in the CPU profile of an arrival burst); valid zones are a finite set, and an
 * unknown zone is not kept (it falls back to UTC's formatter).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(format: keyof typeof FORMATS, timeZone: string | undefined, locale = 'en-US'): Intl.DateTimeFormat {
  const zone = timeZone || 'UTC';
  const key = `${format}|${zone}|${locale}`;
  const known = formatters.get(key);
  if (known) return known;
  let built: Intl.DateTimeFormat;
  try {
    built = new Intl.DateTimeFormat(locale, { ...FORMATS[format], timeZone: zone });
  } catch {
    return zone === 'UTC' ? new Intl.DateTimeFormat(locale, FORMATS[format]) : formatter(format, 'UTC', locale);
  }
  formatters.set(key, built);
  return built;
}

/** A day in the recipient's language and time zone (`Tuesday, May 6, 2025`, `martes, 6 de mayo de 2025`). */
export function formatDate(iso: string, timeZone?: string, ctx: Pick<TemplateContext, 'language'> = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter('date', timeZone, localeOf(ctx)).format(date);
}

/** An instant in the recipient's language and time zone, with the zone's name. */
export function formatDateTime(iso: string, timeZone?: string, ctx: Pick<TemplateContext, 'language'> = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter('dateTime', timeZone, localeOf(ctx)).format(date);
}

/** A calendar day (`YYYY-MM-DD`, no zone) in the recipient's language, e.g. `Tuesday, May 6, 2025`. */
export function formatDay(date: string, ctx: Pick<TemplateContext, 'language'> = {}): string {
  return formatDate(`${date}T12:00:00Z`, 'UTC', ctx);
}

/** A scan code's description in the recipient's language (the event's own English text when English). */
export function scanDescription(code: string, english: string, ctx: TemplateContext): string {
  if ((ctx.language ?? DEFAULT_LANGUAGE) === 'en') return english;
  return textsFor(ctx)(`scans:${code}`, { defaultValue: english });
}

const money = new Map<string, Intl.NumberFormat>();

/** US dollars in the recipient's language (`$12.34`, `12,34 US$`, `US$12.34`). */
export function formatCents(cents: number, ctx: Pick<TemplateContext, 'language'> = {}): string {
  const locale = localeOf(ctx);
  let format = money.get(locale);
  if (!format) money.set(locale, (format = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' })));
  return format.format(cents / 100);
}

interface MessageParts {
  subject: string;
  /** paragraphs of plain text; escaped for HTML */
  lines: string[];
  link?: { label: string; url: string };
  sms: string;
  inAppBody?: string;
}

/** The plain layout shared by every message: greeting, paragraphs, an optional link, signature. */
export function composeMessage(parts: MessageParts, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const greeting = ctx.firstName
    ? t('notifications:greeting_name', { name: ctx.firstName })
    : t('notifications:greeting');
  const signature = t('notifications:signature');
  const textLines = [greeting, '', ...parts.lines.flatMap((l) => [l, ''])];
  if (parts.link) textLines.push(`${parts.link.label}: ${parts.link.url}`, '');
  textLines.push(signature);
  const htmlParagraphs = [greeting, ...parts.lines].map((l) => `<p>${escapeHtml(l)}</p>`);
  if (parts.link) {
    htmlParagraphs.push(`<p><a href="${escapeHtml(parts.link.url)}">${escapeHtml(parts.link.label)}</a></p>`);
  }
  const html = [
    '<!doctype html>',
    `<html lang="${ctx.language ?? DEFAULT_LANGUAGE}"><head><meta charset="utf-8"><title>${escapeHtml(parts.subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5">',
    ...htmlParagraphs,
    `<p>${escapeHtml(signature)}</p>`,
    '</body></html>',
  ].join('\n');
  return {
    subject: parts.subject,
    text: textLines.join('\n'),
    html,
    sms: parts.sms,
    inApp: { title: parts.subject, body: parts.inAppBody ?? parts.lines[0] ?? '', link: parts.link?.url },
  };
}

/** A message about one parcel: `texts` gets the recipient's texts and the tracking page, which is also the message's link. */
export function parcelMessage(
  trackingNumber: string,
  ctx: TemplateContext,
  texts: (t: TFunction, link: string) => Omit<MessageParts, 'link'>,
): RenderedMessage {
  const t = textsFor(ctx);
  const link = trackingLink(ctx.publicUrl, trackingNumber);
  return composeMessage({ ...texts(t, link), link: { label: t('notifications:track_parcel'), url: link } }, ctx);
}

/**
 * A one-time code and when it expires, in the texts of `kind` (`<kind>_subject`, `_line`, `_expiry`,
 * `_sms`, `_in_app` in the `notifications` namespace).
 */
export function codeMessage(
  kind: 'email_verification' | 'phone_verification' | 'password_reset',
  data: { code: string; expiresAt: string },
  ctx: TemplateContext,
): RenderedMessage {
  const t = textsFor(ctx);
  return composeMessage(
    {
      subject: t(`notifications:${kind}_subject`),
      lines: [
        t(`notifications:${kind}_line`, { code: data.code }),
        t(`notifications:${kind}_expiry`, { when: formatDateTime(data.expiresAt, ctx.timeZone, ctx) }),
      ],
      sms: t(`notifications:${kind}_sms`, { code: data.code }),
      inAppBody: t(`notifications:${kind}_in_app`),
    },
    ctx,
  );
}
