import { Injectable, Logger } from '@nestjs/common';
import { RedisConnection } from '@app/platform';
import type { UserDocument } from './user.schema';

/** Users kept for logins in this process (a few KB each), least recently used first out. */
const CAPACITY = 5_000;
/**
 * The longest a kept user serves logins without being read again. It bounds the one case the
 * generation cannot cover: a writer that stopped between its store write and the generation's bump.
 */
export const LOGIN_USER_MAX_AGE_MS = 10_000;
/** A user's generation outlives any kept copy by far; it goes when the user has not changed for a day. */
const GENERATION_TTL_MS = 24 * 60 * 60_000;

const generationKey = (userId: string) => `users:generation:${userId}`;

/**
 * The user documents this process read for logins, so a login costs no store read: each is kept
 * with the user's generation, a counter in Redis that every write of the user bumps after its store
 * write (UsersRepository.update), read in the login's Redis round trip. A kept copy serves a login
 * only while the generation is the one it was read under (no write since) and for at most
 * LOGIN_USER_MAX_AGE_MS; a copy read while a write was under way carries the generation from
 * before the bump, so the bump retires it. Without Redis the store is read, as before. A kept
 * document is handed out as it is: the login path reads it and never changes it.
 */
@Injectable()
export class LoginUserCache {
  private readonly logger = new Logger(LoginUserCache.name);
  private readonly kept = new Map<string, { user: UserDocument; generation: string; readAt: number }>();

  constructor(private readonly redis: RedisConnection) {}

  /** The user's generation now ('0' before any write); null when Redis does not answer (then nothing is kept). */
  async generation(userId: string): Promise<string | null> {
    try {
      return (await this.redis.client.get(generationKey(userId))) ?? '0';
    } catch {
      return null;
    }
  }

  /** The kept user, when it was read under `generation` and recently enough. */
  get(userId: string, generation: string): UserDocument | undefined {
    const entry = this.kept.get(userId);
    if (!entry) return undefined;
    if (entry.generation !== generation || Date.now() - entry.readAt >= LOGIN_USER_MAX_AGE_MS) {
      this.kept.delete(userId);
      return undefined;
    }
    return entry.user;
  }

  /** Keeps `user`, read from the store after `generation` was read. */
  set(user: UserDocument, generation: string, readAt: number): void {
    this.kept.delete(user._id);
    this.kept.set(user._id, { user, generation, readAt });
    if (this.kept.size > CAPACITY) this.kept.delete(this.kept.keys().next().value!);
  }

  /**
   * After a write of the user: this process forgets its copy at once, every other one at its next
   * login (the generation moved). A failed bump is logged: copies elsewhere then serve at most
   * LOGIN_USER_MAX_AGE_MS longer.
   */
  async changed(userId: string): Promise<void> {
    this.kept.delete(userId);
    try {
      await this.redis.client
        .multi()
        .incr(generationKey(userId))
        .pexpire(generationKey(userId), GENERATION_TTL_MS)
        .exec();
    } catch (error) {
      this.logger.error(`could not bump the generation of user ${userId}: ${String(error)}`);
    }
  }
}
