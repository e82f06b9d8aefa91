import { Topics, type Topic } from '../topics';
import type { EventDefinition } from './event-definition';
import { IDENTITY_EVENT_DEFINITIONS } from './identity/identity-events';
import { NotificationSentV1 } from './notifications/notification-sent.v1';
import { SupportCaseRepliedV1 } from './notifications/support-case-replied.v1';
import { LabelCreatedV1 } from './pickup/label-created.v1';
import { LabelRefundedV1 } from './pickup/label-refunded.v1';
import { ReturnChargeFailedV1 } from './pickup/return-charge-failed.v1';
import { ManifestCreatedV1 } from './pickup/manifest-created.v1';
import { OrderPlacedV1 } from './pickup/order-placed.v1';
import { PickupCancelledV1 } from './pickup/pickup-cancelled.v1';
import { PickupCompletedV1 } from './pickup/pickup-completed.v1';
import { PickupMissedV1 } from './pickup/pickup-missed.v1';
import { PickupScheduledV1 } from './pickup/pickup-scheduled.v1';
import { PickupUpdatedV1 } from './pickup/pickup-updated.v1';
import { ReceiptIssuedV1 } from './pickup/receipt-issued.v1';
import { SavedCardChangedV1 } from './pickup/saved-card-changed.v1';
import { DeliveryInstructionsSetV1 } from './requests/delivery-instructions-set.v1';
import { HoldExtendedV1 } from './requests/hold-extended.v1';
import { HoldMailCancelledV1, HoldMailChangedV1, HoldMailRequestedV1 } from './requests/hold-mail.v1';
import { InterceptRequestedV1 } from './requests/intercept-requested.v1';
import { InterceptResolvedV1 } from './requests/intercept-resolved.v1';
import { RedeliveryOutcomeV1 } from './requests/redelivery-outcome.v1';
import { RedeliveryCancelledV1 } from './requests/redelivery-cancelled.v1';
import { RedeliveryChangedV1 } from './requests/redelivery-changed.v1';
import { RedeliveryRequestedV1 } from './requests/redelivery-requested.v1';
import { ScanRecordedV1 } from './scans/scan-recorded.v1';
import { ParcelAlertV1 } from './tracking/parcel-alert.v1';
import { HoldEndingSoonV1 } from './tracking/hold-ending-soon.v1';
import { ParcelArrivedV1 } from './tracking/parcel-arrived.v1';
import { ParcelDeliveredV1 } from './tracking/parcel-delivered.v1';
import { ParcelStatusChangedV1 } from './tracking/parcel-status-changed.v1';

/**
 * The contracts each topic carries: the one list of which event types may travel on which topic.
 * Consumers apply only these (anything else on a topic is dead-lettered, so a principal allowed to
 * write `postal.scans` cannot pass an identity event off as one); the registry is built from it.
 * A new event version is added here.
 */
export const TOPIC_CONTRACTS: Readonly<Record<Topic, readonly EventDefinition[]>> = {
  [Topics.PostalScans]: [ScanRecordedV1],
  [Topics.Tracking]: [ParcelStatusChangedV1, ParcelArrivedV1, ParcelDeliveredV1, ParcelAlertV1, HoldEndingSoonV1],
  [Topics.Identity]: IDENTITY_EVENT_DEFINITIONS,
  [Topics.Pickup]: [
    LabelCreatedV1,
    LabelRefundedV1,
    PickupScheduledV1,
    PickupUpdatedV1,
    PickupCancelledV1,
    PickupCompletedV1,
    PickupMissedV1,
    OrderPlacedV1,
    SavedCardChangedV1,
    ReceiptIssuedV1,
    // SCAN forms (issue 18): which labels a manifest number stands for.
    ManifestCreatedV1,
    // Return labels (issue 18): a refused charge, for the shipper to pay.
    ReturnChargeFailedV1,
  ],
  [Topics.Notification]: [NotificationSentV1, SupportCaseRepliedV1],
  [Topics.PostalRequests]: [
    RedeliveryRequestedV1,
    RedeliveryChangedV1,
    RedeliveryCancelledV1,
    HoldExtendedV1,
    InterceptRequestedV1,
    DeliveryInstructionsSetV1,
    HoldMailRequestedV1,
    HoldMailChangedV1,
    HoldMailCancelledV1,
    // Outcomes that tracking reads from the answering scans (the notices to whoever asked).
    InterceptResolvedV1,
    RedeliveryOutcomeV1,
  ],
};

/** The contracts of a logical topic (without prefix); none for a name that is not a topic. */
export function contractsOf(topic: string): readonly EventDefinition[] {
  return Object.hasOwn(TOPIC_CONTRACTS, topic) ? TOPIC_CONTRACTS[topic as Topic] : [];
}
