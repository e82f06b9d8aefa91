import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { PreferencesModule } from '../preferences/preferences.module';
import { NotificationDispatcher } from './notification-dispatcher.service';
import { Clock } from '@app/platform';

@Module({
  imports: [ContactsModule, PreferencesModule],
  providers: [NotificationDispatcher, Clock],
  exports: [NotificationDispatcher, ContactsModule],
})
export class DispatchModule {}
