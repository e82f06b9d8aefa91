import { Injectable } from '@nestjs/common';
import type { EventEnvelope, ParcelStatusChangedData } from '@app/contracts';
import { LabelsRepository } from '../labels/labels.repository';
import { isAcceptance, LabelsService } from '../labels/labels.service';
import { PickupsService } from '../pickups/pickups.service';

@Injectable()
export class AcceptanceService {
  constructor(
    private readonly labels: LabelsService,
    private readonly labelsRepository: LabelsRepository,
    private readonly pickups: PickupsService,
  ) {}

  /** Records a label's acceptance and completes the pickup it is attached to. Idempotent. */
  async onParcelStatusChanged(envelope: EventEnvelope<ParcelStatusChangedData>): Promise<void> {
    if (!isAcceptance(envelope.data)) return;
    const accepted = await this.labels.recordAcceptance(envelope);
    // A redelivered event still completes the pickup if a crash came between the two writes.
    const label = accepted ?? (await this.labelsRepository.findByTrackingNumber(envelope.data.trackingNumber));
    if (label?.acceptedAt) await this.pickups.completeOnAcceptance(label, envelope);
  }
}
