import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LabelsModule } from '../labels/labels.module';
import { PickupsModule } from '../pickups/pickups.module';
import { Manifest, ManifestLabelClaim, ManifestLabelClaimSchema, ManifestSchema } from './manifest.schema';
import { ManifestPdfRenderer } from './manifest-pdf.renderer';
import { ManifestsController } from './manifests.controller';
import { ManifestsRepository } from './manifests.repository';
import { ManifestsService } from './manifests.service';

/** SCAN forms (manifests): one barcode accepting many labels. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Manifest.name, schema: ManifestSchema },
      { name: ManifestLabelClaim.name, schema: ManifestLabelClaimSchema },
    ]),
    LabelsModule,
    PickupsModule,
  ],
  controllers: [ManifestsController],
  providers: [ManifestsRepository, ManifestsService, ManifestPdfRenderer],
  exports: [ManifestsService],
})
export class ManifestsModule {}
