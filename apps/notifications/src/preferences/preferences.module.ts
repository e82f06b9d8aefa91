import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Clock } from '../common/clock';
import { PreferenceRecord, PreferenceSchema } from './preference.schema';
import { PreferencesController } from './preferences.controller';
import { PreferencesService } from './preferences.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: PreferenceRecord.name, schema: PreferenceSchema }])],
  controllers: [PreferencesController],
  providers: [PreferencesService, Clock],
  exports: [PreferencesService],
})
export class PreferencesModule {}
