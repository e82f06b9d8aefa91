import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  type EventEnvelope,
  LabelCreatedV1,
  LabelRefundedV1,
  type ParcelStatusChangedData,
  type PostalAddress,
  StatusCategories,
} from '@app/contracts';
import { applyOnce, OutboxRelay, toOutboxEntries, withOutbox } from '@app/messaging';
import { AddressBookClient } from '../addresses/address-book.client';
import { Clock } from '../common/clock';
import { EventFactory } from '../common/event-factory';
import { IdGenerator } from '../common/id-generator';
import { DEFAULT_PAGE_SIZE, encodeTimeCursor, pageOf, type Page, type QuotaLimit, RedisQuota } from '@app/platform';
import { RedisConnection } from '../common/redis.provider';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import { RatesService } from '../rates/rates.service';
import type { CreateLabelDto } from './dto/create-label.dto';
import { buildImpbPic } from './impb';
import type { Label } from './label.schema';
import { LabelsRepository } from './labels.repository';
import { SerialAllocator } from './serial-allocator';

export const REFUND_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
const MAX_SERIAL_ATTEMPTS = 5;

export interface LabelView {
  labelId: string;
  trackingNumber: string;
  service: string;
  priceCents: number;
  zone: number;
  deliveryDays: number;
  status: string;
  from: PostalAddress;
  to: PostalAddress;
  weightOz: number;
  createdAt: string;
  refundedAt?: string;
  acceptedAt?: string;
  pickupConfirmationNumber?: string;
}

export function toLabelView(label: Label): LabelView {
  return {
    labelId: label.labelId,
    trackingNumber: label._id,
    service: label.service,
    priceCents: label.priceCents,
    zone: label.zone,
    deliveryDays: label.deliveryDays,
    status: label.status,
    from: label.from,
    to: label.to,
    weightOz: label.weightOz,
    createdAt: label.createdAt.toISOString(),
    refundedAt: label.refundedAt?.toISOString(),
    acceptedAt: label.acceptedAt?.toISOString(),
    pickupConfirmationNumber: label.pickupConfirmationNumber,
  };
}

/** Whether a tracking event is the acceptance of a parcel: its first change out of pre_shipment. */
export function isAcceptance(data: ParcelStatusChangedData): boolean {
  const fromPreShipment = data.previousCategory === undefined || data.previousCategory === StatusCategories.PreShipment;
  return fromPreShipment && data.statusCategory !== StatusCategories.PreShipment;
}

@Injectable()
export class LabelsService {
  private readonly quota: RedisQuota;
  private readonly labelsPerAccount: QuotaLimit;

  constructor(
    private readonly labels: LabelsRepository,
    private readonly rates: RatesService,
    private readonly addressBook: AddressBookClient,
    private readonly serials: SerialAllocator,
    private readonly events: EventFactory,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    @Inject(PICKUP_CONFIG) private readonly config: PickupConfig,
    redis: RedisConnection,
  ) {
    this.quota = new RedisQuota(redis.client, 'pickup:quota');
    const window = config.PICKUP_LABEL_RATE_LIMIT_WINDOW_SECONDS;
    const per = window === 3600 ? 'per hour' : `in ${window} seconds`;
    this.labelsPerAccount = {
      name: 'labels:account',
      points: config.PICKUP_LABEL_RATE_LIMIT,
      durationSeconds: window,
      reason: `at most ${config.PICKUP_LABEL_RATE_LIMIT} labels per account ${per}; try again later`,
    };
  }

  async create(userId: string, input: CreateLabelDto, authorization?: string): Promise<LabelView> {
    const from = await this.address(input.from, input.fromAddressId, 'from', authorization);
    const to = await this.address(input.to, input.toAddressId, 'to', authorization);
    const [rate] = this.rates.quote(from.zip, to.zip, input, input.service);
    const dims =
      input.lengthIn !== undefined && input.widthIn !== undefined && input.heightIn !== undefined
        ? { lengthIn: input.lengthIn, widthIn: input.widthIn, heightIn: input.heightIn }
        : undefined;
    // Each label takes a tracking number: a per-account limit keeps one account from draining or
    // mapping the serial space (429 with Retry-After). Invalid requests above do not count.
    await this.quota.take([{ limit: this.labelsPerAccount, key: userId }]);
    const labelId = this.ids.uuid();
    const createdAt = this.clock.now();

    for (let attempt = 0; attempt < MAX_SERIAL_ATTEMPTS; attempt++) {
      const { index, serial } = await this.serials.next();
      const trackingNumber = buildImpbPic(input.service, this.config.IMPB_MAILER_ID, serial);
      const event = this.events.create(LabelCreatedV1, trackingNumber, {
        labelId,
        trackingNumber,
        userId,
        service: rate.service,
        priceCents: rate.priceCents,
        zone: rate.zone,
        deliveryDays: rate.deliveryDays,
        from,
        to,
        createdAt: createdAt.toISOString(),
      });
      const label: Label = {
        _id: trackingNumber,
        labelId,
        serialIndex: index,
        userId,
        service: rate.service,
        priceCents: rate.priceCents,
        zone: rate.zone,
        deliveryDays: rate.deliveryDays,
        weightOz: input.weightOz,
        dimensions: dims,
        from,
        to,
        status: 'active',
        createdAt,
        appliedEventIds: [],
        outbox: toOutboxEntries([event]),
      };
      // The tracking number is `_id`: a taken one means the counter is behind the stored labels (or
      // the serial was handed out before serials were permuted); the next value gives another.
      if (await this.labels.insert(label)) {
        await this.flush([trackingNumber]);
        return toLabelView(label);
      }
      await this.serials.recover('collision');
    }
    throw new ConflictException('could not allocate a unique tracking number; try again');
  }

  async list(userId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<LabelView>> {
    const rows = await this.labels.list(userId, limit, cursor);
    return pageOf(rows, limit, (last) => encodeTimeCursor({ createdAt: last.createdAt, id: last._id }), toLabelView);
  }

  async get(userId: string, labelId: string): Promise<Label> {
    const label = await this.labels.findOwned(userId, labelId);
    if (!label) throw new NotFoundException(`label ${labelId} not found`);
    return label;
  }

  async refund(userId: string, labelId: string): Promise<LabelView> {
    const label = await this.get(userId, labelId);
    this.assertRefundable(label);
    const refundedAt = this.clock.now();
    const event = this.events.create(LabelRefundedV1, label._id, {
      labelId,
      trackingNumber: label._id,
      userId,
      priceCents: label.priceCents,
      refundedAt: refundedAt.toISOString(),
    });
    const updated = await this.labels.update(
      { _id: label._id, status: 'active', acceptedAt: { $exists: false } },
      withOutbox({ $set: { status: 'refunded', refundedAt } }, [event]),
    );
    if (!updated) {
      this.assertRefundable((await this.labels.findByTrackingNumber(label._id)) ?? label);
      throw new ConflictException('the label changed while refunding; try again');
    }
    await this.flush([label._id]);
    return toLabelView({ ...label, status: 'refunded', refundedAt });
  }

  /** Records the acceptance scan of a label's parcel; returns the label when this event accepted it. */
  async recordAcceptance(envelope: EventEnvelope<ParcelStatusChangedData>): Promise<Label | undefined> {
    const data = envelope.data;
    if (!isAcceptance(data)) return undefined;
    const label = await this.labels.findByTrackingNumber(data.trackingNumber);
    if (!label || label.acceptedAt || label.appliedEventIds.includes(envelope.id)) return undefined;
    const acceptedAt = new Date(data.occurredAt);
    const once = applyOnce({ _id: label._id, acceptedAt: { $exists: false } }, { $set: { acceptedAt } }, envelope.id);
    const updated = await this.labels.update(once.filter, once.update);
    return updated ? { ...label, acceptedAt } : undefined;
  }

  private assertRefundable(label: Label): void {
    if (label.status === 'refunded') throw new ConflictException('the label is already refunded');
    if (label.acceptedAt) throw new ConflictException('the parcel has been accepted by the postal service');
    if (this.clock.now().getTime() - label.createdAt.getTime() >= REFUND_WINDOW_DAYS * DAY_MS) {
      throw new ConflictException(`labels can be refunded only within ${REFUND_WINDOW_DAYS} days`);
    }
  }

  private async address(
    inline: PostalAddress | undefined,
    addressId: string | undefined,
    field: 'from' | 'to',
    authorization?: string,
  ): Promise<PostalAddress> {
    if (inline && addressId) throw new BadRequestException(`give either ${field} or ${field}AddressId, not both`);
    if (inline) return { ...inline };
    if (addressId) return this.addressBook.resolve(addressId, authorization);
    throw new BadRequestException(`${field} or ${field}AddressId is required`);
  }

  private async flush(ids: string[]): Promise<void> {
    // The relay's periodic sweep publishes anything a failed flush leaves behind.
    await this.relay.flush(this.labels.model, ids).catch(() => undefined);
  }
}
