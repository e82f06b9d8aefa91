import type { EventEnvelope } from '@app/contracts';
import { EventPublisher } from '@app/messaging';
import { Injectable, Logger } from '@nestjs/common';

/** How long a caller waits for Kafka's acknowledgement before storing the event in the record's outbox instead. */
export const DIRECT_PUBLISH_TIMEOUT_MS = 2_000;
/** After a failed publish, events go straight to the outbox for this long (a broker that is down stays down a while). */
export const DIRECT_PUBLISH_PAUSE_MS = 5_000;

interface Pending {
  envelope: EventEnvelope;
  resolve(published: boolean): void;
}

/**
 * Publishes NotificationSent events straight to Kafka, so the record carries no outbox: no relay
 * removal and no write claims after its write (three store writes per message fewer on the local
 * store). The workers publish an email's before its `sent` write, the dispatcher an inbox item's
 * right after its insert; what the callers hand over meanwhile goes out together, in one publish.
 * Never throws: `false` means the event was not acknowledged (Kafka failed, was slow, or failed a
 * moment ago), and the caller keeps it in the record's outbox for the relay, as before. The event's
 * id is derived from the message, so whatever publishes it again after a crash (a worker's retry,
 * which re-sends the email with the same Message-ID; a redelivered source event that finds its inbox
 * item stored) repeats that id, and consumers skip it.
 */
@Injectable()
export class SentEvents {
  private readonly logger = new Logger(SentEvents.name);
  private pending: Pending[] = [];
  private flushing?: Promise<void>;
  private pausedUntil = 0;

  constructor(private readonly publisher: EventPublisher) {}

  publish(envelope: EventEnvelope): Promise<boolean> {
    if (Date.now() < this.pausedUntil) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      this.pending.push({ envelope, resolve });
      this.flushing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the other workers of this tick hand over theirs first.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      const ok = Date.now() >= this.pausedUntil && (await this.send(batch.map((p) => p.envelope)));
      for (const p of batch) p.resolve(ok);
    }
    this.flushing = undefined;
  }

  private async send(envelopes: EventEnvelope[]): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const publishing = this.publisher.publish(envelopes).then(
      () => true,
      (error: unknown) => {
        this.logger.warn(
          `NotificationSent publish of ${envelopes.length} failed, kept in the outbox instead: ${error instanceof Error ? error.message : String(error)}`,
        );
        return false;
      },
    );
    // A late acknowledgement after the timeout is harmless: the relay publishes the same event ids again.
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), DIRECT_PUBLISH_TIMEOUT_MS);
    });
    const ok = await Promise.race([publishing, timeout]);
    clearTimeout(timer);
    if (!ok) this.pausedUntil = Date.now() + DIRECT_PUBLISH_PAUSE_MS;
    return ok;
  }
}
