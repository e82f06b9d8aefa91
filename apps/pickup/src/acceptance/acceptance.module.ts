import { Module } from '@nestjs/common';
import { LabelsModule } from '../labels/labels.module';
import { PickupsModule } from '../pickups/pickups.module';
import { AcceptanceConsumer } from './acceptance.consumer';
import { AcceptanceService } from './acceptance.service';

@Module({ imports: [LabelsModule, PickupsModule], providers: [AcceptanceService, AcceptanceConsumer] })
export class AcceptanceModule {}
