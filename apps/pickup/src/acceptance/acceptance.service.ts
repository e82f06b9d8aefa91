import { Injectable } from '@nestjs/common';
import { type EventEnvelope, type ParcelStatusChangedData, StatusCategories } from '@app/contracts';
import { OrdersService } from '../orders/orders.service';
import { LabelsRepository } from '../labels/labels.repository';
import { isAcceptance, LabelsService } from '../labels/labels.service';
import { ManifestsService } from '../manifests/manifests.service';
import { PickupsService } from '../pickups/pickups.service';
import { ReturnLabelsService } from '../labels/return-labels.service';

@Injectable()
export class AcceptanceService {
  constructor(
    private readonly labels: LabelsService,
    private readonly labelsRepository: LabelsRepository,
    private readonly pickups: PickupsService,
    private readonly orders: OrdersService,
    private readonly returnLabels: ReturnLabelsService,
    private readonly manifests: ManifestsService,
  ) {}

  /** Records a label's acceptance and completes the pickup it is attached to. Idempotent. */
  async onParcelStatusChanged(envelope: EventEnvelope<ParcelStatusChangedData>): Promise<void> {
    // A SCAN form's number: its acceptance stands for every label on it.
    if (await this.manifests.onParcelStatusChanged(envelope)) return;
    const relevant = envelope.data.statusCategory === StatusCategories.Delivered || isAcceptance(envelope.data);
    // Most parcels scanned have no label here: Redis says so without a store read.
    if (!relevant || !(await this.labelsRepository.mayExist(envelope.data.trackingNumber))) return;
    if (envelope.data.statusCategory === StatusCategories.Delivered) {
      // The label that ships a stamps order: its delivery scan delivers the order.
      const label = await this.labelsRepository.findByTrackingNumber(envelope.data.trackingNumber);
      if (label?.orderId) {
        await this.orders.onParcelDelivered(label._id, label.orderId, new Date(envelope.data.occurredAt));
      }
    }
    if (!isAcceptance(envelope.data)) return;
    const accepted = await this.labels.recordAcceptance(envelope);
    // A redelivered event still completes the pickup if a crash came between the two writes.
    const label = accepted ?? (await this.labelsRepository.findByTrackingNumber(envelope.data.trackingNumber));
    if (label?.acceptedAt) await this.pickups.completeOnAcceptance(label, envelope);
    // A return label is paid for on this, its first acceptance (idempotent; no-op for other labels).
    if (label?.acceptedAt) await this.returnLabels.settle(label);
  }
}
