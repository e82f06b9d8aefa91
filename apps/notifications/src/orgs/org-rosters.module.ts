import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OrgRosterRecord, OrgRosterSchema } from './org-roster.schema';
import { OrgRostersRepository } from './org-rosters.repository';
import { OrgRostersService } from './org-rosters.service';
import { OrgSettingsController } from './org-settings.controller';

@Module({
  imports: [MongooseModule.forFeature([{ name: OrgRosterRecord.name, schema: OrgRosterSchema }])],
  controllers: [OrgSettingsController],
  providers: [OrgRostersRepository, OrgRostersService],
  exports: [OrgRostersService],
})
export class OrgRostersModule {}
