import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { type DocumentLock, WriteClaims } from '@app/persistence';
import { SerialReservation } from './serial-reservation.schema';

/** The durable high-water mark of a serial counter: point reads and writes by `_id` only. */
@Injectable()
export class SerialReservationsRepository {
  /**
   * Held while a mark is raised: every pickup replica reserves blocks of the one counter, and
   * FerretDB applies `$max` as a read and a rewrite of the document, so a replica's lower mark could
   * land over another's higher one, leaving serials handed out above the stored mark (none on
   * MongoDB's plan, where `$max` is atomic).
   */
  readonly claims: DocumentLock;

  constructor(@InjectModel(SerialReservation.name) private readonly model: Model<SerialReservation>) {
    this.claims = WriteClaims.of(model);
  }

  async reservedThrough(counter: string): Promise<number | undefined> {
    const doc = await this.model.findById(counter).lean<SerialReservation>().exec();
    return doc?.reservedThrough;
  }

  /** Raises the mark to at least `serial` (never lowers it) and returns the mark now stored. */
  reserveThrough(counter: string, serial: number): Promise<number> {
    return this.claims.runExclusive([counter], async (hold) => {
      hold.assertHeld();
      const doc = await this.model
        .findOneAndUpdate(
          { _id: counter },
          { $max: { reservedThrough: serial } },
          { upsert: true, returnDocument: 'after' },
        )
        .lean<SerialReservation>()
        .exec();
      return doc?.reservedThrough ?? serial;
    });
  }
}
