import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { PreferencesModule } from '../preferences/preferences.module';
import { OrgRostersModule } from '../orgs/org-rosters.module';
import { NotificationDispatcher } from './notification-dispatcher.service';

@Module({
  imports: [ContactsModule, PreferencesModule, OrgRostersModule],
  providers: [NotificationDispatcher],
  exports: [NotificationDispatcher, ContactsModule, OrgRostersModule],
})
export class DispatchModule {}
