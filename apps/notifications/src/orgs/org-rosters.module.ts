import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OrgRosterRecord, OrgRosterSchema } from './org-roster.schema';
import { OrgRostersService } from './org-rosters.service';
import { OrgSettingsController } from './org-settings.controller';

@Module({
  imports: [MongooseModule.forFeature([{ name: OrgRosterRecord.name, schema: OrgRosterSchema }])],
  controllers: [OrgSettingsController],
  providers: [OrgRostersService],
  exports: [OrgRostersService],
})
export class OrgRostersModule {}
