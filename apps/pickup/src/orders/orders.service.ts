import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { OrderPlacedV1, type PostalAddress } from '@app/contracts';
import { toOutboxEntries } from '@app/messaging';
import { AddressBookClient } from '../addresses/address-book.client';
import { EventFactory } from '../common/event-factory';
import {
  decodeTimeCursor,
  DEFAULT_PAGE_SIZE,
  encodeTimeCursor,
  pageOf,
  type Page,
  Clock,
  IdGenerator,
  PeriodicTask,
  stampText,
} from '@app/platform';
import type { Language } from '@app/contracts/i18n/languages';
import { findStamp } from '../stamps/stamp-catalogue.data';
import { CheckoutService } from '../account/checkout.service';
import { LedgerService } from '../account/ledger.service';
import { LabelsService } from '../labels/labels.service';
import { RefundService, type RefundView } from '../account/refund.service';
import type { PaymentView } from '../payments/dto/payment.dto';
import { derivedId } from '../payments/idempotency.service';

/** The ledger entry that pays for an order (its id is also the provider's idempotency key). */
export const orderChargeId = (orderId: string) => `order_charge:${orderId}`;
import type { PlaceOrderDto } from './dto/place-order.dto';
import type { Order, OrderItem } from './order.schema';
import { OrdersRepository } from './orders.repository';

export interface OrderView {
  orderId: string;
  /** How it was paid: on the answer to POST /orders. */
  payment?: PaymentView;
  items: OrderItem[];
  totalCents: number;
  shippingAddress: PostalAddress;
  status: string;
  paidBy?: 'balance' | 'card';
  trackingNumber?: string;
  shippedAt?: string;
  deliveredAt?: string;
  createdAt: string;
}

/** An order as the API gives it; its items' names in `language` (stored in English). */
function toOrderView(o: Order, language: Language = 'en'): OrderView {
  return {
    orderId: o._id,
    items: o.items.map((item) => ({ ...item, name: stampText(item.sku, 'name', item.name, language) })),
    totalCents: o.totalCents,
    shippingAddress: o.shippingAddress,
    status: o.status,
    paidBy: o.paidBy,
    trackingNumber: o.trackingNumber,
    shippedAt: o.shippedAt?.toISOString(),
    deliveredAt: o.deliveredAt?.toISOString(),
    createdAt: o.createdAt.toISOString(),
  };
}

@Injectable()
export class OrdersService implements OnModuleInit, OnModuleDestroy {
  /** Cancelled orders whose money a crash or an outage kept from going back. */
  private readonly refundSweep = new PeriodicTask(
    'order refunds',
    () => this.finishRefunds(),
    new Logger(OrdersService.name),
  );

  constructor(
    private readonly orders: OrdersRepository,
    private readonly addressBook: AddressBookClient,
    private readonly events: EventFactory,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly checkout: CheckoutService,
    private readonly refunds: RefundService,
    private readonly labels: LabelsService,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    // A paid order is inserted by its ledger entry's effect (now, or by the ledger's sweep after a crash).
    this.ledger.registerEffect('place_order', (document) => this.insertPaid(document));
    this.refundSweep.start(10_000);
  }

  onModuleDestroy(): void {
    this.refundSweep.stop();
  }

  /**
   * Cancels an order until it is shipped and returns the whole price the way it was paid. The
   * status and `refundPending` are one write; the money follows, and the sweep finishes it after a crash.
   */
  async cancel(userId: string, orderId: string): Promise<OrderView & { refund?: RefundView }> {
    const order = await this.orders.findOwned(userId, orderId);
    if (!order) throw new NotFoundException(`order ${orderId} not found`);
    const cancellable = ['placed', 'paid'];
    if (!cancellable.includes(order.status)) {
      throw new ConflictException(`the order is ${order.status}; only an order not yet shipped can be cancelled`);
    }
    const cancelledAt = this.clock.now();
    const updated = await this.orders.cancel(orderId, userId, cancellable, cancelledAt);
    if (!updated) throw new ConflictException('the order changed while cancelling (shipped?); reload it');
    const refund = await this.returnMoney(order);
    return { ...toOrderView({ ...order, status: 'cancelled' }), refund };
  }

  private async returnMoney(order: Order): Promise<RefundView | undefined> {
    const refund = await this.refunds.refund(
      orderChargeId(order._id),
      `order_refund:${order._id}`,
      'order_refund',
      `Refund of stamps order ${order._id}`,
    );
    if (refund?.status !== 'pending') await this.orders.clearRefundPending(order._id);
    return refund;
  }

  /** Orders in one state, oldest first (the operator's list of orders to ship is `paid`). */
  async listByStatus(status: string, limit = DEFAULT_PAGE_SIZE): Promise<OrderView[]> {
    return (await this.orders.listByStatus(status, limit)).map((order) => toOrderView(order));
  }

  /**
   * Ships a paid order: creates the label of ours it travels with (idempotent: its id derives from
   * the order's), then marks the order shipped with its tracking number. 409 unless `paid`.
   */
  async ship(orderId: string): Promise<OrderView> {
    const order = await this.orders.findById(orderId);
    if (!order) throw new NotFoundException(`order ${orderId} not found`);
    if (order.status !== 'paid') throw new ConflictException(`the order is ${order.status}; only a paid order ships`);
    const label = await this.labels.issueForOrder({
      orderId,
      userId: order.userId,
      shippingAddress: order.shippingAddress,
    });
    const shippedAt = this.clock.now();
    const shipped = await this.orders.ship(orderId, label._id, shippedAt);
    if (!shipped) throw new ConflictException('the order changed while shipping (cancelled?); reload it');
    return toOrderView({ ...order, status: 'shipped', trackingNumber: label._id, shippedAt });
  }

  /** A delivered scan of an order's label marks the order delivered (repeats change nothing). */
  async onParcelDelivered(trackingNumber: string, orderId: string, deliveredAt: Date): Promise<void> {
    await this.orders.markDelivered(orderId, trackingNumber, deliveredAt);
  }

  /** The sweep: cancelled orders whose money a crash or an outage kept from going back. */
  async finishRefunds(): Promise<number> {
    const pending = await this.orders.findRefundPending(50);
    let done = 0;
    for (const order of pending) if ((await this.returnMoney(order))?.status !== 'pending') done += 1;
    return done;
  }

  /**
   * Places an order once it is paid (`input.payment`): the order is written, `paid`, by the ledger
   * entry that pays for it. With an Idempotency-Key the order id derives from the key.
   */
  async place(userId: string, input: PlaceOrderDto, authorization?: string, scope?: string): Promise<OrderView> {
    const items = this.price(input.items);
    const shippingAddress = await this.address(input, authorization);
    if (input.payment.method === 'balance' && input.payment.paymentMethodId !== undefined) {
      throw new BadRequestException('payment.paymentMethodId is only for method "card"');
    }
    const totalCents = items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0);
    const orderId = scope ? derivedId(scope, 'order') : this.ids.uuid();
    const order: Order = {
      _id: orderId,
      userId,
      items,
      totalCents,
      shippingAddress,
      status: 'paid',
      paidBy: input.payment.method,
      createdAt: this.clock.now(),
      outbox: [],
    };
    order.outbox = toOutboxEntries([
      this.events.create(OrderPlacedV1, orderId, { orderId, userId, items, totalCents, shippingAddress }),
    ]);
    const { entry, payment } = await this.checkout.purchase({
      entryId: orderChargeId(orderId),
      ownerId: userId,
      kind: 'order_charge',
      amountCents: totalCents,
      description: `Stamps order ${orderId}`,
      subjectId: orderId,
      payment: input.payment,
      effect: { type: 'place_order', document: order as unknown as Record<string, unknown> },
    });
    // On a retry the entry carries the first call's order.
    return { ...toOrderView(entry.effect.document as unknown as Order), payment };
  }

  /** Inserts a paid order (a ledger entry's effect); repeating it changes nothing. */
  async insertPaid(document: Record<string, unknown>): Promise<void> {
    await this.orders.insertIfAbsent(document as unknown as Order);
  }

  async list(
    userId: string,
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
    language: Language = 'en',
  ): Promise<Page<OrderView>> {
    const rows = await this.orders.list(userId, limit, decodeTimeCursor(cursor));
    return pageOf(
      rows,
      limit,
      (last) => encodeTimeCursor({ createdAt: last.createdAt, id: last._id }),
      (order) => toOrderView(order, language),
    );
  }

  private price(requested: PlaceOrderDto['items']): OrderItem[] {
    const bySku = new Map<string, OrderItem>();
    for (const { sku, quantity } of requested) {
      const product = findStamp(sku);
      if (!product) throw new BadRequestException(`unknown sku ${sku}`);
      const existing = bySku.get(sku);
      if (existing) throw new BadRequestException(`sku ${sku} appears twice; give one line per sku`);
      bySku.set(sku, { sku, name: product.name, quantity, priceCents: product.priceCents });
    }
    return [...bySku.values()];
  }

  private async address(input: PlaceOrderDto, authorization?: string): Promise<PostalAddress> {
    if (input.shippingAddress && input.shippingAddressId) {
      throw new BadRequestException('give either shippingAddress or shippingAddressId, not both');
    }
    if (input.shippingAddress) return { ...input.shippingAddress };
    if (input.shippingAddressId) return this.addressBook.resolve(input.shippingAddressId, authorization);
    throw new BadRequestException('shippingAddressId or shippingAddress is required');
  }
}
