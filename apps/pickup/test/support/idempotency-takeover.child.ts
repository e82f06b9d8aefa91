// One pickup process of a two-process race on the real local store (idempotency-takeover-claims
// e2e), built from the Idempotency-Key service and repository with its own connection. Records
// RACE_PREFIX-0 … -(RACE_RECORDS - 1) are in progress with a lease that ran out (their callers
// crashed); both processes retry them at once, in groups of GROUP, one group per slot of SLOT_MS
// counted from GO, as two pickup replicas getting a client's retries of one key. Each answers the
// records whose call it was told to run.
// RACE_LOCK `local` leaves the records' claims out.
import { ConditionalUpdates } from '@app/persistence';
import { Clock } from '@app/platform';
import { childEnv, raceChild, raceConnection, sleepUntil } from '@app/testing/race-child';
import { ConflictException } from '@nestjs/common';
import { IdempotencyRecord, IdempotencyRecordSchema } from '../../src/payments/idempotency-record.schema';
import { IdempotencyService } from '../../src/payments/idempotency.service';
import { IdempotencyRecordsRepository } from '../../src/payments/payment-records.repository';

const SLOT_MS = 80;
const GROUP = 5;
const prefix = childEnv('RACE_PREFIX');
const records = Number(childEnv('RACE_RECORDS'));
const hash = childEnv('RACE_HASH');

raceChild(
  async () => {
    const connection = await raceConnection();
    const model = connection.model<IdempotencyRecord>(IdempotencyRecord.name, IdempotencyRecordSchema);
    const repository = new IdempotencyRecordsRepository(model);
    if (childEnv('RACE_LOCK') === 'local') Object.assign(repository, { updates: new ConditionalUpdates(model) });
    return new IdempotencyService(repository, new Clock());
  },
  async (service) => {
    const start = Date.now();
    const run: string[] = [];
    for (let slot = 0; slot * GROUP < records; slot++) {
      const ids = Array.from(
        { length: Math.min(GROUP, records - slot * GROUP) },
        (_, i) => `${prefix}-${slot * GROUP + i}`,
      );
      await sleepUntil(start + slot * SLOT_MS);
      const outcomes = await Promise.all(
        ids.map((id) =>
          service.begin(id, hash).then(
            (start) => (start.kind === 'run' ? id : undefined),
            (error: unknown) => {
              if (error instanceof ConflictException) return undefined;
              throw error;
            },
          ),
        ),
      );
      run.push(...outcomes.filter((id): id is string => id !== undefined));
    }
    return { run };
  },
);
