import type { EventEnvelope, LabelCreatedData, ScanRecordedData } from '@app/contracts';
import { OutboxRelay, toOutboxEntries } from '@app/messaging';
import { chunks, type LockHold } from '@app/persistence';
import { Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import { AddressesService } from '../addresses/addresses.service';
import { TrackingReadModel, type ParcelVersion } from '../lookup/tracking-read-model';
import { applyLabelCreated, applyScan, emptyParcel, type ApplyResult, type ParcelState } from '../parcels/parcel-state';
import { ParcelOutboxPending } from '../parcels/parcel-outbox-pending';
import { ParcelRepository, writtenVersion, type ParcelWrite } from '../parcels/parcel.repository';
import { Clock, IdGenerator } from '@app/platform';

const MAX_WRITE_ATTEMPTS = 20;

/**
 * Parcels written under one hold of their claims. A consumer batch can carry thousands (fetches of
 * up to 4 MiB a partition): held all at once, their claims (an insert per 25 to take them, one
 * update of all of them to renew them) could not be kept within their expiry on FerretDB, and the
 * whole batch was refused as stalled (ClaimLostError) and retried one event at a time. Parts of this
 * size keep taking and renewing short and still amortise each round trip over hundreds of parcels.
 */
export const PARCELS_PER_HOLD = 500;

/**
 * Holds in progress at once (counting those whose events are out and whose published entries are
 * still being removed). Ingest resolves a batch, and the consumer commits and fetches again, once
 * its events are out: the removal (a `$pullAll` per parcel, the costliest write of the path after
 * the parcel's own) and the release of the claims no longer hold up the next fetch. This bounds
 * how far they run behind.
 */
export const PRUNES_IN_FLIGHT = 8;

/** One input to a parcel: a scan or a label, with the envelope it came in. */
export type ParcelInput =
  | { kind: 'scan'; envelope: EventEnvelope<ScanRecordedData> }
  | { kind: 'label'; envelope: EventEnvelope<LabelCreatedData> };

/**
 * Applies scans and labels to parcels in bulk: one read of every parcel of the batch, the pure
 * status logic, one bulkWrite guarded by versions (a lost race is re-read and retried), then the
 * public tracking views are written to Redis, then the outbox is flushed. Resolves only once the
 * effects are stored, so the caller may commit offsets.
 */
@Injectable()
export class ParcelIngestService implements OnModuleDestroy {
  private readonly logger = new Logger(ParcelIngestService.name);
  /** Holds still removing what they published (each resolves, never rejects). */
  private readonly pruning = new Set<Promise<void>>();

  constructor(
    private readonly parcels: ParcelRepository,
    private readonly addresses: AddressesService,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly views: TrackingReadModel,
    /** Without it (some tests), the sweep reads every parcel. */
    @Optional() private readonly pending?: ParcelOutboxPending,
  ) {}

  onModuleInit(): void {
    // The relay's removal of published entries is a write too: it queues behind the parcel's other
    // writers, in every process (an HTTP write in one process, this relay in another).
    this.relay.watch(this.parcels.model, { lock: this.parcels.claims, pending: this.pending });
  }

  /** Lets the holds still removing what they published finish, so their claims are released, not left to expire. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.pruning]);
  }

  /**
   * Resolves once every parcel is written, its view published and its events sent: the caller may
   * commit. The removal of the sent entries from the parcels (and the release of their claims)
   * may still run; a later writer of those parcels waits for it.
   */
  async apply(inputs: readonly ParcelInput[]): Promise<void> {
    const byParcel = new Map<string, ParcelInput[]>();
    for (const input of inputs) {
      const key = input.envelope.data.trackingNumber;
      const list = byParcel.get(key);
      if (list) list.push(input);
      else byParcel.set(key, [input]);
    }
    // A parcel's inputs stay together, in their order; parts are applied one after the other.
    for (const part of chunks([...byParcel.keys()], PARCELS_PER_HOLD)) {
      while (this.pruning.size >= PRUNES_IN_FLIGHT) await Promise.race(this.pruning);
      await this.applyHeld(new Map(part.map((number) => [number, byParcel.get(number) ?? []])));
    }
  }

  private async applyHeld(byParcel: Map<string, ParcelInput[]>): Promise<void> {
    let isSent = false;
    let markSent!: () => void;
    const sent = new Promise<void>((resolve) => (markSent = resolve));
    // Held across processes on FerretDB: a watcher added through another process's HTTP API would
    // otherwise be overwritten by this batch's replace of the parcel. Held until the relay has
    // removed what it published, so the removal needs no claims of its own (one claim per parcel
    // and batch: an insert before, a delete after).
    // A batch slower than the claims' expiry keeps them (they are renewed while it runs); one whose
    // process stalled past it writes nothing more (assertHeld) and is redelivered.
    const held = this.parcels.claims.runExclusive([...byParcel.keys()], async (hold) => {
      const { written, unchanged } = await this.applyWithRetry(byParcel, hold);
      // After the store write and before the events go out, so whoever an event sends to the tracking
      // page sees the change. Unchanged parcels too: a batch redelivered after a crash between the
      // store write and this one repairs the view (the version compare makes the rewrite harmless).
      await this.views.publish([...written, ...unchanged]);
      // The outbox as written: published in one batch and removed without reading the parcels again.
      const pending = written.map((w) => w.parcel).filter((p) => p.outbox.length > 0);
      if (pending.length === 0) return;
      hold.assertHeld();
      const { prune } = await this.relay.publishWritten(this.parcels.model, pending);
      isSent = true;
      markSent();
      // Not when the claims may be gone: the entries stay, and the sweep publishes them again.
      hold.assertHeld();
      await prune();
    });
    const settled = held.then(
      () => undefined,
      (error: unknown) => {
        if (isSent) this.logger.warn(`published entries left for the sweep: ${describe(error)}`);
      },
    );
    this.pruning.add(settled);
    void settled.finally(() => this.pruning.delete(settled));
    // A failure before the events were sent fails the batch (it is redelivered); after, it is the sweep's.
    await Promise.race([sent, held]);
  }

  private async applyWithRetry(
    byParcel: Map<string, ParcelInput[]>,
    hold: LockHold,
  ): Promise<{ written: ParcelVersion[]; unchanged: ParcelVersion[] }> {
    const written: ParcelVersion[] = [];
    const unchanged: ParcelVersion[] = [];
    let pending = [...byParcel.keys()];
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_WRITE_ATTEMPTS) {
        throw new Error(`parcels still contended after ${MAX_WRITE_ATTEMPTS} attempts: ${pending.join(', ')}`);
      }
      // The first read skips numbers never stored (a new parcel's insert that loses is retried with a read).
      const stored = attempt === 1 ? await this.parcels.findManyStored(pending) : await this.parcels.findMany(pending);
      const writes = await this.compute(pending, stored, byParcel);
      // Before the write, under the claims: a crash after it leaves the parcels in the relay's pending set.
      await this.relay.markPending(
        this.parcels.model,
        writes.filter((w) => w.parcel.outbox.length > 0).map((w) => w.parcel._id),
      );
      hold.assertHeld();
      const conflicts = await this.parcels.writeMany(writes);
      const lost = new Set(conflicts);
      for (const write of writes) {
        if (!lost.has(write.parcel._id)) written.push({ parcel: write.parcel, version: writtenVersion(write) });
      }
      const changed = new Set(writes.map((w) => w.parcel._id));
      for (const id of pending) {
        const parcel = stored.get(id);
        if (parcel && !changed.has(id)) unchanged.push({ parcel, version: parcel.version });
      }
      if (conflicts.length > 0) {
        this.logger.debug(`retrying ${conflicts.length} contended parcel(s)`);
        // Jitter keeps two writers that collided from colliding again in lockstep.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
      pending = conflicts;
    }
    return { written, unchanged };
  }

  private async compute(
    ids: readonly string[],
    stored: Map<string, ParcelState>,
    byParcel: Map<string, ParcelInput[]>,
  ): Promise<ParcelWrite[]> {
    // Destinations may come from a label in this very batch.
    const keys = new Set<string>();
    for (const id of ids) {
      const key = stored.get(id)?.destinationKey;
      if (key) keys.add(key);
    }
    for (const id of ids) {
      for (const input of byParcel.get(id) ?? []) {
        if (input.kind === 'label') {
          const base = applyLabelCreated(emptyParcel(id), input.envelope.id, input.envelope.data).parcel;
          if (base.destinationKey) keys.add(base.destinationKey);
        }
      }
    }
    const addressees = await this.addresses.addresseesByKey([...keys]);
    const now = this.clock.now();
    const writes: ParcelWrite[] = [];
    for (const id of ids) {
      const existing = stored.get(id);
      let parcel = existing ?? emptyParcel(id);
      let changed = false;
      const before = parcel.outbox.length;
      let cause: EventEnvelope | undefined;
      for (const input of byParcel.get(id) ?? []) {
        cause = input.envelope;
        let result: ApplyResult;
        if (input.kind === 'label') {
          result = applyLabelCreated(parcel, input.envelope.id, input.envelope.data);
        } else {
          const ctx = {
            now,
            newId: () => this.ids.uuid(),
            correlationId: input.envelope.correlationId,
            addressees: parcel.destinationKey ? (addressees.get(parcel.destinationKey) ?? []) : [],
          };
          result = applyScan(parcel, input.envelope.data, ctx);
        }
        parcel = result.parcel;
        changed ||= result.changed;
      }
      if (!changed) continue;
      // Validated and made storable before they share the parcel's write.
      // With the trace of the scan that caused them (a parcel's inputs in one batch share one write).
      const added = toOutboxEntries(parcel.outbox.slice(before), { causedBy: cause });
      parcel = { ...parcel, outbox: [...parcel.outbox.slice(0, before), ...added] };
      writes.push({ parcel, readVersion: existing?.version });
    }
    return writes;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
