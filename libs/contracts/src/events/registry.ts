import type { EventDefinition } from './event-definition';
import { ScanRecordedV1 } from './scans/scan-recorded.v1';
import { ParcelAlertV1 } from './tracking/parcel-alert.v1';
import { ParcelArrivedV1 } from './tracking/parcel-arrived.v1';
import { ParcelDeliveredV1 } from './tracking/parcel-delivered.v1';
import { ParcelStatusChangedV1 } from './tracking/parcel-status-changed.v1';
import { IDENTITY_EVENT_DEFINITIONS } from './identity/identity-events';
import { LabelCreatedV1 } from './pickup/label-created.v1';
import { LabelRefundedV1 } from './pickup/label-refunded.v1';
import { OrderPlacedV1 } from './pickup/order-placed.v1';
import { PickupCancelledV1 } from './pickup/pickup-cancelled.v1';
import { PickupCompletedV1 } from './pickup/pickup-completed.v1';
import { PickupMissedV1 } from './pickup/pickup-missed.v1';
import { PickupScheduledV1 } from './pickup/pickup-scheduled.v1';
import { PickupUpdatedV1 } from './pickup/pickup-updated.v1';
import { NotificationSentV1 } from './notifications/notification-sent.v1';
import { SupportCaseRepliedV1 } from './notifications/support-case-replied.v1';

// Each domain adds its definitions here (import from the per-event file).
export const EVENT_DEFINITIONS: readonly EventDefinition[] = [
  // tracking
  ScanRecordedV1,
  ParcelStatusChangedV1,
  ParcelArrivedV1,
  ParcelDeliveredV1,
  ParcelAlertV1,
  ...IDENTITY_EVENT_DEFINITIONS,
  // pickup
  LabelCreatedV1,
  LabelRefundedV1,
  PickupScheduledV1,
  PickupUpdatedV1,
  PickupCancelledV1,
  PickupCompletedV1,
  PickupMissedV1,
  OrderPlacedV1,

  NotificationSentV1,
  SupportCaseRepliedV1,
];

export function findEventDefinition(type: string, version: number): EventDefinition | undefined {
  return EVENT_DEFINITIONS.find((d) => d.type === type && d.version === version);
}
