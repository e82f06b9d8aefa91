import { ORG_CLAIM, ORG_ROLE_CLAIM } from '@app/contracts';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { createPrivateKey, type JsonWebKey, type KeyObject, sign } from 'node:crypto';
import { RandomSource } from '../common/random';
import { SecretBox } from '../common/secret-box';
import { AUTH_CONFIG, type AuthConfig } from '../config';
import { KEY_RELOAD_MS, publishedKeysAt, signingKeyAt } from './key-schedule';
import type { SigningKeyDocument } from './signing-key.schema';
import { SigningKeysRepository } from './signing-keys.repository';
import { Clock } from '@app/platform';

const ALG = 'ES256';
const DAY_MS = 24 * 60 * 60_000;

export interface TokenClaims {
  sub: string;
  roles: string[];
  username?: string;
  /** The session (refresh-token family) the token was issued for: lets `GET /auth/sessions` mark the caller's own. */
  sid?: string;
  /** Teams: the organisation the session acts for, and the member's role in it (claims `org`, `org_role`). */
  org?: { id: string; role: string };
}

/**
 * ES256 signing keys, made at first start and stored in the auth database. A new key is made when the
 * newest is older than AUTH_KEY_ROTATION_DAYS; it is published at once and signs one reload period later
 * (see key-schedule.ts); an older key stays in the JWKS until every token it signed has expired.
 */
@Injectable()
export class KeysService implements OnModuleInit {
  private keys: SigningKeyDocument[] = [];
  private loadedAt = 0;
  private signer: { kid: string; key: KeyObject } | undefined;

  constructor(
    private readonly stored: SigningKeysRepository,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly secrets: SecretBox,
    private readonly random: RandomSource,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.sealClearKeys();
    await this.refresh(true);
  }

  /**
   * Migration: keys a development run stored in clear are sealed once AUTH_KEY_ENCRYPTION_SECRET is set.
   * Replicas starting together may both rewrite a key; each writes a valid sealing of the same key.
   */
  private async sealClearKeys(): Promise<void> {
    const keys = await this.stored.newestFirst();
    for (const key of keys) {
      if (!this.secrets.needsSealing(key.privateKey)) continue;
      const sealed = this.secrets.seal(this.secrets.open(key.privateKey));
      await this.stored.replacePrivateKey(key._id, sealed);
    }
  }

  /** Reloads keys (other replicas may have rotated) and rotates when the newest is too old. */
  async refresh(force = false): Promise<void> {
    const now = this.clock.now().getTime();
    if (!force && now - this.loadedAt < KEY_RELOAD_MS) return;
    this.keys = await this.stored.newestFirst();
    const newest = this.keys[0];
    if (!newest || now - new Date(newest.createdAt).getTime() >= this.config.AUTH_KEY_ROTATION_DAYS * DAY_MS) {
      const created = await this.createKey();
      this.keys.unshift(created);
    }
    this.loadedAt = now;
  }

  /** The key to sign with now; it changes without a reload when a published key becomes old enough. */
  private currentSigner(): { kid: string; key: KeyObject } {
    const active = signingKeyAt(this.keys, this.clock.now().getTime())!;
    if (this.signer?.kid !== active._id) {
      const jwk = JSON.parse(this.secrets.open(active.privateKey)) as JWK;
      this.signer = { kid: active._id, key: createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }) };
    }
    return this.signer;
  }

  private async createKey(): Promise<SigningKeyDocument> {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
    const kid = this.random.id('key').slice(4, 28);
    const doc: SigningKeyDocument = {
      _id: kid,
      alg: ALG,
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' },
      privateKey: this.secrets.seal(JSON.stringify(await exportJWK(privateKey))),
      createdAt: this.clock.now(),
    };
    await this.stored.insert(doc);
    return doc;
  }

  /** Public keys still able to verify a live token. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.refresh();
    const maxTtlMs =
      Math.max(this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS, this.config.AUTH_API_KEY_TOKEN_TTL_SECONDS) * 1000;
    return { keys: publishedKeysAt(this.keys, this.clock.now().getTime(), maxTtlMs).map((k) => k.publicJwk) };
  }

  /**
   * A compact JWS (RFC 7515) signed here with one synchronous ES256 signature (~20 µs of CPU): jose's
   * `SignJWT` signs on libuv's thread pool, where every login's token waited behind password hashes
   * and paid two thread hand-offs. Verifiers still check tokens with jose (libs/auth).
   */
  async sign(claims: TokenClaims, ttlSeconds: number): Promise<string> {
    await this.refresh();
    const signer = this.currentSigner();
    const nowMs = this.clock.now().getTime();
    const payload: Record<string, unknown> = { roles: claims.roles };
    if (claims.username) payload.username = claims.username;
    if (claims.sid) payload.sid = claims.sid;
    if (claims.org) {
      payload[ORG_CLAIM] = claims.org.id;
      payload[ORG_ROLE_CLAIM] = claims.org.role;
    }
    payload.iss = this.config.JWT_ISSUER;
    payload.aud = this.config.JWT_AUDIENCE;
    payload.sub = claims.sub;
    // Milliseconds as a fraction (RFC 7519 NumericDate allows it): verifiers refuse tokens issued
    // before a password change (libs/auth TokenRevocations), and the token of the login right after
    // it, often in the same second, must not be among them.
    payload.iat = nowMs / 1000;
    payload.exp = Math.floor(nowMs / 1000) + ttlSeconds;
    payload.jti = this.random.token(12);
    const input = `${base64url({ alg: ALG, kid: signer.kid, typ: 'JWT' })}.${base64url(payload)}`;
    // ES256 signatures are r || s (IEEE P1363), not DER (RFC 7518 §3.4).
    const signature = sign('sha256', Buffer.from(input), { key: signer.key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
