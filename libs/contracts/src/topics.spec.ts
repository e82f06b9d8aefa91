import { ALL_TOPICS, dlqTopic, isDlqTopic, logicalTopicName, Topics, topicName } from './topics';

describe('topics', () => {
  it('leaves a topic unprefixed when the prefix is empty', () => {
    expect(topicName(Topics.Tracking, '')).toBe('tracking.events');
    expect(topicName(Topics.Tracking)).toBe('tracking.events');
  });

  it('joins prefix and topic with a dot, tolerating a trailing dot on the prefix', () => {
    expect(topicName(Topics.Tracking, 'test-42')).toBe('test-42.tracking.events');
    expect(topicName(Topics.Tracking, 'test-42.')).toBe('test-42.tracking.events');
  });

  it('names the dead-letter topic of a prefixed topic after the prefixed topic', () => {
    expect(dlqTopic(topicName(Topics.Pickup, 'p'))).toBe('p.pickup.events.dlq');
    expect(topicName(dlqTopic(Topics.Pickup), 'p')).toBe('p.pickup.events.dlq');
    expect(isDlqTopic('p.pickup.events.dlq')).toBe(true);
    expect(isDlqTopic(Topics.Pickup)).toBe(false);
  });

  it('refuses a prefix with characters Kafka does not allow', () => {
    expect(() => topicName(Topics.Identity, 'bad prefix')).toThrow(/invalid Kafka name/);
    expect(() => topicName(Topics.Identity, 'x'.repeat(250))).toThrow(/invalid Kafka name/);
  });

  it('maps a physical name back to its logical topic', () => {
    expect(logicalTopicName('run1.postal.scans', 'run1')).toBe(Topics.PostalScans);
    expect(logicalTopicName('postal.scans', '')).toBe(Topics.PostalScans);
    expect(logicalTopicName('other.postal.scans', 'run1')).toBe('other.postal.scans');
  });

  it('lists every topic once', () => {
    expect(new Set(ALL_TOPICS).size).toBe(Object.keys(Topics).length);
  });
});
