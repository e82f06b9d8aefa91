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
  formatDateTime,
  formatDay,
  textsFor,
  trackingLink,
  type RenderedMessage,
  type TemplateContext,
} from './layout';

const PLACES = new Set(['front_door', 'back_door', 'side_door', 'mailbox', 'with_neighbor', 'other']);
const INTERCEPTS = new Set(['return_to_sender', 'redirect', 'hold_at_post_office']);

function place(where: string, ctx: TemplateContext): string {
  return PLACES.has(where) ? textsFor(ctx)(`notifications:${where}_place`) : where;
}

export function redeliveryRequestedTemplate(
  data: RedeliveryRequestedData,
  ctx: TemplateContext,
  changed = false,
): RenderedMessage {
  const t = textsFor(ctx);
  const verb = changed ? 'changed' : 'scheduled';
  const values = {
    confirmationNumber: data.confirmationNumber,
    trackingNumber: data.trackingNumber,
    date: formatDay(data.date, ctx),
    place: place(data.where, ctx),
  };
  return composeMessage(
    {
      subject: t(`notifications:redelivery_${verb}_subject`, values),
      lines: [t(`notifications:redelivery_${verb}_line`, values), t('notifications:redelivery_confirmation', values)],
      sms: t(`notifications:redelivery_${verb}_sms`, { ...values, date: data.date }),
      link: { label: t('notifications:track_your_parcel'), url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}

export function redeliveryCancelledTemplate(data: RedeliveryCancelledData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const values = {
    confirmationNumber: data.confirmationNumber,
    trackingNumber: data.trackingNumber,
    date: formatDay(data.date, ctx),
  };
  return composeMessage(
    {
      subject: t('notifications:redelivery_cancelled_subject', values),
      lines: [t('notifications:redelivery_cancelled_line', values)],
      sms: t('notifications:redelivery_cancelled_sms', values),
      link: { label: t('notifications:track_your_parcel'), url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}

export function holdExtendedTemplate(data: HoldExtendedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const values = {
    trackingNumber: data.trackingNumber,
    until: formatDateTime(data.holdUntil, ctx.timeZone, ctx),
    count: data.days,
  };
  return composeMessage(
    {
      subject: t('notifications:hold_extended_subject', values),
      lines: [t('notifications:hold_extended_line', values)],
      sms: t('notifications:hold_extended_sms', values),
      link: { label: t('notifications:track_your_parcel'), url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}

export function interceptRequestedTemplate(data: InterceptRequestedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const values = { interceptId: data.interceptId, trackingNumber: data.trackingNumber };
  const action = INTERCEPTS.has(data.action) ? data.action : 'return_to_sender';
  return composeMessage(
    {
      subject: t('notifications:intercept_subject', values),
      lines: [t(`notifications:intercept_${action}`, values), t('notifications:intercept_follow_up')],
      sms: t('notifications:intercept_sms', values),
      link: { label: t('notifications:track_your_parcel'), url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}

export function interceptResolvedTemplate(data: InterceptResolvedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const what = INTERCEPTS.has(data.action) ? t(`notifications:intercept_goal_${data.action}`) : data.action;
  const values = {
    interceptId: data.interceptId,
    trackingNumber: data.trackingNumber,
    what,
    reason: data.reason ?? t('notifications:intercept_resolved_too_late'),
  };
  const status = data.status === 'succeeded' ? 'succeeded' : 'failed';
  return composeMessage(
    {
      subject: t(`notifications:intercept_resolved_subject_${status}`, values),
      lines: [t(`notifications:intercept_resolved_line_${status}`, values)],
      sms: t(`notifications:intercept_resolved_sms_${status}`, values),
      link: { label: t('notifications:track_your_parcel'), url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}

export function redeliveryOutcomeTemplate(data: RedeliveryOutcomeData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const values = {
    confirmationNumber: data.confirmationNumber,
    trackingNumber: data.trackingNumber,
    date: formatDay(data.date, ctx),
  };
  return composeMessage(
    {
      subject: t(`notifications:redelivery_outcome_subject_${data.outcome}`, values),
      lines: [t(`notifications:redelivery_outcome_line_${data.outcome}`, values)],
      sms: t(`notifications:redelivery_outcome_sms_${data.outcome}`, values),
      link: { label: t('notifications:track_your_parcel'), url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}

export function deliveryInstructionsSetTemplate(
  data: DeliveryInstructionsSetData,
  ctx: TemplateContext,
): RenderedMessage {
  const t = textsFor(ctx);
  const values = { trackingNumber: data.trackingNumber, place: place(data.where, ctx) };
  const what = data.trackingNumber ? 'parcel' : 'address';
  return composeMessage(
    {
      subject: t('notifications:instructions_subject'),
      lines: [t(`notifications:instructions_${what}_line`, values)],
      sms: t(`notifications:instructions_${what}_sms`, values),
    },
    ctx,
  );
}

export function holdMailTemplate(
  data: HoldMailData,
  ctx: TemplateContext,
  change: 'requested' | 'changed' | 'cancelled',
): RenderedMessage {
  const t = textsFor(ctx);
  const values = {
    confirmationNumber: data.confirmationNumber,
    from: formatDay(data.startDate, ctx),
    to: formatDay(data.endDate, ctx),
  };
  const after =
    data.delivery === 'deliver_all_on_end'
      ? t('notifications:hold_mail_deliver_all')
      : t('notifications:hold_mail_collect');
  return composeMessage(
    {
      subject: t(`notifications:hold_mail_${change}_subject`, values),
      lines: [t(`notifications:hold_mail_${change}_line`, values), ...(change === 'cancelled' ? [] : [after])],
      sms: t(`notifications:hold_mail_${change}_sms`, { ...values, from: data.startDate, to: data.endDate }),
    },
    ctx,
  );
}

export function holdEndingSoonTemplate(data: HoldEndingSoonData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const values = { trackingNumber: data.trackingNumber, until: formatDateTime(data.holdUntil, ctx.timeZone, ctx) };
  return composeMessage(
    {
      subject: t('notifications:hold_ending_subject', values),
      lines: [t('notifications:hold_ending_line', values)],
      sms: t('notifications:hold_ending_sms', values),
      link: { label: t('notifications:track_your_parcel'), url: trackingLink(ctx.publicUrl, data.trackingNumber) },
    },
    ctx,
  );
}
