import { Injectable } from '@nestjs/common';
import { KafkaConnections } from './kafka-connections';

const CHECK_TIMEOUT_MS = 5_000;

/** Readiness: Kafka answers an admin request. Register `check` with the platform's HealthRegistry. */
@Injectable()
export class MessagingHealth {
  constructor(private readonly connections: KafkaConnections) {}

  /** Resolves when the cluster answers; rejects with the reason otherwise. */
  async check(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Kafka did not answer within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      );
    });
    try {
      const admin = await Promise.race([this.connections.getAdmin(), timeout]);
      const cluster = await Promise.race([admin.describeCluster(), timeout]);
      if (cluster.brokers.length === 0) throw new Error('Kafka cluster has no brokers');
    } finally {
      clearTimeout(timer);
    }
  }
}
