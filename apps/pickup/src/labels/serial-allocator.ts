import { Inject, Injectable, Logger, OnApplicationBootstrap, ServiceUnavailableException } from '@nestjs/common';
import { IMPB_CHANNEL_APPLICATION_ID, SERVICE_TYPE_CODES } from '@app/contracts';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import { MAX_IMPB_SERIAL } from './impb';
import { LabelsRepository } from './labels.repository';
import { SerialPermutation } from './serial-permutation';
import { SerialReservationsRepository } from './serial-reservations.repository';
import { RedisConnection } from '@app/platform';

const SERIAL_KEY = 'pickup:impb-serial';
const RESERVATION = 'impb-serial';
/** Serials reserved per durable write: a lost counter skips at most this many. */
export const SERIAL_RESERVATION_BLOCK = 1000;

// Raises the counter to ARGV[1] unless it is already there or above; returns the value it had.
const RAISE_SCRIPT = `local v = tonumber(redis.call('get', KEYS[1]) or '0')
if v < tonumber(ARGV[1]) then redis.call('set', KEYS[1], ARGV[1]) end
return v`;

/** A counter value and the serial it stands for (SerialPermutation): labels store both. */
export interface AllocatedSerial {
  /** The counter's value: what the reservation and the recovery below reason about. */
  index: number;
  /** What the tracking number carries. */
  serial: number;
}

/**
 * Hands out IMpb serials from an atomic Redis counter (INCR is atomic across replicas), each counter
 * value put through a keyed permutation so the printed serials do not count up. Redis may lose the
 * counter, so every counter value is first covered by a durable reservation in the database (one
 * write per block), and the counter is raised above the reservation at boot, when it is seen going
 * backwards, and after a tracking-number collision. Everything here is about counter values
 * (`index`); the permutation is a bijection, so distinct values still give distinct serials.
 */
@Injectable()
export class SerialAllocator implements OnApplicationBootstrap {
  private readonly logger = new Logger(SerialAllocator.name);
  /** The stored reservation as last seen: serials up to here may be handed out without a write. */
  private reservedThrough = 0;
  /** A value the counter is known to have reached; INCR never goes back unless the key was lost. */
  private counterReached = 0;
  private recovering?: Promise<void>;

  constructor(
    private readonly redis: RedisConnection,
    private readonly reservations: SerialReservationsRepository,
    private readonly labels: LabelsRepository,
    @Inject(PICKUP_CONFIG) private readonly config: PickupConfig,
    private readonly permutation: SerialPermutation,
  ) {}

  /** Starts the recovery without holding up the boot: `next()` also notices a lost counter. */
  onApplicationBootstrap(): void {
    this.recover('start').catch((error: unknown) =>
      this.logger.warn(`IMpb serial counter check at start failed: ${String(error)}`),
    );
  }

  /** The next serial; 503 once the 7-digit serial space is used up. */
  async next(): Promise<AllocatedSerial> {
    let serial = await this.redis.client.incr(SERIAL_KEY);
    if (serial <= this.counterReached) {
      this.logger.warn(`the IMpb serial counter went back to ${serial} (it had reached ${this.counterReached})`);
      await this.recover('counter reset');
      serial = await this.redis.client.incr(SERIAL_KEY);
    }
    if (serial > MAX_IMPB_SERIAL) {
      this.logger.error(
        `IMpb serials exhausted (counter at ${serial}, max ${MAX_IMPB_SERIAL}): a new mailer id is needed`,
      );
      throw new ServiceUnavailableException('no tracking numbers are left to allocate; labels cannot be created now');
    }
    if (serial > this.reservedThrough) {
      this.reservedThrough = await this.reservations.reserveThrough(
        RESERVATION,
        Math.min(serial + SERIAL_RESERVATION_BLOCK, MAX_IMPB_SERIAL),
      );
    }
    this.counterReached = Math.max(this.counterReached, serial);
    return { index: serial, serial: this.permutation.apply(serial) };
  }

  /**
   * Raises the counter above every value that may be in use: the stored reservation, or (when
   * there is none yet, or after a collision) the highest counter value among the stored labels.
   */
  recover(reason: 'start' | 'counter reset' | 'collision'): Promise<void> {
    this.recovering ??= this.raiseCounter(reason).finally(() => (this.recovering = undefined));
    return this.recovering;
  }

  private async raiseCounter(reason: 'start' | 'counter reset' | 'collision'): Promise<void> {
    let floor = (await this.reservations.reservedThrough(RESERVATION)) ?? 0;
    if (reason === 'collision' || floor === 0) {
      const stored = await this.labels.highestSerialIndex(
        Object.values(SERVICE_TYPE_CODES).map(
          (stc) => `${IMPB_CHANNEL_APPLICATION_ID}${stc}${this.config.IMPB_MAILER_ID}`,
        ),
      );
      floor = await this.reservations.reserveThrough(RESERVATION, Math.max(floor, stored));
    }
    this.reservedThrough = floor;
    if (reason === 'start') {
      // The reservation runs up to a block ahead of use: a counter within that block is intact, and
      // raising it on every start would skip up to a block of serials per deploy or crash loop.
      // A missing key was lost (or never set): raised to the floor below.
      const stored = await this.redis.client.get(SERIAL_KEY);
      const current = Number(stored ?? 0);
      if (stored !== null && current >= floor - SERIAL_RESERVATION_BLOCK) {
        this.counterReached = Math.max(this.counterReached, current);
        return;
      }
    }
    const before = Number(await this.redis.client.eval(RAISE_SCRIPT, 1, SERIAL_KEY, floor));
    this.counterReached = Math.max(this.counterReached, before, floor);
    if (before < floor) this.logger.warn(`IMpb serial counter raised from ${before} to ${floor} (${reason})`);
  }
}
