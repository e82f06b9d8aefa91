import { BadRequestException, ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { IdempotencyRecordsRepository } from './payment-records.repository';
import { Clock } from '@app/platform';

/** Stripe's rule: a key is remembered for 24 hours. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;
/** A call still running after this is taken for crashed; the same key may run it again (safely: see README). */
const IN_PROGRESS_LEASE_MS = 60_000;

export type IdempotencyStart = { kind: 'run'; id: string } | { kind: 'replay'; statusCode: number; body: unknown };

/** Deeper bodies are refused before hashing (the interceptor runs before validation): no money body nests this far. */
export const MAX_BODY_DEPTH = 32;

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same body. */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_BODY_DEPTH) throw new BadRequestException(`the body nests deeper than ${MAX_BODY_DEPTH} levels`);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body ?? {})}`)
    .digest('hex');
}

/** A deterministic id (UUID-shaped) from the record id and a purpose: a re-run derives the same ids. */
export function derivedId(recordId: string, purpose: string): string {
  const hex = createHash('sha256').update(`${purpose}\n${recordId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The Idempotency-Key rules: a key claims its call once; a repeat replays the answer or waits for it. */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly records: IdempotencyRecordsRepository,
    private readonly clock: Clock,
  ) {}

  async begin(id: string, hash: string): Promise<IdempotencyStart> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.clock.now();
      if (await this.records.claim(id, hash, now, new Date(now.getTime() + IN_PROGRESS_LEASE_MS))) {
        return { kind: 'run', id };
      }
      const existing = await this.records.find(id);
      if (!existing) continue;
      if (now.getTime() - existing.createdAt.getTime() >= IDEMPOTENCY_WINDOW_MS) {
        // Older than 24 h: forgotten, the key is new again.
        await this.records.forget(id, existing.createdAt);
        continue;
      }
      if (existing.requestHash !== hash) {
        throw new UnprocessableEntityException(
          'this Idempotency-Key was used with another request body; use a new key for a new request',
        );
      }
      if (existing.state === 'done') {
        const body: unknown = existing.bodyJson === undefined ? undefined : JSON.parse(existing.bodyJson);
        return { kind: 'replay', statusCode: existing.statusCode ?? 200, body };
      }
      if (existing.leaseUntil.getTime() > now.getTime()) {
        throw new ConflictException('a request with this Idempotency-Key is still in progress; retry shortly');
      }
      // Left by a crash: run again. Every id the call makes is derived from the key, and the provider
      // gets the same idempotency key, so the re-run finishes the first one instead of repeating it.
      // Of two retries that saw the lease run out, one takes the call over; the other looks again.
      const leaseUntil = new Date(now.getTime() + IN_PROGRESS_LEASE_MS);
      if (await this.records.takeOver(id, existing.leaseUntil, leaseUntil)) return { kind: 'run', id };
    }
    throw new ConflictException('could not claim the Idempotency-Key; retry');
  }

  async complete(id: string, statusCode: number, body: unknown): Promise<void> {
    const bodyJson = body === undefined ? undefined : JSON.stringify(body);
    await this.records.complete(id, statusCode, bodyJson);
  }

  /** A failed call is forgotten so the same key can try again (nothing was charged, or the retry reuses the charge). */
  async release(id: string): Promise<void> {
    await this.records.release(id);
  }
}
