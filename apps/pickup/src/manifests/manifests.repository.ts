import { OutboxRelay } from '@app/messaging';
import { insertUnlessTaken, WriteClaims } from '@app/persistence';
import { afterTimeCursor, type TimeCursor } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Manifest, ManifestLabelClaim } from './manifest.schema';

/**
 * SCAN forms, with their outbox (ManifestCreated), and the claims that put each label on one
 * manifest only (a claim's `_id` is the label's tracking number, so its insert is the atomic check).
 */
@Injectable()
export class ManifestsRepository {
  /** Every update of a manifest; the outbox relay's removal of published events takes the same lock (claims on FerretDB). */
  private readonly lock: WriteClaims;

  constructor(
    @InjectModel(Manifest.name) private readonly manifests: Model<Manifest>,
    @InjectModel(ManifestLabelClaim.name) private readonly claims: Model<ManifestLabelClaim>,
    private readonly relay: OutboxRelay,
  ) {
    this.lock = WriteClaims.of(manifests);
    relay.watch(manifests, { lock: this.lock });
  }

  /** Inserts the manifest with its outbox, then publishes the outbox (the relay's sweep retries a failed flush). */
  async insert(manifest: Manifest): Promise<void> {
    await this.manifests.create(manifest);
    await this.relay.flush(this.manifests, [manifest._id]).catch(() => undefined);
  }

  findById(manifestId: string): Promise<Manifest | null> {
    return this.manifests.findById(manifestId).lean<Manifest>().exec();
  }

  findOwned(ownerId: string, manifestId: string): Promise<Manifest | null> {
    return this.manifests.findOne({ _id: manifestId, ownerId }).lean<Manifest>().exec();
  }

  async exists(manifestId: string): Promise<boolean> {
    return (await this.manifests.exists({ _id: manifestId })) !== null;
  }

  /** One page of the owner's manifests, newest first, after `cursor`: `limit + 1` rows tell whether more follow. */
  list(ownerId: string, limit: number, cursor: TimeCursor | undefined): Promise<Manifest[]> {
    return this.manifests
      .find({ ownerId, ...afterTimeCursor(cursor) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<Manifest[]>()
      .exec();
  }

  /** An open manifest becomes accepted, recording the event that accepted it; an accepted one stays as it is. */
  async markAccepted(manifestId: string, acceptedAt: Date, eventId: string): Promise<void> {
    await this.lock.runExclusive([manifestId], () =>
      this.manifests
        .updateOne(
          { _id: manifestId, status: 'open' },
          { $set: { status: 'accepted', acceptedAt }, $push: { appliedEventIds: eventId } },
        )
        .exec(),
    );
  }

  /** Puts the label on the manifest; false when a claim on it exists already. */
  insertClaim(trackingNumber: string, manifestId: string, now: Date): Promise<boolean> {
    return insertUnlessTaken(() => this.claims.create({ _id: trackingNumber, manifestId, createdAt: now }));
  }

  findClaim(trackingNumber: string): Promise<ManifestLabelClaim | null> {
    return this.claims.findById(trackingNumber).lean<ManifestLabelClaim>().exec();
  }

  /** Drops the label's claim if `manifestId` still holds it. */
  async releaseClaim(trackingNumber: string, manifestId: string): Promise<void> {
    await this.claims.deleteOne({ _id: trackingNumber, manifestId }).exec();
  }

  /** Drops the claims `manifestId` holds on these labels. */
  async releaseClaims(trackingNumbers: readonly string[], manifestId: string): Promise<void> {
    await this.claims.deleteMany({ _id: { $in: trackingNumbers }, manifestId }).exec();
  }
}
