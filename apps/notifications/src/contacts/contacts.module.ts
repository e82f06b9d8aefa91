import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ContactRecord, ContactSchema } from './contact.schema';
import { ContactsService } from './contacts.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: ContactRecord.name, schema: ContactSchema }])],
  providers: [ContactsService],
  exports: [ContactsService],
})
export class ContactsModule {}
