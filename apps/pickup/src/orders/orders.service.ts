import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { OrderPlacedV1, type PostalAddress } from '@app/contracts';
import { OutboxRelay, toOutboxEntries } from '@app/messaging';
import { AddressBookClient } from '../addresses/address-book.client';
import { Clock } from '../common/clock';
import { EventFactory } from '../common/event-factory';
import { IdGenerator } from '../common/id-generator';
import {
  afterTimeCursor,
  decodeTimeCursor,
  DEFAULT_PAGE_SIZE,
  encodeTimeCursor,
  pageOf,
  type Page,
} from '@app/platform';
import { findStamp } from '../stamps/stamp-catalogue.data';
import type { PlaceOrderDto } from './dto/place-order.dto';
import { Order, type OrderItem } from './order.schema';

export interface OrderView {
  orderId: string;
  items: OrderItem[];
  totalCents: number;
  shippingAddress: PostalAddress;
  status: string;
  createdAt: string;
}

function toOrderView(o: Order): OrderView {
  return {
    orderId: o._id,
    items: o.items,
    totalCents: o.totalCents,
    shippingAddress: o.shippingAddress,
    status: o.status,
    createdAt: o.createdAt.toISOString(),
  };
}

@Injectable()
export class OrdersService {
  constructor(
    @InjectModel(Order.name) readonly model: Model<Order>,
    private readonly addressBook: AddressBookClient,
    private readonly events: EventFactory,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async place(userId: string, input: PlaceOrderDto, authorization?: string): Promise<OrderView> {
    const items = this.price(input.items);
    const shippingAddress = await this.address(input, authorization);
    const totalCents = items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0);
    const orderId = this.ids.uuid();
    const order: Order = {
      _id: orderId,
      userId,
      items,
      totalCents,
      shippingAddress,
      status: 'placed',
      createdAt: this.clock.now(),
      outbox: [],
    };
    order.outbox = toOutboxEntries([
      this.events.create(OrderPlacedV1, orderId, { orderId, userId, items, totalCents, shippingAddress }),
    ]);
    await this.model.create(order);
    await this.relay.flush(this.model, [orderId]);
    return toOrderView(order);
  }

  async list(userId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<OrderView>> {
    const rows = await this.model
      .find({ userId, ...afterTimeCursor(decodeTimeCursor(cursor)) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<Order[]>()
      .exec();
    return pageOf(rows, limit, (last) => encodeTimeCursor({ createdAt: last.createdAt, id: last._id }), toOrderView);
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
