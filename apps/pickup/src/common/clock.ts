import { Injectable } from '@nestjs/common';

/** The current instant; tests replace it to move time. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
