import { MetricsService } from '@app/platform';
import type { MessagesRepository } from '../messages/messages.repository';
import type { DeliveryQueues } from '../queues/delivery-queues';
import { MessagesMetrics } from './messages-metrics';

function setup({ metricsToken }: { metricsToken?: string } = { metricsToken: 'scraper-token-0123456789' }) {
  const metrics = new MetricsService();
  const countByChannelAndStatus = jest.fn().mockResolvedValue([
    { channel: 'email', status: 'sent', count: 3 },
    // Stale beside the lists: the unsettled rows of the aggregate are not reported.
    { channel: 'email', status: 'queued', count: 99 },
  ]);
  const countUnsettled = jest.fn().mockResolvedValue([
    { channel: 'email', status: 'queued', count: 4 },
    { channel: 'sms', status: 'queued', count: 0 },
  ]);
  const counts = jest.fn().mockResolvedValue({ waiting: 2, active: 1 });
  const oldestWaitingAddedAt = jest.fn((channel: string) =>
    Promise.resolve(channel === 'email' ? new Date(Date.now() - 90_000) : undefined),
  );
  const messagesMetrics = new MessagesMetrics(
    metrics,
    { countByChannelAndStatus, countUnsettled } as unknown as MessagesRepository,
    { counts, oldestWaitingAddedAt } as unknown as DeliveryQueues,
    {
      NOTIFICATIONS_METRICS_REFRESH_MS: 10_000,
      NOTIFICATIONS_SETTLED_COUNT_REFRESH_MS: 60_000,
      METRICS_TOKEN: metricsToken,
    },
  );
  return { metrics, messagesMetrics, countByChannelAndStatus, countUnsettled, counts };
}

describe('MessagesMetrics', () => {
  afterEach(() => jest.useRealTimers());

  it('reports the age of the oldest waiting job per queue, 0 for a queue where none waits', async () => {
    const { metrics, messagesMetrics } = setup();
    await messagesMetrics.refresh();
    const text = await metrics.registry.metrics();
    const email = /notifications_queue_oldest_waiting_seconds\{queue="email"\} ([\d.]+)/.exec(text);
    expect(Number(email?.[1])).toBeGreaterThanOrEqual(90);
    expect(Number(email?.[1])).toBeLessThan(100);
    expect(text).toMatch(/notifications_queue_oldest_waiting_seconds\{queue="sms"\} 0/);
  });

  it('answers any number of scrapes without querying the store or Redis', async () => {
    const { metrics, messagesMetrics, countByChannelAndStatus, counts } = setup();
    await messagesMetrics.refresh();
    countByChannelAndStatus.mockClear();
    counts.mockClear();
    for (let i = 0; i < 20; i++) {
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/notifications_messages\{channel="email",status="sent"\} 3/);
      expect(text).toMatch(/notifications_queue_jobs\{queue="sms",state="waiting"\} 2/);
    }
    expect(countByChannelAndStatus).not.toHaveBeenCalled();
    expect(counts).not.toHaveBeenCalled();
  });

  it('reports the unsettled counts from the lists and the sent and failed ones from the aggregate', async () => {
    const { metrics, messagesMetrics } = setup();
    await messagesMetrics.refresh();
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/notifications_messages\{channel="email",status="queued"\} 4/);
    expect(text).toMatch(/notifications_messages\{channel="sms",status="queued"\} 0/);
    expect(text).toMatch(/notifications_messages\{channel="email",status="sent"\} 3/);
  });

  it('refreshes the unsettled counts every interval, and runs the aggregate at start and then at its own, longer interval', async () => {
    jest.useFakeTimers();
    const { metrics, messagesMetrics, countByChannelAndStatus, countUnsettled } = setup();
    messagesMetrics.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(countByChannelAndStatus).toHaveBeenCalledTimes(1);
    expect(countUnsettled).toHaveBeenCalledTimes(1);
    countByChannelAndStatus.mockResolvedValue([{ channel: 'email', status: 'sent', count: 7 }]);
    countUnsettled.mockResolvedValue([{ channel: 'email', status: 'queued', count: 1 }]);
    await metrics.registry.metrics();
    expect(await metrics.registry.metrics()).toMatch(/status="sent"\} 3/);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(countUnsettled).toHaveBeenCalledTimes(2);
    expect(countByChannelAndStatus).toHaveBeenCalledTimes(1);
    let text = await metrics.registry.metrics();
    expect(text).toMatch(/channel="email",status="queued"\} 1/);
    expect(text).toMatch(/status="sent"\} 3/);
    await jest.advanceTimersByTimeAsync(50_000);
    expect(countUnsettled).toHaveBeenCalledTimes(7);
    expect(countByChannelAndStatus).toHaveBeenCalledTimes(2);
    text = await metrics.registry.metrics();
    expect(text).toMatch(/status="sent"\} 7/);
    messagesMetrics.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(countUnsettled).toHaveBeenCalledTimes(7);
    expect(countByChannelAndStatus).toHaveBeenCalledTimes(2);
  });

  it('queries nothing on a timer when no scraper can read /metrics (no METRICS_TOKEN)', async () => {
    jest.useFakeTimers();
    const { messagesMetrics, countByChannelAndStatus, countUnsettled, counts } = setup({});
    messagesMetrics.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(countByChannelAndStatus).not.toHaveBeenCalled();
    expect(countUnsettled).not.toHaveBeenCalled();
    expect(counts).not.toHaveBeenCalled();
    messagesMetrics.onApplicationShutdown();
  });

  it('keeps the last values when a refresh fails', async () => {
    const { metrics, messagesMetrics, countUnsettled } = setup();
    await messagesMetrics.refresh();
    countUnsettled.mockRejectedValueOnce(new Error('store down'));
    await messagesMetrics.refresh();
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/status="sent"\} 3/);
    expect(text).toMatch(/channel="email",status="queued"\} 4/);
  });
});
