import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountModule } from '../account/account.module';
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
export class OrdersModule {}
