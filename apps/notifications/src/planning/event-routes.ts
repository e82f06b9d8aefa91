import {
  NotificationKinds,
  StatusCategories,
  type StatusCategory,
  type AccountLockedData,
  type EmailChangedData,
  type EmailVerificationRequestedData,
  type EventEnvelope,
  type LabelCreatedData,
  type LabelRefundedData,
  type MfaChangedData,
  type OrderPlacedData,
  type ParcelAlertData,
  type ParcelArrivedData,
  type ParcelDeliveredData,
  type ParcelRecipient,
  type ParcelStatusChangedData,
  type PasswordChangedData,
  type PasswordResetRequestedData,
  type PhoneChangedData,
  type PhoneVerificationRequestedData,
  type PickupCancelledData,
  type PickupCompletedData,
  type PickupMissedData,
  type PickupScheduledData,
  type PickupUpdatedData,
  type UsernameReminderRequestedData,
  type DeliveryInstructionsSetData,
  type HoldEndingSoonData,
  type HoldExtendedData,
  type HoldMailData,
  type InterceptRequestedData,
  type InterceptResolvedData,
  type RedeliveryOutcomeData,
  type RedeliveryCancelledData,
  type RedeliveryRequestedData,
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
import { usernameReminderTemplate } from '../templates/username-reminder.template';
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
const ROUTES: Record<string, (data: unknown) => Route | undefined> = {
  EmailVerificationRequested: (d) => {
    const data = d as EmailVerificationRequestedData;
    return {
      kind: NotificationKinds.Security,
      audience: [{ userId: data.userId, email: data.email, firstName: data.firstName }],
      fixedChannels: ['email'],
      render: using(data, emailVerificationTemplate),
    };
  },
  PhoneVerificationRequested: (d) => {
    const data = d as PhoneVerificationRequestedData;
    return {
      kind: NotificationKinds.Security,
      audience: [{ userId: data.userId, phone: data.phone }],
      fixedChannels: ['sms'],
      render: using(data, phoneVerificationTemplate),
    };
  },
  PasswordResetRequested: (d) => {
    const data = d as PasswordResetRequestedData;
    return {
      kind: NotificationKinds.Security,
      audience: [{ userId: data.userId, email: data.email, phone: data.phone }],
      fixedChannels: data.phone ? ['email', 'sms'] : ['email'],
      render: using(data, passwordResetTemplate),
    };
  },
  UsernameReminderRequested: (d) => {
    const data = d as UsernameReminderRequestedData;
    return {
      kind: NotificationKinds.Security,
      audience: [{ userId: data.userId, email: data.email }],
      fixedChannels: ['email'],
      render: using(data, usernameReminderTemplate),
    };
  },
  PasswordChanged: (d) => {
    const data = d as PasswordChangedData;
    return securityAlert(data.userId, data.email, using(data, passwordChangedTemplate));
  },
  EmailChanged: (d) => {
    // To the previous address only: the new one has not proven itself, and the old owner must learn of it.
    const data = d as EmailChangedData;
    return {
      kind: NotificationKinds.Security,
      audience: [{ userId: data.userId, email: data.previousEmail }],
      fixedChannels: ['email'],
      render: using(data, emailChangedTemplate),
    };
  },
  PhoneChanged: (d) => {
    // By email only: a text would go to the new number, which may be the very one a thief just set.
    const data = d as PhoneChangedData;
    return {
      kind: NotificationKinds.Security,
      audience: [{ userId: data.userId, email: data.email }],
      fixedChannels: ['email'],
      render: using(data, phoneChangedTemplate),
    };
  },
  AccountLocked: (d) => {
    const data = d as AccountLockedData;
    return securityAlert(data.userId, data.email, using(data, accountLockedTemplate));
  },
  MfaChanged: (d) => {
    const data = d as MfaChangedData;
    return securityAlert(data.userId, data.email, using(data, mfaChangedTemplate));
  },
  ParcelStatusChanged: (d) => {
    const data = d as ParcelStatusChangedData;
    if (CATEGORIES_WITH_OWN_EVENT.has(data.statusCategory)) return undefined;
    return parcelRoute(NotificationKinds.TrackingUpdates, data.recipients, using(data, parcelStatusChangedTemplate));
  },
  ParcelAlert: (d) => {
    const data = d as ParcelAlertData;
    return parcelRoute(NotificationKinds.TrackingUpdates, data.recipients, using(data, parcelAlertTemplate));
  },
  ParcelArrived: (d) => {
    const data = d as ParcelArrivedData;
    return parcelRoute(NotificationKinds.AvailableForPickup, data.recipients, using(data, parcelArrivedTemplate));
  },
  HoldEndingSoon: (d) => {
    // The reminder before return is about collecting it: the recipients' "available for pickup" choice.
    const data = d as HoldEndingSoonData;
    return parcelRoute(NotificationKinds.AvailableForPickup, data.recipients, using(data, holdEndingSoonTemplate));
  },
  ParcelDelivered: (d) => {
    const data = d as ParcelDeliveredData;
    return parcelRoute(NotificationKinds.Delivered, data.recipients, using(data, parcelDeliveredTemplate));
  },
  LabelCreated: (d) => {
    const data = d as LabelCreatedData;
    return userRoute(NotificationKinds.LabelReceipts, data.userId, using(data, labelCreatedTemplate));
  },
  LabelRefunded: (d) => {
    const data = d as LabelRefundedData;
    return userRoute(NotificationKinds.LabelReceipts, data.userId, using(data, labelRefundedTemplate));
  },
  OrderPlaced: (d) => {
    const data = d as OrderPlacedData;
    return userRoute(NotificationKinds.OrderReceipts, data.userId, using(data, orderPlacedTemplate));
  },
  PickupScheduled: (d) => {
    const data = d as PickupScheduledData;
    return userRoute(NotificationKinds.PickupConfirmations, data.userId, using(data, pickupScheduledTemplate));
  },
  PickupUpdated: (d) => {
    const data = d as PickupUpdatedData;
    return userRoute(NotificationKinds.PickupConfirmations, data.userId, using(data, pickupUpdatedTemplate));
  },
  PickupCancelled: (d) => {
    const data = d as PickupCancelledData;
    return userRoute(NotificationKinds.PickupConfirmations, data.userId, using(data, pickupCancelledTemplate));
  },
  PickupCompleted: (d) => {
    const data = d as PickupCompletedData;
    return userRoute(NotificationKinds.PickupConfirmations, data.userId, using(data, pickupCompletedTemplate));
  },
  PickupMissed: (d) => {
    const data = d as PickupMissedData;
    return userRoute(NotificationKinds.PickupConfirmations, data.userId, using(data, pickupMissedTemplate));
  },
  // Customers' delivery requests (postal.requests), confirmed to whoever asked.
  RedeliveryRequested: (d) => {
    const data = d as RedeliveryRequestedData;
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, (ctx) => redeliveryRequestedTemplate(data, ctx));
  },
  RedeliveryChanged: (d) => {
    const data = d as RedeliveryRequestedData;
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, (ctx) =>
      redeliveryRequestedTemplate(data, ctx, true),
    );
  },
  RedeliveryCancelled: (d) => {
    const data = d as RedeliveryCancelledData;
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, using(data, redeliveryCancelledTemplate));
  },
  HoldExtended: (d) => {
    const data = d as HoldExtendedData;
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, using(data, holdExtendedTemplate));
  },
  InterceptRequested: (d) => {
    const data = d as InterceptRequestedData;
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, using(data, interceptRequestedTemplate));
  },
  InterceptResolved: (d) => {
    const data = d as InterceptResolvedData;
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, using(data, interceptResolvedTemplate));
  },
  RedeliveryOutcome: (d) => {
    const data = d as RedeliveryOutcomeData;
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, using(data, redeliveryOutcomeTemplate));
  },
  DeliveryInstructionsSet: (d) => {
    const data = d as DeliveryInstructionsSetData;
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, using(data, deliveryInstructionsSetTemplate));
  },
  HoldMailRequested: (d) => {
    const data = d as HoldMailData;
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, (ctx) =>
      holdMailTemplate(data, ctx, 'requested'),
    );
  },
  HoldMailChanged: (d) => {
    const data = d as HoldMailData;
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, (ctx) => holdMailTemplate(data, ctx, 'changed'));
  },
  HoldMailCancelled: (d) => {
    const data = d as HoldMailData;
    return userRoute(NotificationKinds.DeliveryRequests, data.userId, (ctx) =>
      holdMailTemplate(data, ctx, 'cancelled'),
    );
  },
};

function securityAlert(userId: string, email: string, render: Route['render']): Route {
  return { kind: NotificationKinds.Security, audience: [{ userId, email }], render };
}

function parcelRoute(kind: Route['kind'], recipients: ParcelRecipient[], render: Route['render']): Route {
  return { kind, audience: parcelAudience(recipients), render };
}

function userRoute(kind: Route['kind'], userId: string, render: Route['render']): Route {
  return { kind, audience: [{ userId }], render };
}

/** Turns a validated event into a notification request, or undefined for events that notify nobody. */
export function routeEvent(envelope: EventEnvelope): NotificationRequest | undefined {
  const route = ROUTES[envelope.type];
  if (!route || envelope.version !== 1) return undefined;
  const routed = route(envelope.data);
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
