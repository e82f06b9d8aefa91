import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ParcelsModule } from '../parcels/parcels.module';
import { MANIFEST_MODEL, ManifestSchema } from './manifest.schema';
import { ManifestsRepository } from './manifests.repository';
import { ManifestsService } from './manifests.service';

/** SCAN forms: which labels a manifest number stands for (from pickup's ManifestCreated). */
@Module({
  imports: [MongooseModule.forFeature([{ name: MANIFEST_MODEL, schema: ManifestSchema }]), ParcelsModule],
  providers: [ManifestsRepository, ManifestsService],
  exports: [ManifestsService],
})
export class ManifestsModule {}
