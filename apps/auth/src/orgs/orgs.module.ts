import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../users/accounts.module';
import { InternalOrgAuditController } from './internal-org-audit.controller';
import { OrgAddressBook } from './org-addresses.service';
import {
  ORG_AUDIT_MODEL,
  ORG_MEMBERSHIP_MODEL,
  ORG_MODEL,
  OrgAuditSchema,
  OrgMembershipSchema,
  OrgSchema,
} from './org.schema';
import { CurrentOrgController, OrgsController } from './orgs.controller';
import { OrgsRepository } from './orgs.repository';
import { OrgsService } from './orgs.service';

/** Organisations: members and roles, invitations, the audit log and the organisation's address book. */
@Module({
  imports: [
    AccountsModule,
    MongooseModule.forFeature([
      { name: ORG_MODEL, schema: OrgSchema },
      { name: ORG_MEMBERSHIP_MODEL, schema: OrgMembershipSchema },
      { name: ORG_AUDIT_MODEL, schema: OrgAuditSchema },
    ]),
  ],
  controllers: [OrgsController, CurrentOrgController, InternalOrgAuditController],
  providers: [OrgsRepository, OrgsService, OrgAddressBook],
  exports: [OrgsRepository, OrgAddressBook],
})
export class OrgsModule {}
