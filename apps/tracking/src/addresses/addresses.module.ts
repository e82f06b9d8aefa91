import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AddressesService } from './addresses.service';
import { VerifiedAddressesRepository } from './verified-addresses.repository';
import {
  ADDRESS_INDEX_MODEL,
  AddressIndexSchema,
  USER_ADDRESSES_MODEL,
  UserAddressesSchema,
} from './verified-address.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ADDRESS_INDEX_MODEL, schema: AddressIndexSchema },
      { name: USER_ADDRESSES_MODEL, schema: UserAddressesSchema },
    ]),
  ],
  providers: [VerifiedAddressesRepository, AddressesService],
  exports: [AddressesService],
})
export class AddressesModule {}
