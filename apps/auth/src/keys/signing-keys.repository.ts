import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { SIGNING_KEY_MODEL, type SigningKeyDocument } from './signing-key.schema';

/** The token-signing keys, their private halves sealed by SecretBox. */
@Injectable()
export class SigningKeysRepository {
  constructor(@InjectModel(SIGNING_KEY_MODEL) private readonly model: Model<SigningKeyDocument>) {}

  /** Every key, newest first (a handful: one a rotation period, kept while their tokens live). */
  newestFirst(): Promise<SigningKeyDocument[]> {
    return this.model.find().sort({ createdAt: -1 }).lean<SigningKeyDocument[]>().exec();
  }

  async insert(key: SigningKeyDocument): Promise<void> {
    await this.model.create(key);
  }

  async replacePrivateKey(id: string, privateKey: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { privateKey } }).exec();
  }
}
