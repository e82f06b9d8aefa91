import type { AclEntry } from 'kafkajs';

export interface Credential {
  username: string;
  password: string;
}
export type Credentials = Record<string, Credential>;

export const TOPICS: Record<'identity' | 'tracking' | 'pickup' | 'notification' | 'scans', string>;
export const ACCESS: Record<string, { writes: string[]; reads: string[]; group?: string }>;
export const ADMIN: string;
export const MECHANISM: 'scram-sha-512';
export const PRINCIPALS: string[];
export function aclBindings(prefix?: string): AclEntry[];
export function appKafkaEnv(
  credentials: Credentials,
  app: string,
): { KAFKA_SASL_MECHANISM: string; KAFKA_SASL_USERNAME: string; KAFKA_SASL_PASSWORD: string };
export function librdkafkaProperties(brokers: string, credential: Credential): string;
export function loadOrCreateCredentials(file: string): { credentials: Credentials; created: boolean };
export function readCredentials(file: string): Credentials;
export interface ScramSasl {
  mechanism: 'scram-sha-512';
  username: string;
  password: string;
}
export function sasl(credential: Credential): ScramSasl;
export function provisionKafka(options: {
  brokers: string;
  credentials: Credentials;
  prefix?: string;
  partitions?: number;
  /** How long a broker that is not ready yet is retried; default 60000 ms. */
  timeoutMs?: number;
}): Promise<void>;
