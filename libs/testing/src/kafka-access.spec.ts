import { ALL_TOPICS, ConsumerGroups, dlqTopic, Topics } from '@app/contracts';
import { AclOperationTypes, AclResourceTypes } from 'kafkajs';
import { ACCESS, aclBindings, PRINCIPALS, TOPICS } from '../../../tools/stack/kafka-access';

/** `<principal> <operation> <resource>` for each binding, for readable comparisons. */
function grants(prefix: string): string[] {
  const operations = new Map<number, string>([
    [AclOperationTypes.WRITE, 'write'],
    [AclOperationTypes.READ, 'read'],
  ]);
  const kinds = new Map<number, string>([
    [AclResourceTypes.TOPIC, 'topic'],
    [AclResourceTypes.GROUP, 'group'],
  ]);
  return aclBindings(prefix).map(
    (b) =>
      `${b.principal.replace('User:', '')} ${operations.get(b.operation) ?? b.operation} ${kinds.get(b.resourceType) ?? b.resourceType}:${b.resourceName}`,
  );
}

describe('Kafka principals and ACLs (tools/stack/kafka-access.js)', () => {
  it('names the topics and consumer groups of libs/contracts', () => {
    expect(Object.values(TOPICS).sort()).toEqual([...ALL_TOPICS].sort());
    const groups = Object.values(ACCESS).flatMap((a) => (a.group ? [a.group] : []));
    expect(groups.every((g) => (Object.values(ConsumerGroups) as string[]).includes(g))).toBe(true);
  });

  it('has one principal per service using Kafka, one for the scanners and the admin', () => {
    expect([...PRINCIPALS].sort()).toEqual(['admin', 'auth', 'notifications', 'pickup', 'scanner', 'tracking']);
  });

  it('lets the scanners write postal.scans and nothing else', () => {
    expect(grants('p').filter((g) => g.startsWith('scanner '))).toEqual(['scanner write topic:p.postal.scans']);
  });

  it('lets each service write only its own topics, and the DLQs of what it reads', () => {
    const writes = (who: string) =>
      grants('')
        .filter((g) => g.startsWith(`${who} write `))
        .map((g) => g.split('topic:')[1])
        .sort();
    expect(writes('auth')).toEqual([Topics.Identity]);
    expect(writes('pickup')).toEqual([Topics.Pickup, dlqTopic(Topics.Tracking)].sort());
    expect(writes('tracking')).toEqual(
      [
        Topics.Tracking,
        Topics.PostalScans,
        dlqTopic(Topics.PostalScans),
        dlqTopic(Topics.Pickup),
        dlqTopic(Topics.Identity),
      ].sort(),
    );
    expect(writes('notifications')).toEqual(
      [
        Topics.Notification,
        ...[Topics.Identity, Topics.Tracking, Topics.Pickup, Topics.Notification].map(dlqTopic),
      ].sort(),
    );
  });

  it('grants reads of consumed topics and each service its own consumer group, under the prefix', () => {
    expect(grants('t1').filter((g) => g.startsWith('pickup read '))).toEqual([
      'pickup read topic:t1.tracking.events',
      'pickup read group:t1.pickup',
    ]);
    expect(grants('t1').filter((g) => g.startsWith('auth read '))).toEqual([]);
    expect(grants('').filter((g) => g.includes(' read ') && g.includes('.dlq'))).toEqual([]);
  });
});
