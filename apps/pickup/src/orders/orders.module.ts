import { Module, type OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxRelay } from '@app/messaging';
import { AccountModule } from '../account/account.module';
import { LedgerService } from '../account/ledger.service';
import { AddressesModule } from '../addresses/addresses.module';
import { Order, OrderSchema } from './order.schema';
import { OrdersAdminController } from './orders-admin.controller';
import { OrdersController } from './orders.controller';
import { LabelsModule } from '../labels/labels.module';
import { OrdersService } from './orders.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Order.name, schema: OrderSchema }]),
    AddressesModule,
    AccountModule,
    LabelsModule,
  ],
  controllers: [OrdersController, OrdersAdminController],
  providers: [OrdersService],
  exports: [OrdersService],
})
export class OrdersModule implements OnModuleInit, OnModuleDestroy {
  private refundSweep?: NodeJS.Timeout;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly orders: OrdersService,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    this.relay.watch(this.orders.model, { lock: this.orders.updates.lock });
    // A paid order is inserted by its ledger entry's effect (now, or by the sweep after a crash).
    this.ledger.registerEffect('place_order', (document) => this.orders.insertPaid(document));
    this.refundSweep = setInterval(() => void this.orders.finishRefunds().catch(() => undefined), 10_000);
    this.refundSweep.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.refundSweep);
  }
}
