import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { SerialReservation } from './serial-reservation.schema';

/** The durable high-water mark of a serial counter: point reads and writes by `_id` only. */
@Injectable()
export class SerialReservationsRepository {
  constructor(@InjectModel(SerialReservation.name) private readonly model: Model<SerialReservation>) {}

  async reservedThrough(counter: string): Promise<number | undefined> {
    const doc = await this.model.findById(counter).lean<SerialReservation>().exec();
    return doc?.reservedThrough;
  }

  /** Raises the mark to at least `serial` (never lowers it) and returns the mark now stored. */
  async reserveThrough(counter: string, serial: number): Promise<number> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: counter },
        { $max: { reservedThrough: serial } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean<SerialReservation>()
      .exec();
    return doc?.reservedThrough ?? serial;
  }
}
