import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ADDRESS_LETTER_MODEL, type AddressLetterDocument } from './address-letter.schema';

/** A letter as the operators' list shows it: everything but its PDF. */
export type AddressLetterSummary = Omit<AddressLetterDocument, 'pdf'>;

/** Verification letters waiting to be printed and mailed, with their PDFs. */
@Injectable()
export class AddressLettersRepository {
  constructor(@InjectModel(ADDRESS_LETTER_MODEL) private readonly letters: Model<AddressLetterDocument>) {}

  async insert(letter: AddressLetterDocument): Promise<void> {
    await this.letters.create(letter);
  }

  /** The newest letters first, at most `limit`, without their PDFs. */
  listNewest(limit: number): Promise<AddressLetterSummary[]> {
    return this.letters.find({}, { pdf: 0 }).sort({ createdAt: -1 }).limit(limit).lean<AddressLetterSummary[]>().exec();
  }

  /** The letter's PDF, or null when there is no such letter. */
  async pdf(letterId: string): Promise<Buffer | null> {
    const letter = await this.letters.findById(letterId).lean<AddressLetterDocument>().exec();
    if (!letter) return null;
    // A lean read gives a BSON Binary, whose `buffer` holds the bytes.
    return Buffer.from(letter.pdf.buffer ?? letter.pdf);
  }
}
