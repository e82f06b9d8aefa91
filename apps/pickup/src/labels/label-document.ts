import { LabelCreatedV1, type PostalAddress } from '@app/contracts';
import { toOutboxEntries } from '@app/messaging';
import type { EventFactory } from '../common/event-factory';
import type { Rate } from '../rates/rate-calculator';
import type { Label } from './label.schema';

/** What every new label is made of; `more` holds what only some labels have (payment, batch, order, return). */
export interface LabelDraft {
  labelId: string;
  trackingNumber: string;
  serialIndex: number;
  /** the owner key (a person's id, or `org:<id>`) */
  userId: string;
  /** for an organisation's label: the member who bought it (told by email) */
  actedBy?: string;
  rate: Rate;
  weightOz: number;
  dimensions?: Label['dimensions'];
  from: PostalAddress;
  to: PostalAddress;
  createdAt: Date;
  more?: Pick<Label, 'paidBy' | 'batchId' | 'orderId' | 'returnOf' | 'returnCharge'>;
}

/**
 * A new label document with its `LabelCreated` event in its outbox: the one shape of a label,
 * whether it is bought alone, in a batch, for a stamps order or as a return label.
 */
export function newLabelDocument(events: EventFactory, draft: LabelDraft): Label {
  const { labelId, trackingNumber, userId, rate, from, to, createdAt, more = {} } = draft;
  const event = events.create(LabelCreatedV1, trackingNumber, {
    labelId,
    trackingNumber,
    userId,
    ...(draft.actedBy ? { actedBy: draft.actedBy } : {}),
    service: rate.service,
    priceCents: rate.priceCents,
    zone: rate.zone,
    deliveryDays: rate.deliveryDays,
    from,
    to,
    createdAt: createdAt.toISOString(),
    ...(more.returnOf ? { returnOf: more.returnOf } : {}),
  });
  return {
    _id: trackingNumber,
    labelId,
    serialIndex: draft.serialIndex,
    userId,
    ...(draft.actedBy ? { createdBy: draft.actedBy } : {}),
    service: rate.service,
    priceCents: rate.priceCents,
    zone: rate.zone,
    deliveryDays: rate.deliveryDays,
    weightOz: draft.weightOz,
    ...(draft.dimensions ? { dimensions: draft.dimensions } : {}),
    from,
    to: { ...to },
    status: 'active',
    ...more,
    createdAt,
    appliedEventIds: [],
    outbox: toOutboxEntries([event]),
  };
}
