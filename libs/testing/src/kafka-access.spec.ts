import { ALL_TOPICS, ConsumerGroups, dlqTopic, Topics } from '@app/contracts';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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

  it('lets the scanners (the postal systems) write postal.scans and read postal.requests, nothing else', () => {
    expect(grants('p').filter((g) => g.startsWith('scanner '))).toEqual([
      'scanner write topic:p.postal.scans',
      'scanner write topic:p.postal.requests.dlq',
      'scanner read topic:p.postal.requests',
      'scanner read group:p.postal-systems',
    ]);
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
        Topics.PostalRequests,
        dlqTopic(Topics.PostalScans),
        dlqTopic(Topics.Pickup),
        dlqTopic(Topics.Identity),
      ].sort(),
    );
    expect(writes('notifications')).toEqual(
      [
        Topics.Notification,
        ...[Topics.Identity, Topics.Tracking, Topics.Pickup, Topics.Notification, Topics.PostalRequests].map(dlqTopic),
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

  it("is what docker-compose's kafka-init (deploy/kafka/init.sh) creates", () => {
    // The Kafka tools replaced by stubs that record their arguments (the script itself ran against a
    // real broker with Kafka's AclCommand when it was written).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-init-'));
    const calls = path.join(dir, 'calls');
    for (const tool of ['kafka-topics.sh', 'kafka-acls.sh']) {
      fs.writeFileSync(path.join(dir, tool), `#!/bin/sh\necho "${tool} $*" >> "${calls}"\n`, { mode: 0o755 });
    }
    try {
      execFileSync('sh', [path.join(__dirname, '..', '..', '..', 'deploy', 'kafka', 'init.sh')], {
        env: { PATH: process.env.PATH, KAFKA_BIN: dir, KAFKA_ADMIN_PASSWORD: 'x', KAFKA_PARTITIONS: '6' },
        stdio: 'pipe',
      });
      const lines = fs.readFileSync(calls, 'utf8').trim().split('\n');
      const created = lines
        .filter((l) => l.startsWith('kafka-topics.sh'))
        .map((l) => /--topic (\S+) --partitions 6/.exec(l)?.[1]);
      expect(created.sort()).toEqual(ALL_TOPICS.flatMap((t) => [t, dlqTopic(t)]).sort());
      const granted = lines
        .filter((l) => l.startsWith('kafka-acls.sh'))
        .map((l) => {
          const [, who, op, kind, name] =
            /--allow-principal User:(\S+) --operation (\S+) --(topic|group) (\S+)/.exec(l) ?? [];
          return `${who} ${op?.toLowerCase()} ${kind}:${name}`;
        });
      expect(granted.sort()).toEqual(grants('').sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
