import type { MessageRecord, MessageStatus } from '../messages/message.schema';
import type { MessagesRepository } from '../messages/messages.repository';
import { PermanentDeliveryError } from './delivery-errors';
import { MetricsService } from '@app/platform';
import { DeliveryMetrics } from './delivery-metrics';
import { DeliveryService } from './delivery.service';
import type { OutgoingEmail } from './email/email-sender';
import type { SentEvents } from '../messages/sent-events';
import type { SmsSender } from './sms/sms-sender';
import type { EventEnvelope } from '@app/contracts';
import { notificationSentEventId } from '../messages/notification-sent.event';
import { carriedMessage } from '../queues/job-options';

const now = new Date('2025-03-01T12:00:00Z');

function record(status: MessageStatus): MessageRecord {
  return {
    _id: 'a1b2c3',
    userId: 'u-1',
    kind: 'security',
    channel: 'email',
    to: 'u1@example.com',
    subject: 'Your code',
    text: 'code 123456',
    html: null,
    link: null,
    sourceId: 'evt-1',
    sourceType: 'EmailVerificationRequested',
    status,
    attempts: 0,
    notBefore: null,
    providerMessageId: null,
    lastError: null,
    readAt: null,
    createdAt: now,
    updatedAt: now,
    sentAt: null,
  };
}

function setUp(records: (MessageRecord | null)[], send: jest.Mock, metrics = new MetricsService(), published = true) {
  const steps: string[] = [];
  const sentEvents = {
    publish: jest.fn((_event: EventEnvelope) => {
      steps.push('publish');
      return Promise.resolve(published);
    }),
  };
  const repo = {
    findDeliverable: jest.fn(() => {
      steps.push('read');
      return Promise.resolve(records.shift() ?? null);
    }),
    markSent: jest.fn(() => {
      steps.push('markSent');
      return Promise.resolve(true);
    }),
    markSentPublished: jest.fn(() => {
      steps.push('markSentPublished');
      return Promise.resolve(true);
    }),
    markFailed: jest.fn(() => {
      steps.push('markFailed');
      return Promise.resolve();
    }),
  };
  const email = {
    send: jest.fn(async (e: OutgoingEmail) => {
      steps.push('send');
      return send(e) as Promise<string | null>;
    }),
  };
  const service = new DeliveryService(
    repo as unknown as MessagesRepository,
    email,
    {} as SmsSender,
    { now: () => now },
    new DeliveryMetrics(metrics),
    sentEvents as unknown as SentEvents,
  );
  return { service, repo, email, steps, sentEvents };
}

describe('DeliveryService', () => {
  it('records the time from the notified fact to the accepted send, once per message', async () => {
    const metrics = new MetricsService();
    const arrival = {
      ...record('queued'),
      kind: 'available_for_pickup' as const,
      sourceOccurredAt: new Date(now.getTime() - 12_000),
    };
    const { service } = setUp([arrival, null], jest.fn().mockResolvedValue('<a1b2c3@x>'), metrics);
    await service.deliver('a1b2c3', { number: 1, lastAttempt: false });
    await service.deliver('a1b2c3', { number: 2, lastAttempt: false });
    const text = await metrics.registry.metrics();
    const series = 'kind="available_for_pickup",channel="email"';
    expect(text).toContain(`notifications_event_to_sent_seconds_count{${series}} 1`);
    expect(text).toContain(`notifications_event_to_sent_seconds_sum{${series}} 12`);
    expect(text).toContain(`notifications_event_to_sent_seconds_bucket{le="10",${series}} 0`);
    expect(text).toContain(`notifications_event_to_sent_seconds_bucket{le="15",${series}} 1`);
  });

  it('reads the record, sends, publishes NotificationSent, and writes sent once without an outbox', async () => {
    const { service, repo, steps, sentEvents } = setUp([record('queued')], jest.fn().mockResolvedValue('<a1b2c3@x>'));
    await expect(service.deliver('a1b2c3', { number: 1, lastAttempt: false })).resolves.toBe('sent');
    expect(steps).toEqual(['read', 'send', 'publish', 'markSentPublished']);
    expect(sentEvents.publish).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'NotificationSent', id: notificationSentEventId('a1b2c3') }),
    );
    expect(repo.markSentPublished).toHaveBeenCalledWith(
      'a1b2c3',
      'email',
      { providerMessageId: '<a1b2c3@x>', attempts: 1 },
      now,
    );
    expect(repo.markSent).not.toHaveBeenCalled();
  });

  it('keeps NotificationSent in the outbox of the sent write when Kafka does not acknowledge it', async () => {
    const { service, repo, steps } = setUp(
      [record('queued')],
      jest.fn().mockResolvedValue('<a1b2c3@x>'),
      new MetricsService(),
      false,
    );
    await expect(service.deliver('a1b2c3', { number: 1, lastAttempt: false })).resolves.toBe('sent');
    expect(steps).toEqual(['read', 'send', 'publish', 'markSent']);
    expect(repo.markSent).toHaveBeenCalledWith(
      'a1b2c3',
      'email',
      { providerMessageId: '<a1b2c3@x>', attempts: 1 },
      now,
      [expect.objectContaining({ type: 'NotificationSent', id: notificationSentEventId('a1b2c3') })],
    );
  });

  it('re-sends a message an earlier attempt left unsettled, with the same message and event ids, and records the attempt count', async () => {
    const send = jest.fn().mockResolvedValue('<a1b2c3@x>');
    const { service, email, repo, sentEvents } = setUp([record('queued'), record('queued')], send);
    // The first attempt's worker died after the publish, before its write: the record stayed queued.
    await expect(service.deliver('a1b2c3', { number: 1, lastAttempt: false })).resolves.toBe('sent');
    await expect(service.deliver('a1b2c3', { number: 2, lastAttempt: false, afterStall: true })).resolves.toBe('sent');
    expect(email.send.mock.calls.map(([e]) => e.id)).toEqual(['a1b2c3', 'a1b2c3']);
    const ids = sentEvents.publish.mock.calls.map(([e]) => e.id);
    expect(ids).toEqual([notificationSentEventId('a1b2c3'), notificationSentEventId('a1b2c3')]);
    expect(repo.markSentPublished).toHaveBeenLastCalledWith(
      'a1b2c3',
      'email',
      { providerMessageId: '<a1b2c3@x>', attempts: 2 },
      now,
    );
  });

  it('writes nothing for a failed attempt that a retry follows', async () => {
    const { service, repo, steps } = setUp([record('queued')], jest.fn().mockRejectedValue(new Error('ECONNREFUSED')));
    await expect(service.deliver('a1b2c3', { number: 3, lastAttempt: false })).rejects.toThrow('ECONNREFUSED');
    expect(steps).toEqual(['read', 'send']);
    expect(repo.markFailed).not.toHaveBeenCalled();
    expect(repo.markSent).not.toHaveBeenCalled();
    expect(repo.markSentPublished).not.toHaveBeenCalled();
  });

  it('records the failure as final on the last attempt or a permanent refusal', async () => {
    const last = setUp([record('queued')], jest.fn().mockRejectedValue(new Error('timeout')));
    await expect(last.service.deliver('a1b2c3', { number: 5, lastAttempt: true })).rejects.toThrow('timeout');
    expect(last.steps).toEqual(['read', 'send', 'markFailed']);
    expect(last.repo.markFailed).toHaveBeenCalledWith('a1b2c3', 'email', 'timeout', now, 5);

    const refused = setUp(
      [record('queued')],
      jest.fn().mockRejectedValue(new PermanentDeliveryError('SMTP 550: no such mailbox')),
    );
    await expect(refused.service.deliver('a1b2c3', { number: 1, lastAttempt: false })).rejects.toThrow(
      PermanentDeliveryError,
    );
    expect(refused.repo.markFailed).toHaveBeenCalledWith('a1b2c3', 'email', 'SMTP 550: no such mailbox', now, 1);
  });

  it("sends from the job's copy of a just-inserted record on its first start, with no read", async () => {
    const { service, steps, email, repo } = setUp([], jest.fn().mockResolvedValue('<a1b2c3@x>'));
    const stored = { ...record('queued'), sourceOccurredAt: new Date(now.getTime() - 3_000) };
    const carried = carriedMessage(stored);
    await expect(service.deliver('a1b2c3', { number: 1, lastAttempt: false }, carried)).resolves.toBe('sent');
    expect(steps).toEqual(['send', 'publish', 'markSentPublished']);
    expect(email.send).toHaveBeenCalledWith({
      id: 'a1b2c3',
      to: 'u1@example.com',
      subject: 'Your code',
      text: 'code 123456',
      html: null,
    });
    expect(repo.findDeliverable).not.toHaveBeenCalled();
  });

  it('reads the record on any later start of a job that carries it: a settled one is not sent again', async () => {
    const carried = carriedMessage(record('queued'));
    for (const attempt of [
      { number: 2, lastAttempt: false },
      { number: 2, lastAttempt: false, afterStall: true },
    ]) {
      const { service, steps, email } = setUp([null], jest.fn().mockResolvedValue('<a1b2c3@x>'));
      await expect(service.deliver('a1b2c3', attempt, carried)).resolves.toBe('skipped');
      expect(steps).toEqual(['read']);
      expect(email.send).not.toHaveBeenCalled();
    }
  });

  it('sends nothing for a message already settled', async () => {
    const { service, email, repo } = setUp([null], jest.fn());
    await expect(service.deliver('a1b2c3', { number: 1, lastAttempt: false })).resolves.toBe('skipped');
    expect(email.send).not.toHaveBeenCalled();
    expect(repo.markSent).not.toHaveBeenCalled();
    expect(repo.markSentPublished).not.toHaveBeenCalled();
  });
});
