import { Module, type OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountModule } from '../account/account.module';
import { LedgerService } from '../account/ledger.service';
import { AddressesModule } from '../addresses/addresses.module';
import { Order, OrderSchema } from './order.schema';
import { OrdersAdminController } from './orders-admin.controller';
import { OrdersController } from './orders.controller';
import { LabelsModule } from '../labels/labels.module';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Order.name, schema: OrderSchema }]),
    AddressesModule,
    AccountModule,
    LabelsModule,
  ],
  controllers: [OrdersController, OrdersAdminController],
  providers: [OrdersRepository, OrdersService],
  exports: [OrdersService],
})
export class OrdersModule implements OnModuleInit, OnModuleDestroy {
  private refundSweep?: NodeJS.Timeout;

  constructor(
    private readonly orders: OrdersService,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    // A paid order is inserted by its ledger entry's effect (now, or by the sweep after a crash).
    this.ledger.registerEffect('place_order', (document) => this.orders.insertPaid(document));
    this.refundSweep = setInterval(() => void this.orders.finishRefunds().catch(() => undefined), 10_000);
    this.refundSweep.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.refundSweep);
  }
}
