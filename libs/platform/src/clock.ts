import { Injectable } from '@nestjs/common';
import { randomInt, randomUUID } from 'node:crypto';

/** The current instant, behind an injectable so tests can move time (expiries, holds, quiet hours). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** Letters and digits that cannot be misread for one another (no 0/O, 1/I), for codes people read out. */
export const UNAMBIGUOUS_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const DIGITS = '0123456789';

/** New identifiers, behind an injectable so tests can make them predictable or force collisions. */
@Injectable()
export class IdGenerator {
  uuid(): string {
    return randomUUID();
  }

  /**
   * A confirmation number a customer reads out: the prefix and `length` random characters of
   * `alphabet`. Not unique by itself: the store's `_id` enforces that, and callers retry a collision.
   */
  confirmationNumber(prefix: string, length = 10, alphabet = UNAMBIGUOUS_ALPHABET): string {
    let out = prefix;
    for (let i = 0; i < length; i++) out += alphabet[randomInt(0, alphabet.length)];
    return out;
  }
}
