import { createHash } from 'node:crypto';
import type { NotificationChannel } from '@app/contracts';

/**
 * The id of one message: the BullMQ job id, the message record's `_id` and the inbox item's `_id`.
 * Hashed so it is the same for a replayed event and never contains ':' (BullMQ refuses it).
 */
export function messageId(sourceId: string, channel: NotificationChannel, recipientUserId: string): string {
  return createHash('sha256').update(`${sourceId}\n${channel}\n${recipientUserId}`).digest('hex').slice(0, 40);
}
