import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxRelay } from '@app/messaging';
import { AddressesModule } from '../addresses/addresses.module';
import { Order, OrderSchema } from './order.schema';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: Order.name, schema: OrderSchema }]), AddressesModule],
  controllers: [OrdersController],
  providers: [OrdersService],
})
export class OrdersModule implements OnModuleInit {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly orders: OrdersService,
  ) {}

  onModuleInit(): void {
    this.relay.watch(this.orders.model);
  }
}
