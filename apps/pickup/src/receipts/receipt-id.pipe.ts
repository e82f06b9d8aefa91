import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

/** A ledger entry id: its kind, a colon, and a provider or uuid id. */
export const RECEIPT_ID = /^(top_up|label_charge|label_refund|order_charge|order_refund):[A-Za-z0-9_-]{1,100}$/;

@Injectable()
export class ReceiptIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!RECEIPT_ID.test(value)) throw new BadRequestException('id must be a receipt id from GET /receipts');
    return value;
  }
}
