import { CodesModule } from '../codes/codes.module';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OrgsModule } from '../orgs/orgs.module';
import { AccountsModule } from '../users/accounts.module';
import { AddressLetterSchema, ADDRESS_LETTER_MODEL } from './address-letter.schema';
import { AddressesController, AddressLettersController } from './addresses.controller';
import { AddressLettersRepository } from './address-letters.repository';
import { AddressesService } from './addresses.service';

/** The address book and the verification of an address by a letter with a code. */
@Module({
  imports: [
    AccountsModule,
    CodesModule,
    OrgsModule,
    MongooseModule.forFeature([{ name: ADDRESS_LETTER_MODEL, schema: AddressLetterSchema }]),
  ],
  controllers: [AddressesController, AddressLettersController],
  providers: [AddressLettersRepository, AddressesService],
  exports: [AddressesService],
})
export class AddressesModule {}
