import { Module } from '@nestjs/common';
import { AddressBookClient } from './address-book.client';

@Module({ providers: [AddressBookClient], exports: [AddressBookClient] })
export class AddressesModule {}
