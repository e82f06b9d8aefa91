import type { TrackingEventCode } from '@app/contracts';
import { IdGenerator } from '@app/platform';
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection, type Model } from 'mongoose';
import type { PendingListEntry } from '@app/persistence';
import { HELD_PARCELS_COLLECTION, HeldParcelsRepository } from '../src/parcels/held-parcels.repository';
import { emptyParcel, type ParcelState } from '../src/parcels/parcel-state';
import { ParcelRepository } from '../src/parcels/parcel.repository';
import { type ParcelDocument, PARCEL_MODEL, ParcelSchema } from '../src/parcels/parcel.schema';

jest.setTimeout(60_000);

/**
 * The list of held parcels (`held_parcels`) that the hold reminder reads instead of filtering every
 * parcel by status (a read of the whole collection on FerretDB), on the real local store: filled
 * once from a scan, kept by the parcels' writes, and a superset whose stale entries are dropped.
 */
describe('held parcels list (real FerretDB)', () => {
  let connection: Connection;
  let parcelModel: Model<ParcelDocument>;
  let parcels: ParcelRepository;
  let held: HeldParcelsRepository;

  const parcel = (trackingNumber: string, statusCode: TrackingEventCode): ParcelState => ({
    ...emptyParcel(trackingNumber),
    known: true,
    statusCode,
  });
  const listed = async () =>
    (await connection.db!.collection<PendingListEntry>(HELD_PARCELS_COLLECTION).find({}).toArray())
      .map((e) => e._id)
      .sort();
  const heldIds = async () => (await parcels.findHeld()).map((p) => p._id).sort();

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: `held_parcels_${randomUUID().slice(0, 8)}` })
      .asPromise();
    parcelModel = connection.model<ParcelDocument>(PARCEL_MODEL, ParcelSchema);
    held = new HeldParcelsRepository(parcelModel);
    parcels = new ParcelRepository(parcelModel, new IdGenerator(), undefined, undefined, undefined, held);
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('is filled once from a scan with the parcels held before it existed', async () => {
    // Stored as an earlier version wrote them: no list, no flag.
    await parcelModel.collection.insertMany([
      parcel('HELD-BEFORE', 'available_for_pickup'),
      parcel('MOVING-BEFORE', 'in_transit'),
    ] as never[]);
    const scan = jest.spyOn(parcels, 'scanHeld');
    expect(await heldIds()).toEqual(['HELD-BEFORE']);
    expect(await heldIds()).toEqual(['HELD-BEFORE']);
    expect(scan).toHaveBeenCalledTimes(1);
    scan.mockRestore();
  });

  it('lists a parcel with the write that makes it held, and unlists it with the write that ends the hold', async () => {
    expect(
      await parcels.writeMany([{ parcel: parcel('ARRIVES', 'available_for_pickup'), readVersion: undefined }]),
    ).toEqual([]);
    expect(await listed()).toContain('ARRIVES');
    const stored = (await parcels.findById('ARRIVES'))!;
    expect(stored.heldListed).toBe(true);
    expect(await heldIds()).toEqual(['ARRIVES', 'HELD-BEFORE']);

    // Scanned again while held: still listed once.
    await parcels.writeMany([
      { parcel: { ...stored, statusCode: 'held_at_post_office' }, readVersion: stored.version },
    ]);
    const still = (await parcels.findById('ARRIVES'))!;
    expect(still.heldListed).toBe(true);

    await parcels.writeMany([{ parcel: { ...still, statusCode: 'out_for_delivery' }, readVersion: still.version }]);
    expect(await listed()).not.toContain('ARRIVES');
    expect((await parcels.findById('ARRIVES'))!.heldListed).toBeUndefined();
    expect(await heldIds()).toEqual(['HELD-BEFORE']);
  });

  it('drops an entry whose parcel is not held (a writer stopped between the list and the parcel)', async () => {
    await parcelModel.collection.insertOne(parcel('NEVER-HELD', 'in_transit') as never);
    await held.add(['NEVER-HELD', 'NO-SUCH-PARCEL']);
    expect(await heldIds()).toEqual(['HELD-BEFORE']);
    expect(await listed()).toEqual(['#complete', 'HELD-BEFORE']);
  });
});
