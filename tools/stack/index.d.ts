export interface InfraPorts {
  kafka: number;
  kafkaController: number;
  mongo: number;
  redis: number;
  smtp: number;
  mailpit: number;
  /** Jaeger's OTLP/HTTP receiver (only with `tracing`). */
  otlp: number;
  /** Jaeger's query API and UI (only with `tracing`). */
  jaegerUi: number;
  /** Jaeger's gRPC query API (only with `tracing`). */
  jaegerGrpc: number;
  stripeMock: number;
}

export interface InfraEnv {
  KAFKA_BROKERS: string;
  /** JSON with every Kafka principal's SCRAM credentials (`<data>/kafka/credentials.json`, see kafka-access.js). */
  KAFKA_CREDENTIALS_FILE: string;
  /** The scanner principal's librdkafka settings (`kcat -F`), when this stack started Kafka. */
  KAFKA_SCANNER_PROPERTIES?: string;
  MONGO_URL: string;
  REDIS_URL: string;
  SMTP_URL: string;
  MAILPIT_URL: string;
  /** Where the apps send spans (OTLP over HTTP), when the stack runs with `tracing`. */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /** Jaeger's UI and HTTP query API, when this stack started it. */
  JAEGER_URL?: string;
  /** The payment provider's API base (stripe-mock locally; unset in production, where the SDK talks to Stripe). */
  STRIPE_API_URL: string;
}

export interface Infra {
  env: InfraEnv;
  dataDir: string;
  /** Stops only the processes this call started (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** Removes the SIGINT/SIGTERM/SIGHUP handlers startInfra installed (for a caller that stops things itself). */
  releaseSignals(): void;
  /** Process ids of the running pieces this call started, by name (e.g. `FerretDB`). */
  pids(): Record<string, number>;
}

export interface StartInfraOptions {
  /** Data goes to `.data/<profile>/`; default `dev`. */
  profile?: string;
  /** Defaults: the dev ports, overridable by KAFKA_PORT, KAFKA_CONTROLLER_PORT, MONGO_PORT, REDIS_PORT, SMTP_PORT, MAILPIT_PORT, STRIPE_MOCK_PORT, OTLP_PORT, JAEGER_UI_PORT, JAEGER_GRPC_PORT. */
  ports?: Partial<InfraPorts>;
  log?: (msg: string) => void;
  /** Where KAFKA_BROKERS, MONGO_URL, REDIS_URL, SMTP_URL (+MAILPIT_URL), STRIPE_API_URL are read: a piece with a URL is not started. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Wipe the data dir first. */
  fresh?: boolean;
  /** Stop everything and exit on SIGINT/SIGTERM/SIGHUP (default true; see Infra.releaseSignals). */
  handleSignals?: boolean;
  /** Overrides `.data/<profile>`. */
  dataDir?: string;
  /** Also run Jaeger (built from tools/jaeger on first use) unless OTEL_EXPORTER_OTLP_ENDPOINT is given; default off. */
  tracing?: boolean;
}

export function startInfra(options?: StartInfraOptions): Promise<Infra>;
export function defaultPorts(env?: NodeJS.ProcessEnv): InfraPorts;
export const TEST_PORTS: InfraPorts;
/** `KAFKA_NODES`: 1 (default) or 3 (a replicated cluster); throws on anything else. */
export function kafkaNodes(env?: NodeJS.ProcessEnv): 1 | 3;
/** The variables a started stack hands its clients (apps, tests, bench): a piece whose URL is given is not started. */
export const INFRA_ENV_VARS: readonly [
  'KAFKA_BROKERS',
  'KAFKA_CREDENTIALS_FILE',
  'MONGO_URL',
  'REDIS_URL',
  'SMTP_URL',
  'MAILPIT_URL',
  'STRIPE_API_URL',
];
