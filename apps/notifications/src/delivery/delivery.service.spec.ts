import type { MessageRecord, MessageStatus } from '../messages/message.schema';
import type { MessagesRepository } from '../messages/messages.repository';
import { PermanentDeliveryError } from './delivery-errors';
import { DeliveryService } from './delivery.service';
import type { OutgoingEmail } from './email/email-sender';
import type { SmsSender } from './sms/sms-sender';

const now = new Date('2025-03-01T12:00:00Z');

function record(attempts: number): MessageRecord {
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
    status: 'sending',
    attempts,
    notBefore: null,
    providerMessageId: null,
    lastError: null,
    readAt: null,
    createdAt: now,
    updatedAt: now,
    sentAt: null,
  };
}

function setUp(claims: { attempts: number; previousStatus: MessageStatus }[], send: jest.Mock) {
  const steps: string[] = [];
  const repo = {
    claim: jest.fn(() => {
      const next = claims.shift();
      return Promise.resolve(next ? { message: record(next.attempts), previousStatus: next.previousStatus } : null);
    }),
    markSent: jest.fn(() => {
      steps.push('markSent');
      return Promise.resolve();
    }),
    recordAttemptFailure: jest.fn(() => {
      steps.push('recordAttemptFailure');
      return Promise.resolve();
    }),
  };
  const email = {
    send: jest.fn(async (e: OutgoingEmail) => {
      steps.push('send');
      return send(e) as Promise<string | null>;
    }),
  };
  const service = new DeliveryService(repo as unknown as MessagesRepository, email, {} as SmsSender, {
    now: () => now,
  });
  return { service, repo, email, steps };
}

describe('DeliveryService', () => {
  it('marks the message sent in the write right after the provider accepted it', async () => {
    const { service, repo, steps } = setUp(
      [{ attempts: 1, previousStatus: 'queued' }],
      jest.fn().mockResolvedValue('<a1b2c3@x>'),
    );
    await expect(service.deliver('a1b2c3', { lastAttempt: false })).resolves.toBe('sent');
    expect(steps).toEqual(['send', 'markSent']);
    expect(repo.markSent).toHaveBeenCalledWith('a1b2c3', '<a1b2c3@x>', now, [
      expect.objectContaining({ type: 'NotificationSent' }),
    ]);
  });

  it('re-sends a message an earlier attempt left sending with the same message id', async () => {
    const send = jest.fn().mockRejectedValueOnce(new Error('killed mid-send')).mockResolvedValue('<a1b2c3@x>');
    const { service, email } = setUp(
      [
        { attempts: 1, previousStatus: 'queued' },
        { attempts: 2, previousStatus: 'sending' },
      ],
      send,
    );
    await expect(service.deliver('a1b2c3', { lastAttempt: false })).rejects.toThrow('killed mid-send');
    await expect(service.deliver('a1b2c3', { lastAttempt: false })).resolves.toBe('sent');
    const ids = email.send.mock.calls.map(([e]) => e.id);
    expect(ids).toEqual(['a1b2c3', 'a1b2c3']);
  });

  it('records a failed attempt, fenced by its claim count, before handing the error back', async () => {
    const { service, repo, steps } = setUp(
      [{ attempts: 3, previousStatus: 'queued' }],
      jest.fn().mockRejectedValue(new Error('ECONNREFUSED')),
    );
    await expect(service.deliver('a1b2c3', { lastAttempt: false })).rejects.toThrow('ECONNREFUSED');
    expect(steps).toEqual(['send', 'recordAttemptFailure']);
    expect(repo.recordAttemptFailure).toHaveBeenCalledWith('a1b2c3', 3, 'ECONNREFUSED', false, now);
    expect(repo.markSent).not.toHaveBeenCalled();
  });

  it('records the failure as final on the last attempt or a permanent refusal', async () => {
    const last = setUp([{ attempts: 5, previousStatus: 'queued' }], jest.fn().mockRejectedValue(new Error('timeout')));
    await expect(last.service.deliver('a1b2c3', { lastAttempt: true })).rejects.toThrow('timeout');
    expect(last.repo.recordAttemptFailure).toHaveBeenCalledWith('a1b2c3', 5, 'timeout', true, now);

    const refused = setUp(
      [{ attempts: 1, previousStatus: 'queued' }],
      jest.fn().mockRejectedValue(new PermanentDeliveryError('SMTP 550: no such mailbox')),
    );
    await expect(refused.service.deliver('a1b2c3', { lastAttempt: false })).rejects.toThrow(PermanentDeliveryError);
    expect(refused.repo.recordAttemptFailure).toHaveBeenCalledWith('a1b2c3', 1, 'SMTP 550: no such mailbox', true, now);
  });

  it('sends nothing for a message already settled', async () => {
    const { service, email } = setUp([], jest.fn());
    await expect(service.deliver('a1b2c3', { lastAttempt: false })).resolves.toBe('skipped');
    expect(email.send).not.toHaveBeenCalled();
  });
});
