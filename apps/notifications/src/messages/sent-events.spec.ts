import type { EventEnvelope } from '@app/contracts';
import type { EventPublisher } from '@app/messaging';
import { DIRECT_PUBLISH_PAUSE_MS, DIRECT_PUBLISH_TIMEOUT_MS, SentEvents } from './sent-events';

const event = (id: string) => ({ id, type: 'NotificationSent' }) as unknown as EventEnvelope;

function publisherOf(publish: jest.Mock): EventPublisher {
  return { publish } as unknown as EventPublisher;
}

describe('SentEvents', () => {
  afterEach(() => jest.useRealTimers());

  it('publishes what the workers hand over in the same tick together, and answers true once acknowledged', async () => {
    const publish = jest.fn().mockResolvedValue(undefined);
    const events = new SentEvents(publisherOf(publish));
    const answers = await Promise.all(['a', 'b', 'c'].map((id) => events.publish(event(id))));
    expect(answers).toEqual([true, true, true]);
    expect(publish).toHaveBeenCalledTimes(1);
    expect((publish.mock.calls[0] as [EventEnvelope[]])[0].map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });

  it('answers false when Kafka fails, and sends nothing for a while after', async () => {
    const publish = jest.fn().mockRejectedValue(new Error('broker down'));
    const events = new SentEvents(publisherOf(publish));
    await expect(events.publish(event('a'))).resolves.toBe(false);
    await expect(events.publish(event('b'))).resolves.toBe(false);
    expect(publish).toHaveBeenCalledTimes(1);
  });

  it('answers false when Kafka does not acknowledge in time, and publishes again after the pause', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const publish = jest
      .fn()
      .mockReturnValueOnce(new Promise(() => undefined))
      .mockResolvedValue(undefined);
    const events = new SentEvents(publisherOf(publish));
    const slow = events.publish(event('a'));
    await new Promise((resolve) => setImmediate(resolve));
    jest.advanceTimersByTime(DIRECT_PUBLISH_TIMEOUT_MS);
    await expect(slow).resolves.toBe(false);
    await expect(events.publish(event('b'))).resolves.toBe(false);
    jest.advanceTimersByTime(DIRECT_PUBLISH_PAUSE_MS);
    await expect(events.publish(event('c'))).resolves.toBe(true);
    expect(publish).toHaveBeenCalledTimes(2);
  });
});
