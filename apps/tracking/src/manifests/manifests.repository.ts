import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { MANIFEST_MODEL, type ManifestDocument } from './manifest.schema';

const DUPLICATE_KEY = 11000;

/** The manifests tracking knows, by manifest number. Every write is idempotent. */
@Injectable()
export class ManifestsRepository {
  constructor(@InjectModel(MANIFEST_MODEL) private readonly model: Model<ManifestDocument>) {}

  /** Stores a manifest; a redelivered ManifestCreated finds it there and changes nothing. */
  async insert(manifest: Omit<ManifestDocument, 'expandedBy'>): Promise<void> {
    try {
      await this.model.create(manifest);
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    }
  }

  /** The known manifests among these numbers: one `{_id: {$in}}` query. */
  async findMany(numbers: readonly string[]): Promise<Map<string, ManifestDocument>> {
    const docs = await this.model
      .find({ _id: { $in: [...new Set(numbers)] } })
      .lean<ManifestDocument[]>()
      .exec();
    return new Map(docs.map((d) => [d._id, d]));
  }

  /**
   * Marks `eventId` as the manifest's first scan unless another scan is marked already; returns
   * the scan that is marked. Scans of one number arrive on one partition, so one consumer at a
   * time writes a given manifest.
   */
  async markExpandedBy(number: string, eventId: string): Promise<string | undefined> {
    await this.model
      .updateOne({ _id: number, expandedBy: { $exists: false } }, { $set: { expandedBy: eventId } })
      .exec();
    const doc = await this.model.findById(number, { expandedBy: 1 }).lean<ManifestDocument>().exec();
    return doc?.expandedBy;
  }
}
