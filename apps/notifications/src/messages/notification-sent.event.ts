import { NotificationSentV1, type EventEnvelope, type NotificationSentData } from '@app/contracts';
import { eventEnvelope } from '@app/messaging';
import { randomUUID } from 'node:crypto';
import { SERVICE_NAME } from '../config';
import type { MessageRecord } from './message.schema';

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
    { correlationId: message.correlationId ?? randomUUID() },
  );
}
