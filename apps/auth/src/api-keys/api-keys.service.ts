import { API_KEY_REVOKED_MARKER_TTL_MS, apiKeyRevokedRedisKey } from '@app/contracts';
import { Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { RandomSource } from '../common/random';
import { AUTH_CONFIG, type AuthConfig } from '../config';
import { KeysService } from '../keys/keys.service';
import { ApiKeysRepository } from './api-keys.repository';
import { Clock, RedisConnection } from '@app/platform';

const INVALID_KEY = 'invalid or revoked API key';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export interface ApiKeyView {
  id: string;
  name: string;
  roles: string[];
  createdAt: Date;
  revokedAt?: Date | null;
}

/** Keys are `<id>.<secret>`: the id finds the document by `_id`, the secret is compared by hash. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly signing: KeysService,
    private readonly random: RandomSource,
    private readonly clock: Clock,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly redis: RedisConnection,
  ) {}

  async create(name: string, roles: string[], createdBy: string): Promise<{ id: string; key: string }> {
    const id = this.random.id('apk');
    const secret = this.random.token(32);
    await this.keys.insert({
      _id: id,
      name: name.trim(),
      roles: [...new Set(roles)],
      secretHash: sha256(secret).toString('hex'),
      createdBy,
      createdAt: this.clock.now(),
      revokedAt: null,
    });
    return { id, key: `${id}.${secret}` };
  }

  async list(): Promise<{ items: ApiKeyView[] }> {
    const docs = await this.keys.listWithoutSecrets();
    return {
      items: docs.map((d) => ({
        id: d._id,
        name: d.name,
        roles: d.roles,
        createdAt: d.createdAt,
        revokedAt: d.revokedAt,
      })),
    };
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.keys.revoke(id, this.clock.now()))) throw new NotFoundException('API key not found');
    // The gateway caches exchanged tokens for minutes; this marker makes it drop them now.
    await this.redis.client.set(apiKeyRevokedRedisKey(id), '1', 'PX', API_KEY_REVOKED_MARKER_TTL_MS);
  }

  async exchange(key: string): Promise<{ accessToken: string; expiresIn: number }> {
    const dot = key.indexOf('.');
    if (dot <= 0) throw new UnauthorizedException(INVALID_KEY);
    const doc = await this.keys.findById(key.slice(0, dot));
    const given = sha256(key.slice(dot + 1));
    const stored = doc ? Buffer.from(doc.secretHash, 'hex') : sha256('');
    if (!doc || doc.revokedAt || !timingSafeEqual(given, stored)) throw new UnauthorizedException(INVALID_KEY);
    const ttl = this.config.AUTH_API_KEY_TOKEN_TTL_SECONDS;
    return { accessToken: await this.signing.sign({ sub: doc._id, roles: doc.roles }, ttl), expiresIn: ttl };
  }
}
