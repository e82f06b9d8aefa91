import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxRelay } from '@app/messaging';
import { AddressesModule } from '../addresses/addresses.module';
import { LabelsModule } from '../labels/labels.module';
import { MissedPickupsJob } from './missed-pickups.job';
import { Pickup, PickupSchema } from './pickup.schema';
import { PickupsController } from './pickups.controller';
import { PickupsRepository } from './pickups.repository';
import { PickupsService } from './pickups.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: Pickup.name, schema: PickupSchema }]), LabelsModule, AddressesModule],
  controllers: [PickupsController],
  providers: [PickupsService, PickupsRepository, MissedPickupsJob],
  exports: [PickupsService],
})
export class PickupsModule implements OnModuleInit {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly repository: PickupsRepository,
  ) {}

  onModuleInit(): void {
    this.relay.watch(this.repository.model, { lock: this.repository.updates.lock });
  }
}
