import { Module, type OnModuleInit } from '@nestjs/common';
import { OutboxRelay } from '@app/messaging';
import { MongooseModule } from '@nestjs/mongoose';
import { LabelsModule } from '../labels/labels.module';
import { PickupsModule } from '../pickups/pickups.module';
import { Manifest, ManifestLabelClaim, ManifestLabelClaimSchema, ManifestSchema } from './manifest.schema';
import { ManifestPdfRenderer } from './manifest-pdf.renderer';
import { ManifestsController } from './manifests.controller';
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
  providers: [ManifestsService, ManifestPdfRenderer],
  exports: [ManifestsService],
})
export class ManifestsModule implements OnModuleInit {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly manifests: ManifestsService,
  ) {}

  onModuleInit(): void {
    // ManifestCreated is kept in the manifest's outbox (written with it) until published.
    this.relay.watch(this.manifests.model, { lock: this.manifests.lock });
  }
}
