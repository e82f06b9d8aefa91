import { BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import {
  addDays,
  centralDate,
  computeImpbCheckDigit,
  type EventEnvelope,
  isCalendarDate,
  isManifestNumber,
  MANIFEST_CHANNEL_APPLICATION_ID,
  ManifestCreatedV1,
  MANIFEST_SERVICE_TYPE_CODE,
  type ParcelStatusChangedData,
} from '@app/contracts';
import { DEFAULT_PAGE_SIZE, encodeTimeCursor, pageOf, type Page, decodeTimeCursor, Clock } from '@app/platform';
import { toOutboxEntries } from '@app/messaging';
import { EventFactory } from '../common/event-factory';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import { IMPB_SERIAL_DIGITS } from '../labels/impb';
import { LabelsRepository } from '../labels/labels.repository';
import { isAcceptance, LabelsService } from '../labels/labels.service';
import { SerialAllocator } from '../labels/serial-allocator';
import { derivedId } from '../payments/idempotency.service';
import { PickupsService } from '../pickups/pickups.service';
import type { CreateManifestDto } from './dto/create-manifest.dto';
import type { Manifest } from './manifest.schema';
import { ManifestsRepository } from './manifests.repository';

/** A claim whose manifest was never written (a crash between the two inserts) frees its label after this. */
const ORPHAN_CLAIM_MS = 60_000;

export interface ManifestView {
  manifestId: string;
  manifestNumber: string;
  date: string;
  status: Manifest['status'];
  labelCount: number;
  labelIds: string[];
  trackingNumbers: string[];
  createdAt: string;
  acceptedAt?: string;
  links: { self: string; pdf: string };
}

export function toManifestView(m: Manifest): ManifestView {
  return {
    manifestId: m._id,
    manifestNumber: m._id,
    date: m.date,
    status: m.status,
    labelCount: m.trackingNumbers.length,
    labelIds: m.labelIds,
    trackingNumbers: m.trackingNumbers,
    createdAt: m.createdAt.toISOString(),
    acceptedAt: m.acceptedAt?.toISOString(),
    links: { self: `/api/v1/manifests/${m._id}`, pdf: `/api/v1/manifests/${m._id}/pdf` },
  };
}

/**
 * SCAN forms: many labels behind one barcode. Its first acceptance scan (a ParcelStatusChanged of
 * the manifest's number out of pre_shipment, from tracking.events) accepts every label on it and
 * completes the pickups they are attached to, exactly as their own scans would.
 */
@Injectable()
export class ManifestsService {
  private readonly logger = new Logger(ManifestsService.name);

  constructor(
    private readonly manifests: ManifestsRepository,
    private readonly labelsRepository: LabelsRepository,
    private readonly labels: LabelsService,
    private readonly pickups: PickupsService,
    private readonly serials: SerialAllocator,
    private readonly clock: Clock,
    private readonly events: EventFactory,
    @Inject(PICKUP_CONFIG) private readonly config: PickupConfig,
  ) {}

  async create(ownerId: string, input: CreateManifestDto): Promise<ManifestView> {
    const now = this.clock.now();
    this.assertDate(input.date, now);
    const labels = await this.labelsRepository.findOwnedByLabelIds(ownerId, input.labelIds);
    const found = new Set(labels.map((l) => l.labelId));
    const missing = input.labelIds.filter((id) => !found.has(id));
    if (missing.length > 0) throw new NotFoundException(`label(s) not found: ${missing.slice(0, 20).join(', ')}`);
    const refunded = labels.filter((l) => l.status !== 'active').map((l) => l.labelId);
    if (refunded.length > 0) throw new ConflictException(`label(s) refunded: ${refunded.slice(0, 20).join(', ')}`);
    const accepted = labels.filter((l) => l.acceptedAt).map((l) => l.labelId);
    if (accepted.length > 0) {
      throw new ConflictException(
        `label(s) already accepted by the postal service: ${accepted.slice(0, 20).join(', ')}`,
      );
    }
    const { serial } = await this.serials.next();
    const body = `${MANIFEST_CHANNEL_APPLICATION_ID}${MANIFEST_SERVICE_TYPE_CODE}${this.config.IMPB_MAILER_ID}${String(serial).padStart(IMPB_SERIAL_DIGITS, '0')}`;
    const number = `${body}${computeImpbCheckDigit(body)}`;
    // Input order is the form's order.
    const byId = new Map(labels.map((l) => [l.labelId, l]));
    const ordered = input.labelIds.map((id) => byId.get(id)!);
    await this.claim(
      number,
      ordered.map((l) => l._id),
      now,
    );
    const trackingNumbers = ordered.map((l) => l._id);
    // Tracking learns the form from this event, so the manifest's one scan shows on each label.
    const event = this.events.create(ManifestCreatedV1, number, {
      manifestId: number,
      userId: ownerId,
      trackingNumbers,
      date: input.date,
      createdAt: now.toISOString(),
    });
    const manifest: Manifest = {
      _id: number,
      ownerId,
      date: input.date,
      trackingNumbers,
      labelIds: ordered.map((l) => l.labelId),
      status: 'open',
      createdAt: now,
      appliedEventIds: [],
      outbox: toOutboxEntries([event]),
    };
    await this.manifests.insert(manifest);
    return toManifestView(manifest);
  }

  async get(ownerId: string, manifestId: string): Promise<Manifest> {
    const manifest = await this.manifests.findOwned(ownerId, manifestId);
    if (!manifest) throw new NotFoundException(`manifest ${manifestId} not found`);
    return manifest;
  }

  async list(ownerId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<ManifestView>> {
    const rows = await this.manifests.list(ownerId, limit, decodeTimeCursor(cursor));
    return pageOf(rows, limit, (last) => encodeTimeCursor({ createdAt: last.createdAt, id: last._id }), toManifestView);
  }

  /**
   * A tracking event of a manifest's number: its first acceptance accepts every label on it. Returns
   * false when the number is not a manifest's (the caller then treats it as a label's). Idempotent:
   * a redelivered event repeats only what a crash left undone; a later scan changes nothing.
   */
  async onParcelStatusChanged(envelope: EventEnvelope<ParcelStatusChangedData>): Promise<boolean> {
    const number = envelope.data.trackingNumber;
    if (!isManifestNumber(number)) return false;
    const manifest = await this.manifests.findById(number);
    if (!manifest) return true;
    if (!isAcceptance(envelope.data)) return true;
    if (manifest.status === 'accepted' && !manifest.appliedEventIds.includes(envelope.id)) return true;
    for (const trackingNumber of manifest.trackingNumbers) {
      // Each label's acceptance is recorded under an event id of its own, derived from the scan's.
      const one: EventEnvelope<ParcelStatusChangedData> = {
        ...envelope,
        id: derivedId(`${envelope.id}:${trackingNumber}`, 'manifest-acceptance'),
        key: trackingNumber,
        data: { ...envelope.data, trackingNumber },
      };
      const current = await this.labelsRepository.findByTrackingNumber(trackingNumber);
      if (!current || current.status !== 'active') continue;
      const label = (await this.labels.recordAcceptance(one)) ?? current;
      if (label.acceptedAt) await this.pickups.completeOnAcceptance(label, one);
    }
    await this.manifests.markAccepted(number, new Date(envelope.data.occurredAt), envelope.id);
    this.logger.log({ manifest: number, labels: manifest.trackingNumbers.length }, 'manifest accepted');
    return true;
  }

  private assertDate(date: string, now: Date): void {
    if (!isCalendarDate(date)) throw new BadRequestException(`${date} is not a calendar date (YYYY-MM-DD)`);
    const today = centralDate(now);
    if (date < today) throw new BadRequestException(`${date} is in the past`);
    const last = addDays(today, this.config.PICKUP_BOOKING_WINDOW_DAYS);
    if (date > last) {
      throw new BadRequestException(`${date} is more than ${this.config.PICKUP_BOOKING_WINDOW_DAYS} days ahead`);
    }
  }

  /** Puts each label on this manifest, or none of them: 409 naming those on another manifest. */
  private async claim(manifestId: string, trackingNumbers: string[], now: Date): Promise<void> {
    const taken: string[] = [];
    const mine: string[] = [];
    for (const trackingNumber of trackingNumbers) {
      if (await this.manifests.insertClaim(trackingNumber, manifestId, now)) {
        mine.push(trackingNumber);
        continue;
      }
      const existing = await this.manifests.findClaim(trackingNumber);
      const orphan =
        existing &&
        now.getTime() - existing.createdAt.getTime() > ORPHAN_CLAIM_MS &&
        !(await this.manifests.exists(existing.manifestId));
      if (orphan) {
        await this.manifests.releaseClaim(trackingNumber, existing.manifestId);
        if (await this.manifests.insertClaim(trackingNumber, manifestId, now)) {
          mine.push(trackingNumber);
          continue;
        }
      }
      taken.push(`${trackingNumber} (manifest ${existing?.manifestId ?? 'being created'})`);
    }
    if (taken.length > 0) {
      await this.manifests.releaseClaims(mine, manifestId);
      throw new ConflictException(`label(s) already on a manifest: ${taken.slice(0, 20).join(', ')}`);
    }
  }
}
