import { Injectable } from '@nestjs/common';
import { KafkaConnections } from './kafka-connections';

const CHECK_TIMEOUT_MS = 5_000;

/** What `registerWith` needs of a readiness registry (the platform's HealthRegistry). */
export interface ReadinessRegistry {
  register(name: string, check: () => Promise<void>, options?: { critical?: boolean }): void;
}

/** Readiness: Kafka answers an admin request. */
@Injectable()
export class MessagingHealth {
  constructor(private readonly connections: KafkaConnections) {}

  /**
   * Registers the `kafka` check as non-critical: while the broker is away the services keep
   * serving (reads need no Kafka; writes keep their events in the outbox, published when it is
   * back), so the check reports it (`status: degraded`) without taking every instance out of the
   * load balancer, which would turn a broker outage into a full one.
   */
  registerWith(registry: ReadinessRegistry): void {
    registry.register('kafka', () => this.check(), { critical: false });
  }

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
