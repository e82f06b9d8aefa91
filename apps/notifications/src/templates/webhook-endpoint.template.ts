import { composeMessage, formatDateTime, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export type WebhookEndpointChange = 'registered' | 'url_changed' | 'deleted' | 'secret_rotated';

const WHAT = {
  registered: 'notifications:webhook_registered',
  url_changed: 'notifications:webhook_url_changed',
  deleted: 'notifications:webhook_deleted',
  secret_rotated: 'notifications:webhook_secret_rotated',
} as const satisfies Record<WebhookEndpointChange, string>;

function webhooksLink(ctx: TemplateContext): string {
  return `${ctx.publicUrl.replace(/\/+$/, '')}/webhooks`;
}

/** A security notice: who controls an endpoint receives the account's parcel and pickup events. */
export function webhookEndpointChangedTemplate(
  data: { change: WebhookEndpointChange; url: string; at: string },
  ctx: TemplateContext,
): RenderedMessage {
  const t = textsFor(ctx);
  const subject = t(WHAT[data.change]);
  return composeMessage(
    {
      subject,
      lines: [
        t('notifications:webhook_change_line', { what: subject, url: data.url }),
        t('notifications:webhook_change_when', { when: formatDateTime(data.at, ctx.timeZone, ctx) }),
        t('notifications:webhook_change_not_you'),
      ],
      link: { label: t('notifications:webhook_link'), url: webhooksLink(ctx) },
      sms: t('notifications:webhook_change_sms', { what: subject.charAt(0).toLowerCase() + subject.slice(1) }),
    },
    ctx,
  );
}

export function webhookEndpointDisabledTemplate(
  data: { url: string; failingSince: string },
  ctx: TemplateContext,
): RenderedMessage {
  const t = textsFor(ctx);
  return composeMessage(
    {
      subject: t('notifications:webhook_disabled_subject'),
      lines: [
        t('notifications:webhook_disabled_line', {
          url: data.url,
          since: formatDateTime(data.failingSince, ctx.timeZone, ctx),
        }),
        t('notifications:webhook_disabled_fix'),
      ],
      link: { label: t('notifications:webhook_link'), url: webhooksLink(ctx) },
      sms: t('notifications:webhook_disabled_sms'),
    },
    ctx,
  );
}
