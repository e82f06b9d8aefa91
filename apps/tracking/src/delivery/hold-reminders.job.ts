import { HoldEndingSoonV1 } from '@app/contracts';
import { toOutboxEntries } from '@app/messaging';
import { Inject, Injectable } from '@nestjs/common';
import { AddressesService } from '../addresses/addresses.service';
import { TRACKING_CONFIG, type TrackingConfig } from '../config';
import { recipientsOf } from '../parcels/parcel-state';
import { ParcelRepository } from '../parcels/parcel.repository';
import { DeliveryRequestKinds, type DeliveryRequest } from './delivery-request.schema';
import { DeliveryRequestsRepository } from './delivery-requests.repository';
import { RedeliveriesService } from './redeliveries.service';
import { RequestEvents } from './request-events';
import { Clock, PeriodicJob } from '@app/platform';

/** The reminder goes this long before the hold ends. */
export const HOLD_REMINDER_BEFORE_MS = 2 * 86_400_000;

/**
 * Two days before a held parcel goes back to the sender, tells its recipients (HoldEndingSoon on
 * tracking.events). Once per parcel and hold end: the reminder is a document with a unique `_id`
 * carrying the event in its outbox, so two instances sweeping at once send it once.
 */
@Injectable()
export class HoldRemindersJob extends PeriodicJob {
  constructor(
    private readonly parcels: ParcelRepository,
    private readonly addresses: AddressesService,
    private readonly redeliveries: RedeliveriesService,
    private readonly requests: DeliveryRequestsRepository,
    private readonly events: RequestEvents,
    private readonly clock: Clock,
    @Inject(TRACKING_CONFIG) config: TrackingConfig,
  ) {
    super('hold reminders', config.TRACKING_HOLD_REMINDER_INTERVAL_SECONDS * 1000);
  }

  /** Sends the reminders due now; returns how many. */
  async sweep(): Promise<number> {
    const now = this.clock.now().getTime();
    let sent = 0;
    for (const parcel of await this.parcels.findHeld()) {
      const { holdUntil } = await this.redeliveries.holdOf(parcel);
      if (!holdUntil) continue;
      const left = Date.parse(holdUntil) - now;
      if (left <= 0 || left > HOLD_REMINDER_BEFORE_MS) continue;
      const id = `hold-reminder:${parcel._id}:${holdUntil}`;
      if (await this.requests.findById(id)) continue;
      const addressees = parcel.destinationKey
        ? ((await this.addresses.addresseesByKey([parcel.destinationKey])).get(parcel.destinationKey) ?? [])
        : [];
      const recipients = recipientsOf(parcel, addressees);
      const at = new Date(now);
      const reminder: DeliveryRequest = {
        _id: id,
        kind: DeliveryRequestKinds.HoldReminder,
        // Nobody asked for it: the postal service's own notice.
        userId: 'system',
        trackingNumber: parcel._id,
        status: 'sent',
        holdUntil,
        createdAt: at,
        updatedAt: at,
        outbox: toOutboxEntries([
          this.events.create(HoldEndingSoonV1, parcel._id, { trackingNumber: parcel._id, holdUntil, recipients }),
        ]),
      };
      if (await this.requests.insert(reminder)) {
        await this.requests.flush(id);
        sent++;
      }
    }
    return sent;
  }
}
