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
  publicUrl: string;
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

function formatter(format: keyof typeof FORMATS, timeZone: string | undefined): Intl.DateTimeFormat {
  const zone = timeZone || 'UTC';
  const key = `${format}|${zone}`;
  const known = formatters.get(key);
  if (known) return known;
  let built: Intl.DateTimeFormat;
  try {
    built = new Intl.DateTimeFormat('en-US', { ...FORMATS[format], timeZone: zone });
  } catch {
    return zone === 'UTC' ? new Intl.DateTimeFormat('en-US', FORMATS[format]) : formatter(format, 'UTC');
  }
  formatters.set(key, built);
  return built;
}

export function formatDate(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter('date', timeZone).format(date);
}

export function formatDateTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter('dateTime', timeZone).format(date);
}

export function formatCents(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
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
  const greeting = ctx.firstName ? `Hello ${ctx.firstName},` : 'Hello,';
  const textLines = [greeting, '', ...parts.lines.flatMap((l) => [l, ''])];
  if (parts.link) textLines.push(`${parts.link.label}: ${parts.link.url}`, '');
  textLines.push('The Postal Service');
  const htmlParagraphs = [greeting, ...parts.lines].map((l) => `<p>${escapeHtml(l)}</p>`);
  if (parts.link) {
    htmlParagraphs.push(`<p><a href="${escapeHtml(parts.link.url)}">${escapeHtml(parts.link.label)}</a></p>`);
  }
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(parts.subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5">',
    ...htmlParagraphs,
    '<p>The Postal Service</p>',
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
