import { BadRequestException } from '@nestjs/common';

export const INVALID_CODE = 'the code is wrong or has expired';

export class WeakPasswordException extends BadRequestException {
  constructor(reasons: string[]) {
    super({ message: reasons.map((r) => `password ${r}`), reasons });
  }
}

export class InvalidCodeException extends BadRequestException {
  constructor() {
    super(INVALID_CODE);
  }
}
