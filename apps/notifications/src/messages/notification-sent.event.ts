import { createEnvelope, NotificationSentV1, type EventEnvelope, type NotificationSentData } from '@app/contracts';
import { SERVICE_NAME } from '../config';
import type { MessageRecord } from './message.schema';

/** The `NotificationSent` event of a message that has just been delivered (key = the recipient). */
export function notificationSentEvent(
  message: Pick<MessageRecord, '_id' | 'userId' | 'kind' | 'channel' | 'sourceId' | 'correlationId'>,
  sentAt: Date,
): EventEnvelope<NotificationSentData> {
  return createEnvelope({
    type: NotificationSentV1.type,
    version: NotificationSentV1.version,
    key: message.userId,
    source: SERVICE_NAME,
    occurredAt: sentAt,
    ...(message.correlationId ? { correlationId: message.correlationId } : {}),
    data: {
      notificationId: message._id,
      userId: message.userId,
      kind: message.kind,
      channel: message.channel,
      sourceEventId: message.sourceId,
    },
  });
}
