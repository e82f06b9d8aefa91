import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EventEnvelope, validateEvent } from '@app/contracts';
import type { Model } from 'mongoose';
import { EventPublisher } from '../event-publisher.service';
import { MESSAGING_OPTIONS, type ResolvedMessagingOptions } from '../messaging.options';
import { OUTBOX_FIELD } from './outbox';

interface OutboxDoc {
  _id: unknown;
  outbox?: unknown[];
}

// The raw driver collection: the relay works on any aggregate without mongoose casting.
type RelayCollection = Model<unknown>['collection'];

const MAX_BACKOFF_MS = 30_000;

/**
 * Publishes the events kept in aggregate documents (`outbox`), then removes exactly the published
 * ones. `flush` runs right after a write; the periodic sweep recovers entries left behind by a
 * crash between the write and the publish. Several instances may sweep: a duplicate publish is
 * harmless because consumers are idempotent.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly collections = new Map<string, RelayCollection>();
  private readonly reportedInvalid = new Set<string>();
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private failures = 0;
  private running = false;

  constructor(
    private readonly publisher: EventPublisher,
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
  ) {}

  /** Registers a collection whose documents carry an outbox, so the sweep looks at it. */
  watch<T>(model: Model<T>): void {
    this.collections.set(model.collection.collectionName, model.collection);
  }

  /**
   * Publishes the pending events of these documents now. Never throws: what fails stays in the
   * document for the sweep. Skipped when OUTBOX_CRASH_AFTER_WRITE is on (fault injection).
   */
  async flush<T>(model: Model<T>, ids: readonly unknown[]): Promise<void> {
    if (this.options.outbox.crashAfterWrite) {
      this.logger.warn(`OUTBOX_CRASH_AFTER_WRITE: not publishing ${ids.length} document(s); the sweep will`);
      return;
    }
    const collection = model.collection;
    for (const id of ids) {
      try {
        const doc = (await collection.findOne({ _id: id } as never, {
          projection: { [OUTBOX_FIELD]: 1 },
        })) as OutboxDoc | null;
        if (doc) await this.publishEntries(collection, doc, doc.outbox ?? []);
      } catch (error) {
        this.logger.warn(
          `flush of ${collection.collectionName}/${String(id)} failed, left to the sweep: ${describe(error)}`,
        );
      }
    }
  }

  /** One pass over every watched collection; returns how many events it published. */
  async sweep(): Promise<number> {
    const cutoff = Date.now() - this.options.outbox.sweepMinAgeMs;
    let published = 0;
    for (const collection of this.collections.values()) {
      const docs = (await collection
        .find(
          { [`${OUTBOX_FIELD}.0`]: { $exists: true } },
          {
            projection: { [OUTBOX_FIELD]: 1 },
            limit: this.options.outbox.sweepBatchSize,
          },
        )
        .toArray()) as OutboxDoc[];
      for (const doc of docs) {
        // Young entries are most likely being flushed by the write that stored them.
        const due = (doc.outbox ?? []).filter((entry) => occurredAtMs(entry) <= cutoff);
        published += await this.publishEntries(collection, doc, due);
      }
    }
    return published;
  }

  /** Starts the periodic sweep (called on module init). */
  start(): void {
    if (this.running || this.options.outbox.sweepIntervalMs === 0) return;
    this.running = true;
    this.schedule(this.options.outbox.sweepIntervalMs);
  }

  /** Stops the sweep and waits for a running pass to end (called on shutdown). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  private schedule(delayMs: number): void {
    // Jitter keeps instances from sweeping in lockstep.
    const jittered = Math.round(delayMs * (0.8 + Math.random() * 0.4));
    this.timer = setTimeout(() => {
      this.sweeping = this.sweepOnce().finally(() => (this.sweeping = undefined));
    }, jittered);
    this.timer.unref();
  }

  private async sweepOnce(): Promise<void> {
    try {
      const published = await this.sweep();
      if (published > 0) this.logger.log(`sweep published ${published} pending event(s)`);
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.logger.warn(`outbox sweep failed (${this.failures} in a row): ${describe(error)}`);
    }
    if (!this.running) return;
    const interval = this.options.outbox.sweepIntervalMs;
    this.schedule(this.failures === 0 ? interval : Math.min(interval * 2 ** this.failures, MAX_BACKOFF_MS));
  }

  private async publishEntries(collection: RelayCollection, doc: OutboxDoc, entries: unknown[]): Promise<number> {
    const valid: unknown[] = [];
    for (const entry of entries) {
      const result = validateEvent(entry);
      if (result.ok) valid.push(entry);
      else this.reportInvalid(collection, doc, entry, result.reason);
    }
    if (valid.length === 0) return 0;
    await this.publisher.publish(valid as EventEnvelope[]);
    // $pullAll of the entries exactly as read: FerretDB v1.24.2 silently ignores a conditional $pull.
    await collection.updateOne({ _id: doc._id } as never, { $pullAll: { [OUTBOX_FIELD]: valid } } as never);
    return valid.length;
  }

  private reportInvalid(collection: RelayCollection, doc: OutboxDoc, entry: unknown, reason: string): void {
    const id = (entry as { id?: unknown } | null)?.id;
    const key = `${collection.collectionName}/${String(doc._id)}/${String(id)}`;
    if (this.reportedInvalid.has(key)) return;
    this.reportedInvalid.add(key);
    this.logger.error(`outbox entry ${key} is not a valid event and stays unpublished: ${reason}`);
  }
}

function occurredAtMs(entry: unknown): number {
  const at = (entry as { occurredAt?: unknown } | null)?.occurredAt;
  const ms = typeof at === 'string' ? Date.parse(at) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
