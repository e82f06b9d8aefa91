import { composeMessage, formatDateTime, type RenderedMessage, type TemplateContext } from './layout';

export type WebhookEndpointChange = 'registered' | 'url_changed' | 'deleted' | 'secret_rotated';

const WHAT: Record<WebhookEndpointChange, string> = {
  registered: 'A webhook endpoint was registered',
  url_changed: 'A webhook endpoint was pointed at a new URL',
  deleted: 'A webhook endpoint was deleted',
  secret_rotated: 'The signing secret of a webhook endpoint was rotated',
};

/** A security notice: who controls an endpoint receives the account's parcel and pickup events. */
export function webhookEndpointChangedTemplate(
  data: { change: WebhookEndpointChange; url: string; at: string },
  ctx: TemplateContext,
): RenderedMessage {
  const subject = WHAT[data.change];
  return composeMessage(
    {
      subject,
      lines: [
        `${subject} on your account: ${data.url}`,
        `When: ${formatDateTime(data.at, ctx.timeZone)}.`,
        'If this was not you, delete the endpoint and contact customer support.',
      ],
      link: { label: 'Your webhooks', url: `${ctx.publicUrl.replace(/\/+$/, '')}/webhooks` },
      sms: `Postal Service: ${subject.toLowerCase()} on your account.`,
    },
    ctx,
  );
}

export function webhookEndpointDisabledTemplate(
  data: { url: string; failingSince: string },
  ctx: TemplateContext,
): RenderedMessage {
  return composeMessage(
    {
      subject: 'A webhook endpoint was disabled',
      lines: [
        `Every delivery to your webhook endpoint ${data.url} has failed since ${formatDateTime(data.failingSince, ctx.timeZone)}, so it was disabled.`,
        'Fix the endpoint, then enable it again; failed deliveries can be sent again from the delivery log.',
      ],
      link: { label: 'Your webhooks', url: `${ctx.publicUrl.replace(/\/+$/, '')}/webhooks` },
      sms: `Postal Service: your webhook endpoint was disabled after failing deliveries.`,
    },
    ctx,
  );
}
