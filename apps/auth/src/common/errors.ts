import { BadRequestException } from '@nestjs/common';

export const INVALID_CODE = 'the code is wrong or has expired';

/** A 400 for a password the policy refuses: each reason in `message`, `reasons`, and `fields` under `field`. */
export class WeakPasswordException extends BadRequestException {
  constructor(reasons: string[], field = 'password') {
    const message = reasons.map((r) => `password ${r}`);
    super({ message, reasons, fields: message.map((line) => ({ field, message: line })) });
  }
}

export class InvalidCodeException extends BadRequestException {
  constructor() {
    super(INVALID_CODE);
  }
}
