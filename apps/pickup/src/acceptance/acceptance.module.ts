import { OrdersModule } from '../orders/orders.module';
import { Module } from '@nestjs/common';
import { LabelsModule } from '../labels/labels.module';
import { ManifestsModule } from '../manifests/manifests.module';
import { PickupsModule } from '../pickups/pickups.module';
import { AcceptanceConsumer } from './acceptance.consumer';
import { AcceptanceService } from './acceptance.service';

@Module({
  imports: [LabelsModule, PickupsModule, OrdersModule, ManifestsModule],
  providers: [AcceptanceService, AcceptanceConsumer],
})
export class AcceptanceModule {}
