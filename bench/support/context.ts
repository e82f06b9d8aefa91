import mongoose from 'mongoose';
import type { BenchConfig } from '../config';
import type { CpuShares } from './cpu';
import type { BenchKafka } from './kafka';
import type { Results } from './results';
import type { BenchStack } from './stack';

export type MongoClient = InstanceType<typeof mongoose.mongo.MongoClient>;

/** What every scenario gets. */
export interface BenchContext {
  config: BenchConfig;
  stack: BenchStack;
  kafka: BenchKafka;
  mongo: MongoClient;
  results: Results;
  log(msg: string): void;
  /**
   * Runs `fn` and reports which processes used the CPU meanwhile (`cpu_<label>_<process>` rows); `onCpu`
   * gets the shares too (a scenario that reports CPU per operation).
   */
  profileCpu<T>(label: string, fn: () => Promise<T>, onCpu?: (cpu: CpuShares) => void): Promise<T>;
}

export function connectMongo(url: string): Promise<MongoClient> {
  return new mongoose.mongo.MongoClient(url).connect();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
