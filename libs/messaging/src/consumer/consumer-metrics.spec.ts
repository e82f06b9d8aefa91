import { MetricsService } from '@app/platform';
import type { Admin } from 'kafkajs';
import type { KafkaConnections } from '../kafka-connections';
import { resolveMessagingOptions } from '../messaging.config';
import { ConsumerMetrics } from './consumer-metrics';

function setup(admin: Partial<Admin>) {
  const metrics = new MetricsService();
  metrics.scrapeToken = 'scraper-token-0123456789';
  const options = resolveMessagingOptions({ clientId: 'spec', brokers: ['127.0.0.1:1'], topicPrefix: 't1.' });
  const connections = { getAdmin: () => Promise.resolve(admin as Admin) } as unknown as KafkaConnections;
  return { metrics, consumerMetrics: new ConsumerMetrics(connections, options, metrics) };
}

describe('ConsumerMetrics', () => {
  it('reports lag per group, topic and partition under logical names, from the committed and end offsets', async () => {
    const fetchOffsets = jest.fn(() =>
      Promise.resolve([
        {
          topic: 't1.tracking.events',
          partitions: [
            { partition: 0, offset: '40', metadata: null },
            { partition: 1, offset: '-1', metadata: null },
          ],
        },
      ]),
    );
    const fetchTopicOffsets = jest.fn(() =>
      Promise.resolve([
        { partition: 0, offset: '45', high: '45', low: '0' },
        { partition: 1, offset: '7', high: '7', low: '2' },
      ]),
    );
    const { metrics, consumerMetrics } = setup({ fetchOffsets, fetchTopicOffsets });
    consumerMetrics.watch('t1.notifications', ['t1.tracking.events']);
    await consumerMetrics.refreshLag();
    const text = await metrics.registry.metrics();
    expect(fetchOffsets).toHaveBeenCalledWith({ groupId: 't1.notifications', topics: ['t1.tracking.events'] });
    expect(text).toContain(
      'kafka_consumer_lag_messages{group="notifications",topic="tracking.events",partition="0"} 5',
    );
    expect(text).toContain('messaging_dlq_messages_total{topic="tracking.events",cause="invalid"} 0');
    // Nothing committed yet: everything the partition still holds is behind.
    expect(text).toContain(
      'kafka_consumer_lag_messages{group="notifications",topic="tracking.events",partition="1"} 5',
    );
  });

  it('keeps the last values when a read fails, and drops a stopped group at the next read', async () => {
    let fail = false;
    const admin = {
      fetchOffsets: () =>
        fail
          ? Promise.reject(new Error('broker away'))
          : Promise.resolve([
              { topic: 't1.postal.scans', partitions: [{ partition: 0, offset: '1', metadata: null }] },
            ]),
      fetchTopicOffsets: () => Promise.resolve([{ partition: 0, offset: '3', high: '3', low: '0' }]),
    };
    const { metrics, consumerMetrics } = setup(admin);
    consumerMetrics.watch('t1.tracking', ['t1.postal.scans']);
    await consumerMetrics.refreshLag();
    fail = true;
    await consumerMetrics.refreshLag();
    expect(await metrics.registry.metrics()).toContain('{group="tracking",topic="postal.scans",partition="0"} 2');
    fail = false;
    consumerMetrics.unwatch('t1.tracking');
    consumerMetrics.watch('t1.pickup', []);
    await consumerMetrics.refreshLag();
    expect(await metrics.registry.metrics()).not.toContain('group="tracking"');
  });

  it('counts dead-lettered messages by logical topic and cause', async () => {
    const { metrics, consumerMetrics } = setup({});
    consumerMetrics.deadLettered('t1.postal.scans', 'invalid');
    consumerMetrics.deadLettered('t1.postal.scans', 'invalid');
    consumerMetrics.deadLettered('t1.tracking.events', 'permanent');
    const text = await metrics.registry.metrics();
    expect(text).toContain('messaging_dlq_messages_total{topic="postal.scans",cause="invalid"} 2');
    expect(text).toContain('messaging_dlq_messages_total{topic="tracking.events",cause="permanent"} 1');
  });
});
