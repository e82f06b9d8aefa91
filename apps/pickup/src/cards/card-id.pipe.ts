import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { PAYMENT_METHOD_ID } from '../account/dto/top-up.dto';

/** A saved card's id is its payment method id (`pm_…`). */
@Injectable()
export class CardIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!PAYMENT_METHOD_ID.test(value))
      throw new BadRequestException('id must be a saved card id (pm_…) from GET /account/cards');
    return value;
  }
}
