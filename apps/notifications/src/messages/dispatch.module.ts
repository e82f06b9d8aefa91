import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { PreferencesModule } from '../preferences/preferences.module';
import { NotificationDispatcher } from './notification-dispatcher.service';

@Module({
  imports: [ContactsModule, PreferencesModule],
  providers: [NotificationDispatcher],
  exports: [NotificationDispatcher, ContactsModule],
})
export class DispatchModule {}
