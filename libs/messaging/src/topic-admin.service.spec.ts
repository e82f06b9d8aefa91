import type { Admin } from 'kafkajs';
import { KafkaJSProtocolError } from 'kafkajs';
import type { KafkaConnections } from './kafka-connections';
import { resolveMessagingOptions } from './messaging.config';
import { TopicAdmin } from './topic-admin.service';

function adminWith(fetchTopicMetadata: Admin['fetchTopicMetadata'], existing: string[] = []) {
  const admin = {
    listTopics: jest.fn(() => Promise.resolve(existing)),
    createTopics: jest.fn(() => Promise.resolve(true)),
    fetchTopicMetadata: jest.fn(fetchTopicMetadata),
  };
  const connections = { getAdmin: () => Promise.resolve(admin as unknown as Admin) };
  return { admin, connections: connections as unknown as KafkaConnections };
}

const options = (startupTimeoutMs: number) =>
  resolveMessagingOptions({ clientId: 'spec', brokers: ['127.0.0.1:1'], topicPrefix: 'spec', startupTimeoutMs });

const led = (names: string[], leader = 1) => ({
  topics: names.map((name) => ({
    name,
    partitions: [{ partitionId: 0, leader, partitionErrorCode: 0, replicas: [1], isr: [1] }],
  })),
});

describe('TopicAdmin', () => {
  it('retries a fresh broker that does not host a just-created topic yet, until every partition has a leader', async () => {
    let calls = 0;
    const { admin, connections } = adminWith(() => {
      calls += 1;
      if (calls === 1)
        return Promise.reject(new KafkaJSProtocolError('This server does not host this topic-partition'));
      return Promise.resolve(led(topicAdmin.topicNames(), calls === 2 ? -1 : 1));
    });
    const topicAdmin = new TopicAdmin(connections, options(30_000));
    await topicAdmin.ensureTopics();
    expect(admin.fetchTopicMetadata).toHaveBeenCalledTimes(3);
    expect(admin.createTopics).toHaveBeenCalled();
  });

  it('gives up with the last error after the startup timeout', async () => {
    const { connections } = adminWith(() => Promise.reject(new Error('no leader')));
    const topicAdmin = new TopicAdmin(connections, options(0));
    await expect(topicAdmin.ensureTopics()).rejects.toThrow('no leader');
  });

  it('creates nothing when another app created every topic', async () => {
    const names = new TopicAdmin(
      adminWith(() => Promise.reject(new Error('unused'))).connections,
      options(0),
    ).topicNames();
    const { admin, connections } = adminWith(() => Promise.resolve(led(names)), names);
    await new TopicAdmin(connections, options(0)).ensureTopics();
    expect(admin.createTopics).not.toHaveBeenCalled();
  });
});
