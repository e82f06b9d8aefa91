import { Injectable } from '@nestjs/common';

/** Time, behind an injectable so tests can move it (code expiry, token lifetimes). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
