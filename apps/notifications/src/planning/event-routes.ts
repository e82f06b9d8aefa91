import {
  EventHandlers,
  NotificationKinds,
  StatusCategories,
  type StatusCategory,
  type EventEnvelope,
  type ParcelRecipient,
  EmailVerificationRequestedV1,
  PhoneVerificationRequestedV1,
  PasswordResetRequestedV1,
  UsernameReminderRequestedV1,
  PasswordChangedV1,
  EmailChangedV1,
  PhoneChangedV1,
  AccountLockedV1,
  MfaChangedV1,
  ParcelStatusChangedV1,
  ParcelAlertV1,
  ParcelArrivedV1,
  HoldEndingSoonV1,
  ParcelDeliveredV1,
  LabelCreatedV1,
  LabelRefundedV1,
  OrderPlacedV1,
  PickupScheduledV1,
  PickupUpdatedV1,
  PickupCancelledV1,
  PickupCompletedV1,
  PickupMissedV1,
  RedeliveryRequestedV1,
  RedeliveryChangedV1,
  RedeliveryCancelledV1,
  HoldExtendedV1,
  InterceptRequestedV1,
  DeliveryInstructionsSetV1,
  HoldMailRequestedV1,
  HoldMailChangedV1,
  HoldMailCancelledV1,
  ReceiptIssuedV1,
  SavedCardChangedV1,
  OrgInvitationSentV1,
  OrgMembershipChangedV1,
  InterceptResolvedV1,
  RedeliveryOutcomeV1,
  ReturnChargeFailedV1,
} from '@app/contracts';
import {
  deliveryInstructionsSetTemplate,
  holdEndingSoonTemplate,
  holdExtendedTemplate,
  holdMailTemplate,
  interceptRequestedTemplate,
  interceptResolvedTemplate,
  redeliveryCancelledTemplate,
  redeliveryOutcomeTemplate,
  redeliveryRequestedTemplate,
} from '../templates/delivery-request.template';
import { accountLockedTemplate } from '../templates/account-locked.template';
import { emailChangedTemplate } from '../templates/email-changed.template';
import { emailVerificationTemplate } from '../templates/email-verification.template';
import { labelCreatedTemplate } from '../templates/label-created.template';
import { labelRefundedTemplate } from '../templates/label-refunded.template';
import type { RenderedMessage, TemplateContext } from '../templates/layout';
import { mfaChangedTemplate } from '../templates/mfa-changed.template';
import { orderPlacedTemplate } from '../templates/order-placed.template';
import { parcelAlertTemplate } from '../templates/parcel-alert.template';
import { parcelArrivedTemplate } from '../templates/parcel-arrived.template';
import { parcelDeliveredTemplate } from '../templates/parcel-delivered.template';
import { parcelStatusChangedTemplate } from '../templates/parcel-status-changed.template';
import { passwordChangedTemplate } from '../templates/password-changed.template';
import { passwordResetTemplate } from '../templates/password-reset.template';
import { phoneChangedTemplate } from '../templates/phone-changed.template';
import { phoneVerificationTemplate } from '../templates/phone-verification.template';
import { pickupCancelledTemplate } from '../templates/pickup-cancelled.template';
import { pickupCompletedTemplate } from '../templates/pickup-completed.template';
import { pickupMissedTemplate } from '../templates/pickup-missed.template';
import { pickupScheduledTemplate } from '../templates/pickup-scheduled.template';
import { pickupUpdatedTemplate } from '../templates/pickup-updated.template';
import { receiptIssuedTemplate } from '../templates/receipt-issued.template';
import { returnChargeFailedTemplate } from '../templates/return-charge-failed.template';
import { savedCardChangedTemplate } from '../templates/saved-card-changed.template';
import { usernameReminderTemplate } from '../templates/username-reminder.template';
import { orgInvitationTemplate } from '../templates/org-invitation.template';
import { orgMembershipTemplate } from '../templates/org-membership.template';
import type { Audience, NotificationRequest } from './notification-request';

type Route = Omit<NotificationRequest, 'sourceId' | 'sourceType'>;

function using<T>(data: T, template: (data: T, ctx: TemplateContext) => RenderedMessage) {
  return (ctx: TemplateContext) => template(data, ctx);
}

function parcelAudience(recipients: ParcelRecipient[]): Audience[] {
  return [...new Set(recipients.map((r) => r.userId))].map((userId) => ({ userId }));
}

/**
 * Categories whose change tracking also announces with its own event (ParcelArrived, ParcelDelivered,
 * ParcelAlert): that event is the one notice, so the ParcelStatusChanged beside it tells nobody.
 */
const CATEGORIES_WITH_OWN_EVENT: ReadonlySet<StatusCategory> = new Set([
  StatusCategories.AvailableForPickup,
  StatusCategories.Delivered,
  StatusCategories.Alert,
]);

/**
 * The one table of which event tells whom about what. Events not listed here, and routes that
 * answer undefined, notify nobody.
 */
const ROUTES = new EventHandlers<Route | undefined>()
  .on(EmailVerificationRequestedV1, (data) => {
    return {
      kind: NotificationKinds.Security,
      audience: [{ userId: data.userId, email: data.email, firstName: data.firstName }],
      fixedChannels: ['email'],
      render: using(data, emailVerificationTemplate),
    };
  })
  .on(PhoneVerificationRequestedV1, (data) => {
    return {
      kind: NotificationKinds.Security,
      audience: [{ userId: data.userId, phone: data.phone }],
      fixedChannels: ['sms'],
      render: using(data, phoneVerificationTemplate),
    };
  })
  .on(PasswordResetRequestedV1, (data) => {
    return {
      kind: NotificationKinds.Security,
      audience: [{ userId: data.userId, email: data.email, phone: data.phone }],
      fixedChannels: data.phone ? ['email', 'sms'] : ['email'],
      render: using(data, passwordResetTemplate),
    };
  })
  .on(UsernameReminderRequestedV1, (data) => {
    return securityEmail(data.userId, data.email, using(data, usernameReminderTemplate));
  })
  .on(PasswordChangedV1, securityAlertOf(passwordChangedTemplate))
  .on(EmailChangedV1, (data) => {
    // To the previous address only: the new one has not proven itself, and the old owner must learn of it.
    return securityEmail(data.userId, data.previousEmail, using(data, emailChangedTemplate));
  })
  .on(PhoneChangedV1, (data) => {
    // By email only: a text would go to the new number, which may be the very one a thief just set.
    return securityEmail(data.userId, data.email, using(data, phoneChangedTemplate));
  })
  .on(AccountLockedV1, securityAlertOf(accountLockedTemplate))
  .on(MfaChangedV1, securityAlertOf(mfaChangedTemplate))
  // Teams (issue 18): invitations and membership changes are security-relevant, by email.
  .on(OrgInvitationSentV1, (data) =>
    // The invitee may have no account yet: the message is keyed by the invitation, sent to its address.
    securityEmail(`invite:${data.inviteId}`, data.email, using(data, orgInvitationTemplate)),
  )
  .on(OrgMembershipChangedV1, (data) => securityEmail(data.userId, data.email, using(data, orgMembershipTemplate)))
  .on(ParcelStatusChangedV1, (data) => {
    if (CATEGORIES_WITH_OWN_EVENT.has(data.statusCategory)) return undefined;
    return parcelRoute(NotificationKinds.TrackingUpdates, data.recipients, using(data, parcelStatusChangedTemplate));
  })
  .on(ParcelAlertV1, parcelNotice(NotificationKinds.TrackingUpdates, parcelAlertTemplate))
  .on(ParcelArrivedV1, parcelNotice(NotificationKinds.AvailableForPickup, parcelArrivedTemplate))
  // The reminder before return is about collecting it: the recipients' "available for pickup" choice.
  .on(HoldEndingSoonV1, parcelNotice(NotificationKinds.AvailableForPickup, holdEndingSoonTemplate))
  .on(ParcelDeliveredV1, parcelNotice(NotificationKinds.Delivered, parcelDeliveredTemplate))
  .on(LabelCreatedV1, (data) => {
    return userRoute(NotificationKinds.LabelReceipts, data.userId, using(data, labelCreatedTemplate), data.actedBy);
  })
  .on(LabelRefundedV1, (data) => {
    return userRoute(NotificationKinds.LabelReceipts, data.userId, using(data, labelRefundedTemplate));
  })
  .on(OrderPlacedV1, (data) => {
    return userRoute(NotificationKinds.OrderReceipts, data.userId, using(data, orderPlacedTemplate));
  })
  .on(ReturnChargeFailedV1, (data) => ({
    // Money owed: by email whatever the preferences say, to the shipper (for an organisation, as its setting says).
    kind: NotificationKinds.PaymentReceipts,
    audience: [{ userId: data.userId }],
    fixedChannels: ['email'],
    render: using(data, returnChargeFailedTemplate),
    ...(data.actedBy ? { actedBy: data.actedBy } : {}),
  }))
  .on(ReceiptIssuedV1, (data) =>
    userRoute(NotificationKinds.PaymentReceipts, data.userId, using(data, receiptIssuedTemplate)),
  )
  .on(SavedCardChangedV1, (data) => ({
    // A card saved or removed is security-relevant: always by email, whatever the preferences say.
    kind: NotificationKinds.Security,
    audience: [{ userId: data.userId }],
    fixedChannels: ['email'],
    render: using(data, savedCardChangedTemplate),
  }))
  .on(PickupScheduledV1, pickupConfirmation(pickupScheduledTemplate))
  .on(PickupUpdatedV1, pickupConfirmation(pickupUpdatedTemplate))
  .on(PickupCancelledV1, pickupConfirmation(pickupCancelledTemplate))
  .on(PickupCompletedV1, pickupConfirmation(pickupCompletedTemplate))
  .on(PickupMissedV1, pickupConfirmation(pickupMissedTemplate))
  // Customers' delivery requests (postal.requests), confirmed to whoever asked.
  .on(RedeliveryRequestedV1, (data) => {
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, (ctx) => redeliveryRequestedTemplate(data, ctx));
  })
  .on(RedeliveryChangedV1, (data) => {
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, (ctx) =>
      redeliveryRequestedTemplate(data, ctx, true),
    );
  })
  .on(RedeliveryCancelledV1, deliveryRequestConfirmation(redeliveryCancelledTemplate))
  .on(HoldExtendedV1, deliveryRequestConfirmation(holdExtendedTemplate))
  .on(InterceptRequestedV1, deliveryRequestConfirmation(interceptRequestedTemplate))
  .on(InterceptResolvedV1, deliveryRequestConfirmation(interceptResolvedTemplate))
  .on(RedeliveryOutcomeV1, deliveryRequestConfirmation(redeliveryOutcomeTemplate))
  .on(DeliveryInstructionsSetV1, deliveryRequestConfirmation(deliveryInstructionsSetTemplate))
  .on(HoldMailRequestedV1, (data) => {
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, (ctx) =>
      holdMailTemplate(data, ctx, 'requested'),
    );
  })
  .on(HoldMailChangedV1, (data) => {
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, (ctx) => holdMailTemplate(data, ctx, 'changed'));
  })
  .on(HoldMailCancelledV1, (data) => {
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, (ctx) =>
      holdMailTemplate(data, ctx, 'cancelled'),
    );
  });

function securityAlert(userId: string, email: string, render: Route['render']): Route {
  return { kind: NotificationKinds.Security, audience: [{ userId, email }], render };
}

/** A security notice by email only, to `email` (which need not be the account's current address). */
function securityEmail(userId: string, email: string, render: Route['render']): Route {
  return { kind: NotificationKinds.Security, audience: [{ userId, email }], fixedChannels: ['email'], render };
}

function parcelRoute(kind: Route['kind'], recipients: ParcelRecipient[], render: Route['render']): Route {
  return { kind, audience: parcelAudience(recipients), render };
}

function userRoute(kind: Route['kind'], userId: string, render: Route['render'], actedBy?: string): Route {
  return { kind, audience: [{ userId }], render, ...(actedBy ? { actedBy } : {}) };
}

/** A security alert to the account at its address, by the channels the user chose for security notices. */
function securityAlertOf<T extends { userId: string; email: string }>(
  template: (data: T, ctx: TemplateContext) => RenderedMessage,
): (data: T) => Route {
  return (data) => securityAlert(data.userId, data.email, using(data, template));
}

/** A notice of a parcel's progress to each of its recipients once, as the kind they chose channels for. */
function parcelNotice<T extends { recipients: ParcelRecipient[] }>(
  kind: Route['kind'],
  template: (data: T, ctx: TemplateContext) => RenderedMessage,
): (data: T) => Route {
  return (data) => parcelRoute(kind, data.recipients, using(data, template));
}

/** A delivery request's confirmation, to whoever asked for it. */
function deliveryRequestConfirmation<T extends { userId: string }>(
  template: (data: T, ctx: TemplateContext) => RenderedMessage,
): (data: T) => Route {
  return (data) => userRoute(NotificationKinds.DeliveryRequests, data.userId, using(data, template));
}

/** A pickup's confirmation, to the account it is booked for, naming the member who acted for an organisation. */
function pickupConfirmation<T extends { userId: string; actedBy?: string }>(
  template: (data: T, ctx: TemplateContext) => RenderedMessage,
): (data: T) => Route {
  return (data) => userRoute(NotificationKinds.PickupConfirmations, data.userId, using(data, template), data.actedBy);
}

/** Turns a validated event into a notification request, or undefined for events that notify nobody. */
export function routeEvent(envelope: EventEnvelope): NotificationRequest | undefined {
  const routed = ROUTES.dispatch(envelope);
  return (
    routed && {
      ...routed,
      sourceId: envelope.id,
      sourceType: envelope.type,
      correlationId: envelope.correlationId,
      sourceOccurredAt: occurredAtOf(envelope),
    }
  );
}

/** The instant the fact happened: the event data's `occurredAt` (a parcel event's scan) when valid, else the event's. */
export function occurredAtOf(envelope: EventEnvelope): Date {
  const data: unknown = envelope.data;
  const own = typeof data === 'object' && data !== null ? (data as { occurredAt?: unknown }).occurredAt : undefined;
  const at = typeof own === 'string' ? new Date(own) : new Date(Number.NaN);
  return Number.isNaN(at.getTime()) ? new Date(envelope.occurredAt) : at;
}
