import { NotificationSentV1, type EventEnvelope, type NotificationSentData } from '@app/contracts';
import { eventEnvelope } from '@app/messaging';
import { createHash, randomUUID } from 'node:crypto';
import { SERVICE_NAME } from '../config';
import type { MessageRecord } from './message.schema';

/**
 * The id of a message's NotificationSent: derived from the message, so an attempt that publishes it
 * again (a worker died between the publish and its `sent` write) repeats the id and consumers skip it.
 * A name-based UUID (version 5 layout, SHA-256 of the message id).
 */
export function notificationSentEventId(messageId: string): string {
  const hex = createHash('sha256').update(`NotificationSent\n${messageId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The `NotificationSent` event of a message that has just been delivered (key = the recipient). */
export function notificationSentEvent(
  message: Pick<MessageRecord, '_id' | 'userId' | 'kind' | 'channel' | 'sourceId' | 'correlationId'>,
  sentAt: Date,
): EventEnvelope<NotificationSentData> {
  return eventEnvelope(
    { source: SERVICE_NAME, uuid: randomUUID, now: () => sentAt },
    NotificationSentV1,
    message.userId,
    {
      notificationId: message._id,
      userId: message.userId,
      kind: message.kind,
      channel: message.channel,
      sourceEventId: message.sourceId,
    },
    // The cause of the notice, not whatever request or job happens to be sending it.
    { id: notificationSentEventId(message._id), correlationId: message.correlationId ?? randomUUID() },
  );
}
