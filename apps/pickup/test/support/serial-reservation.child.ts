// One pickup process of a two-process race on the real local store (serial-reservation-claims
// e2e), built from the serial reservations repository with its own connection. Counters
// RACE_PREFIX-0 … -(RACE_COUNTERS - 1) are raced one at a time, in slots of SLOT_MS counted from GO
// (both processes get GO at once), as two pickup replicas reserving serial blocks of one counter:
// RACE_ROLE `high` reserves one block far ahead mid-slot, `low` raises the mark by small steps for
// the whole slot, always below that block. RACE_LOCK `local` leaves the marks' claims out.
import { KeyedLock } from '@app/persistence';
import { childEnv, raceChild, raceConnection, sleepUntil } from '@app/testing/race-child';
import { SerialReservation, SerialReservationSchema } from '../../src/labels/serial-reservation.schema';
import { SerialReservationsRepository } from '../../src/labels/serial-reservations.repository';

const SLOT_MS = 60;
/** above every value the `low` process reaches in a slot */
const HIGH_MARK = 1_000_000;
const prefix = childEnv('RACE_PREFIX');
const counters = Number(childEnv('RACE_COUNTERS'));

raceChild(
  async () => {
    const connection = await raceConnection();
    const repository = new SerialReservationsRepository(
      connection.model<SerialReservation>(SerialReservation.name, SerialReservationSchema),
    );
    if (childEnv('RACE_LOCK') === 'local') Object.assign(repository, { claims: new KeyedLock() });
    return repository;
  },
  async (repository) => {
    const start = Date.now();
    const reserved: string[] = [];
    for (let i = 0; i < counters; i++) {
      const counter = `${prefix}-${i}`;
      if (childEnv('RACE_ROLE') === 'high') {
        await sleepUntil(start + i * SLOT_MS + SLOT_MS / 2);
        await repository.reserveThrough(counter, HIGH_MARK + i);
        reserved.push(`${counter}:${HIGH_MARK + i}`);
      } else {
        await sleepUntil(start + i * SLOT_MS);
        for (let n = 1; Date.now() < start + (i + 1) * SLOT_MS; n++) await repository.reserveThrough(counter, n);
      }
    }
    return { kept: reserved };
  },
);
