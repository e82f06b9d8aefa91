import { kafkaNodes } from '../../../tools/stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serverProperties } = require('../../../tools/stack/kafka') as {
  serverProperties(
    index: number,
    nodes: { port: number; controllerPort: number }[],
    logDir: string,
    admin: { username: string; password: string },
  ): string;
};

const admin = { username: 'admin', password: 'secret' };
const parse = (text: string) =>
  Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

describe('the local Kafka: one broker, or a replicated three-node cluster', () => {
  it('runs one broker unless KAFKA_NODES asks for three, and refuses other sizes', () => {
    expect(kafkaNodes({})).toBe(1);
    expect(kafkaNodes({ KAFKA_NODES: '1' })).toBe(1);
    expect(kafkaNodes({ KAFKA_NODES: '3' })).toBe(3);
    expect(() => kafkaNodes({ KAFKA_NODES: '2' })).toThrow('KAFKA_NODES must be 1 or 3, got "2"');
  });

  it('keeps the single broker unreplicated', () => {
    const props = parse(serverProperties(0, [{ port: 9092, controllerPort: 9093 }], '/tmp/k', admin));
    expect(props).toMatchObject({
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:9093',
      'default.replication.factor': '1',
      'min.insync.replicas': '1',
      'offsets.topic.replication.factor': '1',
    });
  });

  it('gives every node of a cluster the three voters, replication factor 3 and min.insync.replicas 2', () => {
    const nodes = [
      { port: 9092, controllerPort: 9093 },
      { port: 9094, controllerPort: 9095 },
      { port: 9096, controllerPort: 9097 },
    ];
    const props = parse(serverProperties(1, nodes, '/tmp/k2', admin));
    expect(props).toMatchObject({
      'node.id': '2',
      'controller.quorum.voters': '1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097',
      listeners: 'CLIENT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095',
      'advertised.listeners': 'CLIENT://127.0.0.1:9094',
      'default.replication.factor': '3',
      'min.insync.replicas': '2',
      'offsets.topic.replication.factor': '3',
      'transaction.state.log.replication.factor': '3',
      'transaction.state.log.min.isr': '2',
      'unclean.leader.election.enable': 'false',
      'log.dirs': '/tmp/k2',
    });
  });
});
