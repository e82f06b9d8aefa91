import { randomInt, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';

@Injectable()
export class IdGenerator {
  uuid(): string {
    return randomUUID();
  }

  /** A carrier pickup confirmation number: `WTC` and 9 random digits (uniqueness is enforced by `_id`). */
  confirmationNumber(): string {
    return `WTC${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
  }
}
