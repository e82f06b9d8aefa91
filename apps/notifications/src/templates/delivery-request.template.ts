import type {
  DeliveryInstructionsSetData,
  HoldEndingSoonData,
  HoldExtendedData,
  HoldMailData,
  InterceptRequestedData,
  InterceptResolvedData,
  RedeliveryCancelledData,
  RedeliveryOutcomeData,
  RedeliveryRequestedData,
} from '@app/contracts';
import {
  composeMessage,
  formatDate,
  formatDateTime,
  trackingLink,
  type RenderedMessage,
  type TemplateContext,
} from './layout';

const PLACES: Readonly<Record<string, string>> = {
  front_door: 'at the front door',
  back_door: 'at the back door',
  side_door: 'at the side door',
  mailbox: 'in the mailbox',
  with_neighbor: 'with a neighbor',
  other: 'where your instructions say',
};

const INTERCEPTS: Readonly<Record<string, string>> = {
  return_to_sender: 'return it to you',
  redirect: 'redirect it to the new address',
  hold_at_post_office: 'hold it at the post office',
};

function day(date: string, ctx: TemplateContext): string {
  return formatDate(`${date}T12:00:00Z`, ctx.timeZone ?? 'America/Chicago');
}

export function redeliveryRequestedTemplate(
  data: RedeliveryRequestedData,
  ctx: TemplateContext,
  changed = false,
): RenderedMessage {
  const when = day(data.date, ctx);
  const verb = changed ? 'changed' : 'scheduled';
  return composeMessage(
    {
      subject: `Redelivery ${data.confirmationNumber} ${verb} for ${when}`,
      lines: [
        `Your redelivery of parcel ${data.trackingNumber} is ${verb} for ${when}; the carrier will leave it ${PLACES[data.where] ?? data.where}.`,
        `Confirmation number: ${data.confirmationNumber}. You can change or cancel it until 2:00 AM Central time that day.`,
      ],
      sms: `Postal Service: redelivery ${data.confirmationNumber} of ${data.trackingNumber} ${verb} for ${data.date}.`,
      link: { label: 'Track your parcel', url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}

export function redeliveryCancelledTemplate(data: RedeliveryCancelledData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: `Redelivery ${data.confirmationNumber} was cancelled`,
      lines: [`Your redelivery of parcel ${data.trackingNumber} for ${day(data.date, ctx)} was cancelled.`],
      sms: `Postal Service: redelivery ${data.confirmationNumber} of ${data.trackingNumber} cancelled.`,
      link: { label: 'Track your parcel', url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}

export function holdExtendedTemplate(data: HoldExtendedData, ctx: TemplateContext): RenderedMessage {
  const until = formatDateTime(data.holdUntil, ctx.timeZone);
  return composeMessage(
    {
      subject: `Parcel ${data.trackingNumber} is held until ${until}`,
      lines: [`The post office holds parcel ${data.trackingNumber} ${data.days} days longer, until ${until}.`],
      sms: `Postal Service: ${data.trackingNumber} is held until ${until}.`,
      link: { label: 'Track your parcel', url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}

export function interceptRequestedTemplate(data: InterceptRequestedData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: `Intercept ${data.interceptId} requested for ${data.trackingNumber}`,
      lines: [
        `We asked the postal service to ${INTERCEPTS[data.action] ?? data.action} (parcel ${data.trackingNumber}).`,
        'We will tell you when it succeeds or fails.',
      ],
      sms: `Postal Service: intercept ${data.interceptId} of ${data.trackingNumber} requested.`,
      link: { label: 'Track your parcel', url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}

export function interceptResolvedTemplate(data: InterceptResolvedData, ctx: TemplateContext): RenderedMessage {
  const what = INTERCEPTS[data.action] ?? data.action;
  const succeeded = data.status === 'succeeded';
  return composeMessage(
    {
      subject: succeeded
        ? `Intercept ${data.interceptId} of ${data.trackingNumber} succeeded`
        : `Intercept ${data.interceptId} of ${data.trackingNumber} failed`,
      lines: [
        succeeded
          ? `The postal service managed to ${what} (parcel ${data.trackingNumber}).`
          : `The postal service could not ${what} (parcel ${data.trackingNumber}): ${data.reason ?? 'it was too late'}.`,
      ],
      sms: `Postal Service: intercept ${data.interceptId} of ${data.trackingNumber} ${data.status}.`,
      link: { label: 'Track your parcel', url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}

const REDELIVERY_OUTCOMES: Readonly<Record<RedeliveryOutcomeData['outcome'], string>> = {
  confirmed: 'is confirmed by the post office',
  delivered: 'was delivered',
  failed: 'could not be delivered: the carrier left a notice again',
};

export function redeliveryOutcomeTemplate(data: RedeliveryOutcomeData, ctx: TemplateContext): RenderedMessage {
  const outcome = REDELIVERY_OUTCOMES[data.outcome];
  return composeMessage(
    {
      subject: `Redelivery ${data.confirmationNumber} ${outcome.split(':')[0]}`,
      lines: [`Your redelivery of parcel ${data.trackingNumber} for ${day(data.date, ctx)} ${outcome}.`],
      sms: `Postal Service: redelivery ${data.confirmationNumber} of ${data.trackingNumber}: ${data.outcome}.`,
      link: { label: 'Track your parcel', url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}

export function deliveryInstructionsSetTemplate(
  data: DeliveryInstructionsSetData,
  ctx: TemplateContext,
): RenderedMessage {
  const what = data.trackingNumber ? `parcel ${data.trackingNumber}` : 'parcels to your address';
  return composeMessage(
    {
      subject: 'Delivery instructions saved',
      lines: [`The carrier will leave ${what} ${PLACES[data.where] ?? data.where}.`],
      sms: `Postal Service: delivery instructions saved for ${what}.`,
    },
    ctx,
  );
}

export function holdMailTemplate(
  data: HoldMailData,
  ctx: TemplateContext,
  change: 'requested' | 'changed' | 'cancelled',
): RenderedMessage {
  const from = day(data.startDate, ctx);
  const to = day(data.endDate, ctx);
  const verbs = { requested: 'scheduled', changed: 'changed', cancelled: 'cancelled' } as const;
  const after =
    data.delivery === 'deliver_all_on_end'
      ? 'All held mail will be delivered after it ends.'
      : 'Collect the held mail at your post office after it ends.';
  return composeMessage(
    {
      subject: `Hold Mail ${data.confirmationNumber} ${verbs[change]}`,
      lines: [
        `Your Hold Mail ${data.confirmationNumber} from ${from} to ${to} is ${verbs[change]}.`,
        ...(change === 'cancelled' ? [] : [after]),
      ],
      sms: `Postal Service: Hold Mail ${data.confirmationNumber} (${data.startDate} to ${data.endDate}) ${verbs[change]}.`,
    },
    ctx,
  );
}

export function holdEndingSoonTemplate(data: HoldEndingSoonData, ctx: TemplateContext): RenderedMessage {
  const until = formatDateTime(data.holdUntil, ctx.timeZone);
  return composeMessage(
    {
      subject: `Parcel ${data.trackingNumber} goes back to the sender on ${until}`,
      lines: [
        `Parcel ${data.trackingNumber} is still waiting at the post office. Collect it by ${until}, or it goes back to the sender.`,
      ],
      sms: `Postal Service: collect ${data.trackingNumber} by ${until} or it goes back to the sender.`,
      link: { label: 'Track your parcel', url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}
