import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { API_KEY_MODEL, type ApiKeyDocument } from './api-key.schema';

/** The API keys of machine clients (postal systems), stored with the hash of their secret. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectModel(API_KEY_MODEL) private readonly keys: Model<ApiKeyDocument>) {}

  async insert(key: ApiKeyDocument): Promise<void> {
    await this.keys.create(key);
  }

  findById(id: string): Promise<ApiKeyDocument | null> {
    return this.keys.findById(id).lean<ApiKeyDocument>().exec();
  }

  /** Every key, newest first, without the secret hashes. */
  listWithoutSecrets(): Promise<Omit<ApiKeyDocument, 'secretHash'>[]> {
    return this.keys.find({}, { secretHash: 0 }).sort({ createdAt: -1 }).lean<ApiKeyDocument[]>().exec();
  }

  /** Marks the key revoked; false when there is no such key. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.keys.updateOne({ _id: id }, { $set: { revokedAt: at } }).exec();
    return result.matchedCount > 0;
  }
}
