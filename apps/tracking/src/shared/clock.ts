import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

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
}
