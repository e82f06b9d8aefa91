import type { MessageRecord, MessageStatus } from '../messages/message.schema';
import type { MessagesRepository } from '../messages/messages.repository';
import { PermanentDeliveryError } from './delivery-errors';
import { MetricsService } from '@app/platform';
import { DeliveryMetrics } from './delivery-metrics';
import { DeliveryService } from './delivery.service';
import type { OutgoingEmail } from './email/email-sender';
import type { SmsSender } from './sms/sms-sender';

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

function setUp(records: (MessageRecord | null)[], send: jest.Mock, metrics = new MetricsService()) {
  const steps: string[] = [];
  const repo = {
    findDeliverable: jest.fn(() => {
      steps.push('read');
      return Promise.resolve(records.shift() ?? null);
    }),
    markSent: jest.fn(() => {
      steps.push('markSent');
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
  );
  return { service, repo, email, steps };
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

  it('reads the record, sends, and writes sent once: no claim write before the send', async () => {
    const { service, repo, steps } = setUp([record('queued')], jest.fn().mockResolvedValue('<a1b2c3@x>'));
    await expect(service.deliver('a1b2c3', { number: 1, lastAttempt: false })).resolves.toBe('sent');
    expect(steps).toEqual(['read', 'send', 'markSent']);
    expect(repo.markSent).toHaveBeenCalledWith('a1b2c3', { providerMessageId: '<a1b2c3@x>', attempts: 1 }, now, [
      expect.objectContaining({ type: 'NotificationSent' }),
    ]);
  });

  it('re-sends a message an earlier attempt left unsettled, with the same message id, and records the attempt count', async () => {
    const send = jest.fn().mockRejectedValueOnce(new Error('killed mid-send')).mockResolvedValue('<a1b2c3@x>');
    const { service, email, repo } = setUp([record('queued'), record('queued')], send);
    await expect(service.deliver('a1b2c3', { number: 1, lastAttempt: false })).rejects.toThrow('killed mid-send');
    await expect(service.deliver('a1b2c3', { number: 2, lastAttempt: false })).resolves.toBe('sent');
    const ids = email.send.mock.calls.map(([e]) => e.id);
    expect(ids).toEqual(['a1b2c3', 'a1b2c3']);
    expect(repo.markSent).toHaveBeenCalledWith('a1b2c3', { providerMessageId: '<a1b2c3@x>', attempts: 2 }, now, [
      expect.anything(),
    ]);
  });

  it('writes nothing for a failed attempt that a retry follows', async () => {
    const { service, repo, steps } = setUp([record('queued')], jest.fn().mockRejectedValue(new Error('ECONNREFUSED')));
    await expect(service.deliver('a1b2c3', { number: 3, lastAttempt: false })).rejects.toThrow('ECONNREFUSED');
    expect(steps).toEqual(['read', 'send']);
    expect(repo.markFailed).not.toHaveBeenCalled();
    expect(repo.markSent).not.toHaveBeenCalled();
  });

  it('records the failure as final on the last attempt or a permanent refusal', async () => {
    const last = setUp([record('queued')], jest.fn().mockRejectedValue(new Error('timeout')));
    await expect(last.service.deliver('a1b2c3', { number: 5, lastAttempt: true })).rejects.toThrow('timeout');
    expect(last.steps).toEqual(['read', 'send', 'markFailed']);
    expect(last.repo.markFailed).toHaveBeenCalledWith('a1b2c3', 'timeout', now, 5);

    const refused = setUp(
      [record('queued')],
      jest.fn().mockRejectedValue(new PermanentDeliveryError('SMTP 550: no such mailbox')),
    );
    await expect(refused.service.deliver('a1b2c3', { number: 1, lastAttempt: false })).rejects.toThrow(
      PermanentDeliveryError,
    );
    expect(refused.repo.markFailed).toHaveBeenCalledWith('a1b2c3', 'SMTP 550: no such mailbox', now, 1);
  });

  it('sends nothing for a message already settled', async () => {
    const { service, email, repo } = setUp([null], jest.fn());
    await expect(service.deliver('a1b2c3', { number: 1, lastAttempt: false })).resolves.toBe('skipped');
    expect(email.send).not.toHaveBeenCalled();
    expect(repo.markSent).not.toHaveBeenCalled();
  });
});
