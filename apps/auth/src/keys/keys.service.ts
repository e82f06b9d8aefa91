import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type KeyLike } from 'jose';
import type { Model } from 'mongoose';
import { Clock } from '../common/clock';
import { RandomSource } from '../common/random';
import { SecretBox } from '../common/secret-box';
import { AUTH_CONFIG, type AuthConfig } from '../config';
import { KEY_RELOAD_MS, publishedKeysAt, signingKeyAt } from './key-schedule';
import { SIGNING_KEY_MODEL, type SigningKeyDocument } from './signing-key.schema';

const ALG = 'ES256';
const DAY_MS = 24 * 60 * 60_000;

export interface TokenClaims {
  sub: string;
  roles: string[];
  username?: string;
  /** The session (refresh-token family) the token was issued for: lets `GET /auth/sessions` mark the caller's own. */
  sid?: string;
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
  private signer: { kid: string; key: KeyLike | Uint8Array } | undefined;

  constructor(
    @InjectModel(SIGNING_KEY_MODEL) private readonly model: Model<SigningKeyDocument>,
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
    const keys = await this.model.find().lean<SigningKeyDocument[]>().exec();
    for (const key of keys) {
      if (!this.secrets.needsSealing(key.privateKey)) continue;
      const sealed = this.secrets.seal(this.secrets.open(key.privateKey));
      await this.model.updateOne({ _id: key._id }, { $set: { privateKey: sealed } }).exec();
    }
  }

  /** Reloads keys (other replicas may have rotated) and rotates when the newest is too old. */
  async refresh(force = false): Promise<void> {
    const now = this.clock.now().getTime();
    if (!force && now - this.loadedAt < KEY_RELOAD_MS) return;
    this.keys = await this.model.find().sort({ createdAt: -1 }).lean<SigningKeyDocument[]>().exec();
    const newest = this.keys[0];
    if (!newest || now - new Date(newest.createdAt).getTime() >= this.config.AUTH_KEY_ROTATION_DAYS * DAY_MS) {
      const created = await this.createKey();
      this.keys.unshift(created);
    }
    this.loadedAt = now;
  }

  /** The key to sign with now; it changes without a reload when a published key becomes old enough. */
  private async currentSigner(): Promise<{ kid: string; key: KeyLike | Uint8Array }> {
    const active = signingKeyAt(this.keys, this.clock.now().getTime())!;
    if (this.signer?.kid !== active._id) {
      const jwk = JSON.parse(this.secrets.open(active.privateKey)) as JWK;
      this.signer = { kid: active._id, key: await importJWK(jwk, ALG) };
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
    await this.model.create(doc);
    return doc;
  }

  /** Public keys still able to verify a live token. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.refresh();
    const maxTtlMs =
      Math.max(this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS, this.config.AUTH_API_KEY_TOKEN_TTL_SECONDS) * 1000;
    return { keys: publishedKeysAt(this.keys, this.clock.now().getTime(), maxTtlMs).map((k) => k.publicJwk) };
  }

  async sign(claims: TokenClaims, ttlSeconds: number): Promise<string> {
    await this.refresh();
    const signer = await this.currentSigner();
    const nowMs = this.clock.now().getTime();
    const now = Math.floor(nowMs / 1000);
    const payload: Record<string, unknown> = { roles: claims.roles };
    if (claims.username) payload.username = claims.username;
    if (claims.sid) payload.sid = claims.sid;
    return (
      new SignJWT(payload)
        .setProtectedHeader({ alg: ALG, kid: signer.kid, typ: 'JWT' })
        .setIssuer(this.config.JWT_ISSUER)
        .setAudience(this.config.JWT_AUDIENCE)
        .setSubject(claims.sub)
        // Milliseconds as a fraction (RFC 7519 NumericDate allows it): verifiers refuse tokens issued
        // before a password change (libs/auth TokenRevocations), and the token of the login right after
        // it, often in the same second, must not be among them.
        .setIssuedAt(nowMs / 1000)
        .setExpirationTime(now + ttlSeconds)
        .setJti(this.random.token(12))
        .sign(signer.key)
    );
  }
}
