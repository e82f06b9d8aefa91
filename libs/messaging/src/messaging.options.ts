import type { logLevel } from 'kafkajs';

/** What an app hands to `MessagingModule.forRoot` (from its validated config). */
export interface MessagingOptions {
  /** Kafka client id, usually the service name. */
  clientId: string;
  /** `host:port` of the bootstrap brokers (use 127.0.0.1, not localhost). */
  brokers: string[];
  /** SASL/SCRAM credentials of this service's principal (the broker refuses clients without). */
  sasl?: { mechanism: 'scram-sha-512'; username: string; password: string };
  /**
   * Create missing topics at start and wait for their leaders (needs CREATE, i.e. the admin).
   * Default true; services turn it off with KAFKA_MANAGE_TOPICS, the admin having created them.
   */
  manageTopics?: boolean;
  /** Prefix of every topic and consumer group (`<prefix>.<name>`); '' in production. */
  topicPrefix?: string;
  /** Partitions of each topic created at start-up. Default 3. */
  partitions?: number;
  /** Replication factor of created topics; -1 (the default) takes the broker's default. */
  replicationFactor?: number;
  /** kafkajs log level (default WARN). */
  logLevel?: logLevel;
  /** Longest a publish may take before it fails with `BrokerUnavailableError`. Default 10000 ms. */
  publishTimeoutMs?: number;
  /**
   * How long topic set-up and a consumer's first start retry at boot (broker not up yet, topics
   * without leaders) before carrying on in the background. Default 120000 ms.
   */
  startupTimeoutMs?: number;
  /** Period of the consumer-lag read behind `kafka_consumer_lag_messages`. Default 15000 ms. */
  lagMetricsIntervalMs?: number;
  outbox?: {
    /**
     * Period of the sweep, which looks for entries a crash left unpublished (also run once at start):
     * it reads every document of the watched collections, or only the members of a collection's
     * pending set. Default 300 s (a pass that reads whole collections, every 30 s, cost FerretDB a
     * third of a core with 120,000 parcels); 0 disables the timer.
     */
    sweepIntervalMs?: number;
    /**
     * Period of the full pass of a collection watched with a pending set (also at start, and whenever
     * the set is not complete): the safety net for members Redis lost. Default 3600 s.
     */
    fullSweepIntervalMs?: number;
    /** Period of the retry of flushes that failed in this process (point reads of those documents). Default 1000 ms. */
    retryIntervalMs?: number;
    /** The sweep leaves entries younger than this to the immediate flush. Default 2000 ms. */
    sweepMinAgeMs?: number;
    /** Documents read per collection per sweep. Default 100. */
    sweepBatchSize?: number;
    /** Fault injection (OUTBOX_CRASH_AFTER_WRITE): skip the flush after a write, as if the process died. */
    crashAfterWrite?: boolean;
  };
  consumer?: {
    /** First retry delay of a transient handler failure, doubled on each attempt. Default 200 ms. */
    retryBackoffMs?: number;
    /** Cap of the retry delay (transient failures are retried without end). Default 5000 ms. */
    maxRetryDelayMs?: number;
    /** Consumer group session timeout: a member silent this long is dropped. Default 15000 ms. */
    sessionTimeoutMs?: number;
    /** How long the group waits for every member to rejoin during a rebalance. Default 30000 ms. */
    rebalanceTimeoutMs?: number;
    /** Consumer heartbeat interval, also how soon a long batch notices a rebalance. Default 1000 ms. */
    heartbeatIntervalMs?: number;
  };
}

export type ResolvedMessagingOptions = Required<
  Pick<
    MessagingOptions,
    | 'clientId'
    | 'brokers'
    | 'manageTopics'
    | 'topicPrefix'
    | 'partitions'
    | 'replicationFactor'
    | 'logLevel'
    | 'publishTimeoutMs'
    | 'startupTimeoutMs'
    | 'lagMetricsIntervalMs'
  >
> & {
  sasl?: MessagingOptions['sasl'];
  outbox: Required<NonNullable<MessagingOptions['outbox']>>;
  consumer: Required<NonNullable<MessagingOptions['consumer']>>;
};

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');

/** The config fields (kafkaConfigSchema + messagingConfigSchema) every service maps to options. */
export interface MessagingConfigFields {
  KAFKA_BROKERS: string[];
  KAFKA_TOPIC_PREFIX: string;
  KAFKA_PARTITIONS: number;
  KAFKA_SASL_MECHANISM: 'scram-sha-512';
  KAFKA_SASL_USERNAME: string;
  KAFKA_SASL_PASSWORD: string;
  KAFKA_MANAGE_TOPICS: boolean;
  OUTBOX_SWEEP_INTERVAL_MS: number;
  OUTBOX_FULL_SWEEP_INTERVAL_MS?: number;
  OUTBOX_CRASH_AFTER_WRITE: boolean;
  KAFKA_LAG_METRICS_INTERVAL_MS?: number;
}

/** Options of `MessagingModule.forRoot` from a service's validated config. */
export function messagingOptionsFromConfig(clientId: string, config: MessagingConfigFields): MessagingOptions {
  return {
    clientId,
    brokers: config.KAFKA_BROKERS,
    sasl: {
      mechanism: config.KAFKA_SASL_MECHANISM,
      username: config.KAFKA_SASL_USERNAME,
      password: config.KAFKA_SASL_PASSWORD,
    },
    manageTopics: config.KAFKA_MANAGE_TOPICS,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    partitions: config.KAFKA_PARTITIONS,
    ...(config.KAFKA_LAG_METRICS_INTERVAL_MS ? { lagMetricsIntervalMs: config.KAFKA_LAG_METRICS_INTERVAL_MS } : {}),
    outbox: {
      sweepIntervalMs: config.OUTBOX_SWEEP_INTERVAL_MS,
      ...(config.OUTBOX_FULL_SWEEP_INTERVAL_MS ? { fullSweepIntervalMs: config.OUTBOX_FULL_SWEEP_INTERVAL_MS } : {}),
      crashAfterWrite: config.OUTBOX_CRASH_AFTER_WRITE,
    },
  };
}
