import { BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import {
  endOfPickupDay,
  type EventEnvelope,
  PACKAGE_COUNT_KINDS,
  PickupCancelledV1,
  PickupCompletedV1,
  PickupMissedV1,
  PickupScheduledV1,
  PickupStatuses,
  pickupDateProblem,
  PickupUpdatedV1,
  type PostalAddress,
} from '@app/contracts';
import { toOutboxEntries } from '@app/messaging';
import { AddressBookClient } from '../addresses/address-book.client';
import { EventFactory } from '../common/event-factory';
import { Clock, DEFAULT_PAGE_SIZE, DIGITS, encodeTimeCursor, IdGenerator, pageOf, type Page } from '@app/platform';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import type { Label } from '../labels/label.schema';
import { LabelsRepository } from '../labels/labels.repository';
import type { CreatePickupDto, UpdatePickupDto } from './dto/pickup.dto';
import type { Pickup } from './pickup.schema';
import { PickupsRepository } from './pickups.repository';

/** Carrier pickup confirmation numbers: `WTC` and 9 digits (uniqueness is enforced by `_id`). */
const CONFIRMATION_PREFIX = 'WTC';

const MAX_CONFIRMATION_ATTEMPTS = 5;

export type PickupView = Omit<
  Pickup,
  '_id' | 'outbox' | 'appliedEventIds' | 'createdAt' | 'updatedAt' | 'completedAt'
> & {
  confirmationNumber: string;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
};

export function toPickupView(p: Pickup): PickupView {
  return {
    confirmationNumber: p._id,
    userId: p.userId,
    status: p.status,
    date: p.date,
    address: p.address,
    packageLocation: p.packageLocation,
    packages: p.packages,
    estimatedWeightLb: p.estimatedWeightLb,
    instructions: p.instructions,
    dogPresent: p.dogPresent,
    contact: p.contact,
    trackingNumbers: p.trackingNumbers,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    completedAt: p.completedAt?.toISOString(),
  };
}

function details(p: Pickup, actedBy?: string) {
  return {
    confirmationNumber: p._id,
    userId: p.userId,
    ...(actedBy ? { actedBy } : {}),
    date: p.date,
    address: p.address,
    packageLocation: p.packageLocation,
    packages: p.packages,
    estimatedWeightLb: p.estimatedWeightLb,
    ...(p.instructions ? { instructions: p.instructions } : {}),
    dogPresent: p.dogPresent,
    contact: p.contact,
  };
}

@Injectable()
export class PickupsService {
  private readonly logger = new Logger(PickupsService.name);

  constructor(
    private readonly pickups: PickupsRepository,
    private readonly labels: LabelsRepository,
    private readonly addressBook: AddressBookClient,
    private readonly events: EventFactory,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    @Inject(PICKUP_CONFIG) private readonly config: PickupConfig,
  ) {}

  async schedule(
    userId: string,
    input: CreatePickupDto,
    authorization?: string,
    actedBy?: string,
  ): Promise<PickupView> {
    const address = await this.address(input, authorization);
    if (!input.contact.email && !input.contact.phone) {
      throw new BadRequestException('contact needs an email or a phone');
    }
    const now = this.clock.now();
    const draft: Omit<Pickup, '_id' | 'outbox'> = {
      userId,
      ...(actedBy ? { createdBy: actedBy } : {}),
      status: PickupStatuses.Scheduled,
      date: input.date,
      address,
      packageLocation: input.packageLocation,
      packages: { ...input.packages },
      estimatedWeightLb: input.estimatedWeightLb,
      instructions: input.instructions,
      dogPresent: input.dogPresent ?? false,
      contact: { ...input.contact },
      trackingNumbers: [],
      createdAt: now,
      updatedAt: now,
      appliedEventIds: [],
    };
    this.validate(draft, now);
    const attached = await this.attachableLabels(userId, undefined, input.trackingNumbers, input.labelIds);

    for (let attempt = 0; attempt < MAX_CONFIRMATION_ATTEMPTS; attempt++) {
      const confirmationNumber = this.ids.confirmationNumber(CONFIRMATION_PREFIX, 9, DIGITS);
      const pickup: Pickup = {
        ...draft,
        _id: confirmationNumber,
        trackingNumbers: attached.map((l) => l._id),
        outbox: [],
      };
      pickup.outbox = toOutboxEntries([
        this.events.create(PickupScheduledV1, confirmationNumber, details(pickup, actedBy)),
      ]);
      // Labels point at the pickup before it exists: a pointer to a missing pickup is ignored on acceptance.
      await this.pointLabels(attached, confirmationNumber);
      if (await this.pickups.insert(pickup)) {
        await this.pickups.flush(confirmationNumber);
        return toPickupView(pickup);
      }
    }
    throw new ConflictException('could not allocate a confirmation number; try again');
  }

  async list(userId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<PickupView>> {
    const rows = await this.pickups.list(userId, limit, cursor);
    return pageOf(rows, limit, (last) => encodeTimeCursor({ createdAt: last.createdAt, id: last._id }), toPickupView);
  }

  async get(userId: string, confirmationNumber: string): Promise<Pickup> {
    const pickup = await this.pickups.findById(confirmationNumber);
    if (!pickup || pickup.userId !== userId) throw new NotFoundException(`pickup ${confirmationNumber} not found`);
    return pickup;
  }

  async modify(
    userId: string,
    confirmationNumber: string,
    changes: UpdatePickupDto,
    actedBy?: string,
  ): Promise<PickupView> {
    const current = await this.get(userId, confirmationNumber);
    this.assertChangeable(current);
    const now = this.clock.now();
    const next: Pickup = {
      ...current,
      date: changes.date ?? current.date,
      packageLocation: changes.packageLocation ?? current.packageLocation,
      packages: changes.packages ? { ...changes.packages } : current.packages,
      estimatedWeightLb: changes.estimatedWeightLb ?? current.estimatedWeightLb,
      // null clears the instructions; undefined keeps them
      instructions: changes.instructions === null ? undefined : (changes.instructions ?? current.instructions),
      dogPresent: changes.dogPresent ?? current.dogPresent,
      updatedAt: now,
    };
    this.validate(next, now);
    const relabel = changes.trackingNumbers !== undefined || changes.labelIds !== undefined;
    if (relabel) {
      const attached = await this.attachableLabels(
        userId,
        confirmationNumber,
        changes.trackingNumbers,
        changes.labelIds,
      );
      await this.pointLabels(attached, confirmationNumber);
      next.trackingNumbers = attached.map((l) => l._id);
    }
    const event = this.events.create(PickupUpdatedV1, confirmationNumber, details(next, actedBy));
    // Only over the pickup as read: two changes at once must not both answer 200 with one lost.
    const updated = await this.pickups.reschedule(next, current.updatedAt, [event]);
    if (!updated) {
      this.assertChangeable((await this.pickups.findById(confirmationNumber)) ?? current);
      throw new ConflictException('the pickup changed meanwhile; try again');
    }
    const detached = current.trackingNumbers.filter((tn) => !next.trackingNumbers.includes(tn));
    await this.unpointLabels(detached, confirmationNumber);
    await this.pickups.flush(confirmationNumber);
    return toPickupView(next);
  }

  async cancel(
    userId: string,
    confirmationNumber: string,
    actedBy?: string,
  ): Promise<{ confirmationNumber: string; status: string }> {
    const current = await this.get(userId, confirmationNumber);
    this.assertChangeable(current);
    const event = this.events.create(PickupCancelledV1, confirmationNumber, {
      confirmationNumber,
      userId,
      ...(actedBy ? { actedBy } : {}),
      date: current.date,
    });
    const updated = await this.pickups.cancel(confirmationNumber, this.clock.now(), [event]);
    if (!updated) {
      this.assertChangeable((await this.pickups.findById(confirmationNumber)) ?? current);
      throw new ConflictException('the pickup changed meanwhile; try again');
    }
    await this.pickups.flush(confirmationNumber);
    return { confirmationNumber, status: PickupStatuses.Cancelled };
  }

  /** The first acceptance of an attached label completes its pickup (idempotent per event). */
  async completeOnAcceptance(label: Label, envelope: EventEnvelope): Promise<void> {
    if (!label.pickupConfirmationNumber) return;
    const pickup = await this.pickups.findById(label.pickupConfirmationNumber);
    if (!pickup || pickup.status !== PickupStatuses.Scheduled || !pickup.trackingNumbers.includes(label._id)) return;
    const event = this.events.create(PickupCompletedV1, pickup._id, {
      confirmationNumber: pickup._id,
      userId: pickup.userId,
      ...(pickup.createdBy ? { actedBy: pickup.createdBy } : {}),
      date: pickup.date,
      trackingNumber: label._id,
    });
    if (await this.pickups.complete(pickup._id, this.clock.now(), [event], envelope.id))
      await this.pickups.flush(pickup._id);
  }

  /** Marks missed every scheduled pickup with attached labels whose day has ended without an acceptance. */
  async markMissed(): Promise<number> {
    const now = this.clock.now();
    let missed = 0;
    for (const pickup of await this.pickups.findScheduled()) {
      if (pickup.trackingNumbers.length === 0 || endOfPickupDay(pickup.date) > now) continue;
      // A refunded label will never be handed over: only labels still active can be missed.
      const attached = await this.labels.findOwnedByTrackingNumbers(pickup.userId, pickup.trackingNumbers);
      if (!attached.some((label) => label.status === 'active')) continue;
      const event = this.events.create(PickupMissedV1, pickup._id, {
        confirmationNumber: pickup._id,
        userId: pickup.userId,
        ...(pickup.createdBy ? { actedBy: pickup.createdBy } : {}),
        date: pickup.date,
      });
      // Not if it changed since the scan (a new date, other labels): the next sweep looks again.
      const updated = await this.pickups.markMissed(pickup._id, pickup.updatedAt, now, [event]);
      if (updated) {
        missed++;
        await this.pickups.flush(pickup._id);
      }
    }
    if (missed > 0) this.logger.log(`marked ${missed} pickup(s) missed`);
    return missed;
  }

  private validate(p: Omit<Pickup, '_id' | 'outbox'>, now: Date): void {
    const dateProblem = pickupDateProblem(p.date, now, this.config.PICKUP_BOOKING_WINDOW_DAYS);
    if (dateProblem) throw new BadRequestException(dateProblem);
    if (PACKAGE_COUNT_KINDS.every((kind) => p.packages[kind] === 0)) {
      throw new BadRequestException('a pickup needs at least one package');
    }
    if (p.packageLocation === 'other' && !p.instructions?.trim()) {
      throw new BadRequestException('packageLocation "other" needs instructions saying where the packages are');
    }
  }

  private assertChangeable(p: Pickup): void {
    if (p.status !== PickupStatuses.Scheduled)
      throw new ConflictException(`the pickup is ${p.status} and cannot change`);
  }

  /**
   * The caller's labels named by tracking number or label id, each one a pickup can still collect:
   * not refunded, not yet accepted, and not attached to another scheduled pickup.
   */
  private async attachableLabels(
    userId: string,
    confirmationNumber: string | undefined,
    trackingNumbers?: string[],
    labelIds?: string[],
  ): Promise<Label[]> {
    const found = new Map<string, Label>();
    if (trackingNumbers?.length) {
      const unique = [...new Set(trackingNumbers)];
      const labels = await this.labels.findOwnedByTrackingNumbers(userId, unique);
      const missing = unique.filter((tn) => !labels.some((l) => l._id === tn));
      if (missing.length) throw new BadRequestException(`unknown label(s): ${missing.join(', ')}`);
      labels.forEach((l) => found.set(l._id, l));
    }
    if (labelIds?.length) {
      const unique = [...new Set(labelIds)];
      const labels = await this.labels.findOwnedByLabelIds(userId, unique);
      const missing = unique.filter((id) => !labels.some((l) => l.labelId === id));
      if (missing.length) throw new BadRequestException(`unknown label(s): ${missing.join(', ')}`);
      labels.forEach((l) => found.set(l._id, l));
    }
    const labels = [...found.values()];
    const refunded = labels.filter((l) => l.status === 'refunded');
    if (refunded.length) {
      throw new ConflictException(`refunded label(s) cannot be picked up: ${refunded.map((l) => l._id).join(', ')}`);
    }
    const accepted = labels.filter((l) => l.acceptedAt);
    if (accepted.length) {
      throw new ConflictException(
        `label(s) already accepted by the postal service cannot be picked up: ${accepted.map((l) => l._id).join(', ')}`,
      );
    }
    for (const label of labels) {
      const other = label.pickupConfirmationNumber;
      if (!other || other === confirmationNumber) continue;
      // The pointer is a hint; the other pickup's own list says whether the label is still attached there.
      const pickup = await this.pickups.findById(other);
      if (pickup?.status === PickupStatuses.Scheduled && pickup.trackingNumbers.includes(label._id)) {
        throw new ConflictException(
          `label ${label._id} is attached to scheduled pickup ${other}; remove it from that pickup first`,
        );
      }
    }
    return labels;
  }

  /**
   * Points each label at the pickup, compare-and-set on the pointer read before: a label attached,
   * refunded or accepted meanwhile is refused rather than silently taken from another pickup.
   */
  private async pointLabels(labels: Label[], confirmationNumber: string): Promise<void> {
    for (const label of labels) {
      if (label.pickupConfirmationNumber === confirmationNumber) continue;
      const pointed = await this.labels.pointAtPickup(label, confirmationNumber);
      if (!pointed) throw new ConflictException(`label ${label._id} changed meanwhile; try again`);
      label.pickupConfirmationNumber = confirmationNumber;
    }
  }

  /** Clears the pointer of labels no longer on the pickup (only where it still points here). */
  private async unpointLabels(trackingNumbers: string[], confirmationNumber: string): Promise<void> {
    for (const trackingNumber of trackingNumbers) {
      await this.labels.unpointFromPickup(trackingNumber, confirmationNumber);
    }
  }

  private async address(input: CreatePickupDto, authorization?: string): Promise<PostalAddress> {
    if (input.address && input.addressId) throw new BadRequestException('give either address or addressId, not both');
    if (input.address) return { ...input.address };
    if (input.addressId) return this.addressBook.resolve(input.addressId, authorization);
    throw new BadRequestException('address or addressId is required');
  }
}
