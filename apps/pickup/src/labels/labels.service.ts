import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import {
  type EventEnvelope,
  LabelRefundedV1,
  type ParcelStatusChangedData,
  type PostalAddress,
  StatusCategories,
} from '@app/contracts';
import { AddressBookClient } from '../addresses/address-book.client';
import { EventFactory } from '../common/event-factory';
import {
  DEFAULT_PAGE_SIZE,
  encodeTimeCursor,
  pageOf,
  type Page,
  type QuotaLimit,
  quotaReason,
  RedisQuota,
  Clock,
  IdGenerator,
  PeriodicTask,
  RedisConnection,
} from '@app/platform';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import { RatesService } from '../rates/rates.service';
import type { CreateLabelDto } from './dto/create-label.dto';
import { buildImpbPic } from './impb';
import type { Label } from './label.schema';
import { LabelsRepository } from './labels.repository';
import { SerialAllocator } from './serial-allocator';
import { CheckoutService } from '../account/checkout.service';
import { LedgerService } from '../account/ledger.service';
import { RefundService, type RefundView } from '../account/refund.service';
import type { PaymentView } from '../payments/dto/payment.dto';
import { derivedId } from '../payments/idempotency.service';
import { newLabelDocument } from './label-document';

export const REFUND_WINDOW_DAYS = 30;

/** Where stamp orders ship from (the label of ours that makes an order trackable). */
export const FULFILMENT_ORIGIN: PostalAddress = {
  name: 'STAMP FULFILLMENT CENTER',
  line1: '8300 NE UNDERGROUND DR',
  city: 'KANSAS CITY',
  state: 'MO',
  zip: '64161',
};
/** A packet of stamps: the weight its label is rated at. */
const STAMP_PACKET_OZ = 4;
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
  /** How it was paid (on labels paid since payments began). */
  paidBy?: 'balance' | 'card';
  /** Set on the label that ships a stamps order. */
  orderId?: string;
  /** On a return label: the outbound label it returns. */
  returnOf?: string;
  /** On a return label: its charge, made on the first acceptance scan (`awaiting_scan`, `due`, `charged`, `failed`). */
  returnCharge?: {
    method: 'balance' | 'card';
    state: string;
    chargedAt?: string;
    failedAt?: string;
    failureReason?: string;
  };
}

/** A new label with how it was paid: method, amount, the provider's payment id and the card's brand and last 4. */
export type PaidLabelView = LabelView & { payment: PaymentView };

/** The ledger entry that pays for a label (its id is also the provider's idempotency key). */
export const labelChargeId = (labelId: string) => `label_charge:${labelId}`;

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
    paidBy: label.paidBy,
    orderId: label.orderId,
    returnOf: label.returnOf,
    returnCharge: label.returnCharge && {
      method: label.returnCharge.method,
      state: label.returnCharge.state,
      chargedAt: label.returnCharge.chargedAt?.toISOString(),
      failedAt: label.returnCharge.failedAt?.toISOString(),
      failureReason: label.returnCharge.failureReason,
    },
  };
}

/** Whether a tracking event is the acceptance of a parcel: its first change out of pre_shipment. */
export function isAcceptance(data: ParcelStatusChangedData): boolean {
  const fromPreShipment = data.previousCategory === undefined || data.previousCategory === StatusCategories.PreShipment;
  return fromPreShipment && data.statusCategory !== StatusCategories.PreShipment;
}

@Injectable()
export class LabelsService implements OnModuleInit, OnModuleDestroy {
  /** Refunds a crash or an outage kept from going back. */
  private readonly refundSweep = new PeriodicTask(
    'label refunds',
    () => this.finishRefunds(),
    new Logger(LabelsService.name),
  );
  private readonly quota: RedisQuota;
  private readonly labelsPerAccount: QuotaLimit;

  constructor(
    private readonly labels: LabelsRepository,
    private readonly rates: RatesService,
    private readonly addressBook: AddressBookClient,
    private readonly serials: SerialAllocator,
    private readonly events: EventFactory,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    @Inject(PICKUP_CONFIG) private readonly config: PickupConfig,
    redis: RedisConnection,
    private readonly checkout: CheckoutService,
    private readonly refunds: RefundService,
    private readonly ledger: LedgerService,
  ) {
    this.quota = new RedisQuota(redis.client, 'pickup:quota');
    const window = config.PICKUP_LABEL_RATE_LIMIT_WINDOW_SECONDS;
    this.labelsPerAccount = {
      name: 'labels:account',
      points: config.PICKUP_LABEL_RATE_LIMIT,
      durationSeconds: window,
      reason:
        window === 3600
          ? quotaReason('errors:quota_labels_hour', config.PICKUP_LABEL_RATE_LIMIT)
          : quotaReason('errors:quota_labels_window', config.PICKUP_LABEL_RATE_LIMIT, window),
    };
  }

  onModuleInit(): void {
    // A paid label is inserted by its ledger entry's effect (now, or by the ledger's sweep after a crash).
    this.ledger.registerEffect('issue_label', (document) => this.issue(document));
    this.refundSweep.start(10_000);
  }

  onModuleDestroy(): void {
    this.refundSweep.stop();
  }

  /**
   * Creates a label once it is paid (`input.payment`): the label document is prepared with its
   * tracking number, then written by the same ledger entry that pays for it (see CheckoutService).
   * With an Idempotency-Key (`scope`) the label id derives from the key, so a retry finds the first.
   */
  async create(
    userId: string,
    input: CreateLabelDto,
    authorization?: string,
    scope?: string,
    actedBy?: string,
  ): Promise<PaidLabelView> {
    const labelId = scope ? derivedId(scope, 'label') : this.ids.uuid();
    const from = await this.address(input.from, input.fromAddressId, 'from', authorization);
    const to = await this.address(input.to, input.toAddressId, 'to', authorization);
    if (input.payment.method === 'balance' && input.payment.paymentMethodId !== undefined) {
      throw new BadRequestException('payment.paymentMethodId is only for method "card"');
    }
    const [rate] = this.rates.quote(from.zip, to.zip, input, input.service);
    const dims =
      input.lengthIn !== undefined && input.widthIn !== undefined && input.heightIn !== undefined
        ? { lengthIn: input.lengthIn, widthIn: input.widthIn, heightIn: input.heightIn }
        : undefined;
    const purchase = (label: Label) =>
      this.checkout.purchase({
        entryId: labelChargeId(labelId),
        ownerId: userId,
        kind: 'label_charge',
        amountCents: label.priceCents,
        description: `Shipping label ${label._id} (${label.service})`,
        subjectId: labelId,
        payment: input.payment,
        effect: { type: 'issue_label', document: label as unknown as Record<string, unknown> },
      });
    // A retry of a call that was paid already: answer the label its entry carries, allocate nothing.
    const paid = await this.checkout.booked(labelChargeId(labelId));
    if (paid) return this.paidView(await purchase(paid.effect.document as unknown as Label));
    // Each label takes a tracking number: a per-account limit keeps one account from draining or
    // mapping the serial space (429 with Retry-After). Invalid requests above do not count.
    await this.quota.take([{ limit: this.labelsPerAccount, key: userId }]);
    const createdAt = this.clock.now();

    for (let attempt = 0; attempt < MAX_SERIAL_ATTEMPTS; attempt++) {
      const { index, serial } = await this.serials.next();
      const trackingNumber = buildImpbPic(input.service, this.config.IMPB_MAILER_ID, serial);
      // The number must be free before money moves for it: the entry then inserts the label by it.
      if (await this.labels.findByTrackingNumber(trackingNumber)) {
        await this.serials.recover('collision');
        continue;
      }
      const label = newLabelDocument(this.events, {
        labelId,
        trackingNumber,
        serialIndex: index,
        userId,
        actedBy,
        rate,
        weightOz: input.weightOz,
        dimensions: dims,
        from,
        to,
        createdAt,
        more: { paidBy: input.payment.method },
      });
      return this.paidView(await purchase(label));
    }
    throw new ConflictException('could not allocate a unique tracking number; try again');
  }

  /**
   * The label that ships a stamps order, on our postage and owned by the customer (so it is on
   * their list and trackable). Its id derives from the order's, so shipping again finds it.
   */
  async issueForOrder(order: { orderId: string; userId: string; shippingAddress: PostalAddress }): Promise<Label> {
    const labelId = derivedId(`order:${order.orderId}`, 'fulfilment-label');
    const existing = await this.labels.findOwned(order.userId, labelId);
    if (existing) return existing;
    const service = 'ground_advantage';
    const [rate] = this.rates.quote(
      FULFILMENT_ORIGIN.zip,
      order.shippingAddress.zip,
      { weightOz: STAMP_PACKET_OZ },
      service,
    );
    const createdAt = this.clock.now();
    for (let attempt = 0; attempt < MAX_SERIAL_ATTEMPTS; attempt++) {
      const { index, serial } = await this.serials.next();
      const trackingNumber = buildImpbPic(service, this.config.IMPB_MAILER_ID, serial);
      const label = newLabelDocument(this.events, {
        labelId,
        trackingNumber,
        serialIndex: index,
        userId: order.userId,
        rate,
        weightOz: STAMP_PACKET_OZ,
        from: FULFILMENT_ORIGIN,
        to: order.shippingAddress,
        createdAt,
        more: { orderId: order.orderId },
      });
      if (await this.labels.insert(label)) {
        await this.flush([trackingNumber]);
        return label;
      }
      await this.serials.recover('collision');
    }
    throw new ConflictException('could not allocate a unique tracking number; try again');
  }

  /** Inserts a paid label (a ledger entry's effect); repeating it changes nothing. */
  async issue(document: Record<string, unknown>): Promise<void> {
    const label = document as unknown as Label;
    if (!(await this.labels.insert(label))) {
      const existing = await this.labels.findByTrackingNumber(label._id);
      if (existing?.labelId !== label.labelId) {
        throw new ConflictException(`tracking number ${label._id} of paid label ${label.labelId} is taken`);
      }
    }
    await this.flush([label._id]);
  }

  private paidView(result: { entry: { effect: { document?: Record<string, unknown> } }; payment: PaymentView }) {
    const label = result.entry.effect.document as unknown as Label;
    return { ...toLabelView(label), payment: result.payment };
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

  async refund(userId: string, labelId: string): Promise<LabelView & { refund?: RefundView }> {
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
    const updated = await this.labels.refund(label._id, refundedAt, [event]);
    if (!updated) {
      this.assertRefundable((await this.labels.findByTrackingNumber(label._id)) ?? label);
      throw new ConflictException('the label changed while refunding; try again');
    }
    await this.flush([label._id]);
    const refund = await this.returnMoney(label);
    return { ...toLabelView({ ...label, status: 'refunded', refundedAt }), refund };
  }

  /** Credits the balance or refunds the card, whichever paid; clears `refundPending` once done. */
  private async returnMoney(label: Label): Promise<RefundView | undefined> {
    // A batch's label was paid by the batch's one charge: its own price goes back to the balance.
    const refund = label.batchId
      ? await this.refunds.refundToBalance({
          refundEntryId: `label_refund:${label.labelId}`,
          ownerId: label.userId,
          amountCents: label.priceCents,
          description: `Refund of label ${label._id} (batch ${label.batchId})`,
          subjectId: label.labelId,
        })
      : await this.refunds.refund(
          labelChargeId(label.labelId),
          `label_refund:${label.labelId}`,
          'label_refund',
          `Refund of label ${label._id}`,
        );
    if (refund?.status !== 'pending') {
      await this.labels.clearRefundPending(label._id);
    }
    return refund;
  }

  /** The sweep: refunded labels whose money a crash or an outage kept from going back. */
  async finishRefunds(): Promise<number> {
    const pending = await this.labels.findRefundPending(50);
    let done = 0;
    for (const label of pending) {
      if ((await this.returnMoney(label))?.status !== 'pending') done += 1;
    }
    return done;
  }

  /** Records the acceptance scan of a label's parcel; returns the label when this event accepted it. */
  async recordAcceptance(envelope: EventEnvelope<ParcelStatusChangedData>): Promise<Label | undefined> {
    const data = envelope.data;
    if (!isAcceptance(data)) return undefined;
    const label = await this.labels.findByTrackingNumber(data.trackingNumber);
    if (!label || label.acceptedAt || label.appliedEventIds.includes(envelope.id)) return undefined;
    const acceptedAt = new Date(data.occurredAt);
    // A return label's charge falls due in the very write that accepts it (ReturnLabelsService charges it).
    const due = label.returnCharge?.state === 'awaiting_scan';
    const updated = await this.labels.accept(label._id, acceptedAt, due, envelope.id);
    if (!updated) return undefined;
    return due && label.returnCharge
      ? { ...label, acceptedAt, returnCharge: { ...label.returnCharge, state: 'due' } }
      : { ...label, acceptedAt };
  }

  private assertRefundable(label: Label): void {
    if (label.orderId) throw new ConflictException('this label ships a stamps order; cancel the order instead');
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

  private flush(ids: string[]): Promise<void> {
    return this.labels.flush(ids);
  }
}
