import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

/** What a receipt is for: a payment (top-up, label, stamp order) or the refund of one. */
export const RECEIPT_KINDS = ['top_up', 'label_charge', 'label_refund', 'order_charge', 'order_refund'] as const;

const cents = z.number().int().nonnegative();

const schema = z.object({
  /** the ledger entry id; GET /receipts/:receiptId/pdf is its invoice */
  receiptId: z.string(),
  userId: z.string(),
  kind: z.enum(RECEIPT_KINDS),
  /** the line item, e.g. "Priority Mail label 9400…" */
  description: z.string(),
  /** all amounts in US cents */
  subtotalCents: cents,
  /** tax is 0 % on postage; shown honestly as a line of 0 */
  taxCents: cents,
  totalCents: cents,
  /** what paid (or was refunded to): the postage balance or a card */
  method: z.enum(['balance', 'card']),
  /** the card as receipts show it: brand and last 4 digits only */
  card: z.object({ brand: z.string(), last4: z.string().regex(/^\d{4}$/) }).optional(),
  /** ISO-8601 instant */
  issuedAt: z.string(),
});

export const ReceiptIssuedV1 = defineEvent({
  type: 'ReceiptIssued',
  version: 1,
  topic: Topics.Pickup,
  schema,
  example: {
    receiptId: 'order_charge:6650c0ff-ee00-4000-8000-00000000b001',
    userId: 'u_1',
    kind: 'order_charge',
    description: 'Stamps order 6650c0ff-ee00-4000-8000-00000000b001',
    subtotalCents: 2920,
    taxCents: 0,
    totalCents: 2920,
    method: 'card',
    card: { brand: 'visa', last4: '4242' },
    issuedAt: '2025-05-02T15:00:00.000Z',
  },
});

export type ReceiptIssuedData = EventData<typeof ReceiptIssuedV1>;
