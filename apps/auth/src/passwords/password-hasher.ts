import { Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';

/** OWASP's argon2id floor: 19 MiB, 2 passes, 1 lane. argon2 runs on libuv's pool, off the event loop. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

/**
 * argon2 is memory-hard CPU work on libuv's 4-thread pool: more hashes at once than cores only makes
 * each slower and starves the event loop and the database of CPU, so the surplus waits here instead.
 */
export const ARGON2_MAX_CONCURRENCY = Math.max(1, availableParallelism());

@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash = '';
  private readonly limit = pLimit(ARGON2_MAX_CONCURRENCY);

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(24).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return this.limit(() => argon2.hash(password, ARGON2_OPTIONS));
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await this.limit(() => argon2.verify(hash, password));
    } catch {
      return false;
    }
  }

  /** Spends the same time as a real verify, so an unknown user cannot be told from a wrong password. */
  async dummyVerify(password: string): Promise<false> {
    await this.verify(this.dummyHash, password);
    return false;
  }
}
