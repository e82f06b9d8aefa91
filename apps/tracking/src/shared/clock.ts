import { Injectable } from '@nestjs/common';
import { randomInt, randomUUID } from 'node:crypto';

/** Letters and digits that cannot be misread for one another (no 0/O, 1/I). */
const CONFIRMATION_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

@Injectable()
export class IdGenerator {
  uuid(): string {
    return randomUUID();
  }

  /** A confirmation number: the prefix and 10 random characters (uniqueness is enforced by `_id`). */
  confirmationNumber(prefix: string): string {
    let out = prefix;
    for (let i = 0; i < 10; i++) out += CONFIRMATION_ALPHABET[randomInt(0, CONFIRMATION_ALPHABET.length)];
    return out;
  }
}
