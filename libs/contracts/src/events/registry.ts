import type { z } from 'zod';
import { envelopeSchema, type EventEnvelope } from '../envelope';
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

// Definitions added at run time (tests register sample events); looked up after EVENT_DEFINITIONS.
const runtimeDefinitions = new Map<string, EventDefinition>();

function definitionKey(type: string, version: number): string {
  return `${type}@${version}`;
}

export function findEventDefinition(type: string, version: number): EventDefinition | undefined {
  return (
    EVENT_DEFINITIONS.find((d) => d.type === type && d.version === version) ??
    runtimeDefinitions.get(definitionKey(type, version))
  );
}

/**
 * Registers a definition outside the static list (meant for tests and tools). Refuses a type and
 * version that is already known. Returns a function that removes it again.
 */
export function registerEventDefinition(definition: EventDefinition): () => void {
  const key = definitionKey(definition.type, definition.version);
  if (findEventDefinition(definition.type, definition.version)) {
    throw new Error(`event ${definition.type} v${definition.version} is already registered`);
  }
  runtimeDefinitions.set(key, definition);
  return () => {
    if (runtimeDefinitions.get(key) === definition) runtimeDefinitions.delete(key);
  };
}

export type EventValidation =
  { ok: true; envelope: EventEnvelope; definition: EventDefinition } | { ok: false; reason: string };

function describeIssues(prefix: string, error: z.ZodError): string {
  const issues = error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  return `${prefix}: ${issues.join('; ')}`;
}

/**
 * Checks a candidate event: the envelope's shape, then `data` against the schema registered for its
 * type and version (an unknown type or version fails). On success `envelope.data` is the parsed data.
 */
export function validateEvent(candidate: unknown): EventValidation {
  const parsedEnvelope = envelopeSchema.safeParse(candidate);
  if (!parsedEnvelope.success) {
    return { ok: false, reason: describeIssues('invalid envelope', parsedEnvelope.error) };
  }
  const envelope = parsedEnvelope.data;
  const definition = findEventDefinition(envelope.type, envelope.version);
  if (!definition) {
    return { ok: false, reason: `unknown event type ${envelope.type} v${envelope.version}` };
  }
  const parsedData = definition.schema.safeParse(envelope.data);
  if (!parsedData.success) {
    return {
      ok: false,
      reason: describeIssues(`invalid data for ${envelope.type} v${envelope.version}`, parsedData.error),
    };
  }
  return { ok: true, envelope: { ...envelope, data: parsedData.data }, definition };
}
