import type { EventEnvelope, LabelCreatedData, ScanRecordedData } from '@app/contracts';
import { OutboxRelay, toOutboxEntries } from '@app/messaging';
import { chunks, type LockHold } from '@app/persistence';
import { Injectable, Logger, Optional } from '@nestjs/common';
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
export class ParcelIngestService {
  private readonly logger = new Logger(ParcelIngestService.name);

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
    // writers, in every process (an HTTP write in one process, this relay in another). With the
    // pending set, this service's next write of a parcel removes them instead (`dropPublished`): on
    // FerretDB a removal costs as much as the write.
    this.relay.watch(this.parcels.model, {
      lock: this.parcels.claims,
      pending: this.pending,
      prunedByNextWrite: this.pending !== undefined,
    });
  }

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
      await this.applyHeld(new Map(part.map((number) => [number, byParcel.get(number) ?? []])));
    }
  }

  private async applyHeld(byParcel: Map<string, ParcelInput[]>): Promise<void> {
    // Held across processes on FerretDB: a watcher added through another process's HTTP API would
    // otherwise be overwritten by this batch's replace of the parcel. Held until the relay has
    // published and taken the parcels out of the pending set, which only a holder may do (one claim
    // per parcel and batch: an insert before, a delete after).
    // A batch slower than the claims' expiry keeps them (they are renewed while it runs); one whose
    // process stalled past it writes nothing more (assertHeld) and is redelivered.
    await this.parcels.claims.runExclusive([...byParcel.keys()], async (hold) => {
      const { written, unchanged } = await this.applyWithRetry(byParcel, hold);
      // After the store write and before the events go out, so whoever an event sends to the tracking
      // page sees the change. Unchanged parcels too: a batch redelivered after a crash between the
      // store write and this one repairs the view (the version compare makes the rewrite harmless).
      await this.views.publish([...written, ...unchanged]);
      // The outbox as written: published in one batch without reading the parcels again; the entries
      // stay until the parcel's next write drops them.
      const pending = written.map((w) => w.parcel).filter((p) => p.outbox.length > 0);
      if (pending.length > 0) {
        hold.assertHeld();
        await this.relay.flushWritten(this.parcels.model, pending, { locksHeld: true });
      }
    });
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
      const read = attempt === 1 ? await this.parcels.findManyStored(pending) : await this.parcels.findMany(pending);
      const stored = await this.dropPublished(read);
      const computed = await this.compute(pending, stored, byParcel);
      // Before the write, under the claims: a crash after it leaves the parcels in the relay's pending set.
      const marked = await this.relay.markPending(
        this.parcels.model,
        computed.filter((w) => w.parcel.outbox.length > 0).map((w) => w.parcel._id),
      );
      // A write Redis did not mark says so in the parcel: its next write keeps the entries, and the
      // relay's full pass finds it. A marked one (or one without entries) clears the flag.
      const writes = computed.map((w) => ({
        ...w,
        parcel: { ...w.parcel, outboxUnmarked: !marked && w.parcel.outbox.length > 0 ? true : undefined },
      }));
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

  /**
   * The parcels as read, without the outbox entries the relay has published: those of parcels that
   * are neither in the pending set nor flagged (`outboxUnmarked`), while the set is complete
   * (`OutboxRelay.unpublishedAmong`). Kept entries are published again with the write's own (at
   * least once: the consumers of tracking.events dedupe by event id). Under the parcels' claims: no
   * other process publishes and unmarks them meanwhile.
   */
  private async dropPublished(read: Map<string, ParcelState>): Promise<Map<string, ParcelState>> {
    const asked = [...read.values()].filter((p) => p.outbox.length > 0 && p.outboxUnmarked !== true).map((p) => p._id);
    if (asked.length === 0) return read;
    const unpublished = await this.relay.unpublishedAmong(this.parcels.model, asked);
    const stored = new Map(read);
    for (const id of asked) {
      const parcel = read.get(id);
      if (parcel && !unpublished.has(id)) stored.set(id, { ...parcel, outbox: [] });
    }
    return stored;
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
