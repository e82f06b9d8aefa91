import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountModule } from '../account/account.module';
import { AddressesModule } from '../addresses/addresses.module';
import { RatesModule } from '../rates/rates.module';
import { Label, LabelSchema } from './label.schema';
import { LabelPdfRenderer } from './label-pdf.renderer';
import { LabelsController } from './labels.controller';
import { LabelFormatsController } from './label-formats.controller';
import { LabelPngRenderer } from './label-png.renderer';
import { LabelQrRenderer } from './label-qr.renderer';
import { LabelZplRenderer } from './label-zpl.renderer';
import { ReturnLabelsController } from './return-labels.controller';
import { ReturnLabelsService } from './return-labels.service';
import { LabelsRepository } from './labels.repository';
import { LabelsService } from './labels.service';
import { SerialAllocator } from './serial-allocator';
import { SerialPermutation } from './serial-permutation';
import { MAX_IMPB_SERIAL } from './impb';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import { SerialReservation, SerialReservationSchema } from './serial-reservation.schema';
import { SerialReservationsRepository } from './serial-reservations.repository';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Label.name, schema: LabelSchema },
      { name: SerialReservation.name, schema: SerialReservationSchema },
    ]),
    RatesModule,
    AddressesModule,
    AccountModule,
  ],
  controllers: [LabelsController, LabelFormatsController, ReturnLabelsController],
  providers: [
    LabelsService,
    LabelsRepository,
    LabelPdfRenderer,
    // Label formats and return labels (issue 18).
    LabelZplRenderer,
    LabelPngRenderer,
    LabelQrRenderer,
    ReturnLabelsService,
    SerialAllocator,
    SerialReservationsRepository,
    {
      provide: SerialPermutation,
      inject: [PICKUP_CONFIG],
      useFactory: (config: PickupConfig) => new SerialPermutation(config.IMPB_SERIAL_KEY, MAX_IMPB_SERIAL),
    },
  ],
  exports: [LabelsService, LabelsRepository, ReturnLabelsService, SerialAllocator, LabelPdfRenderer],
})
export class LabelsModule {}
