import type { LabelCreatedData, ScanCode, ScanRecordedData } from '@app/contracts';
import {
  addressKey,
  applyLabelCreated,
  applyScan,
  emptyParcel,
  expectedDeliveryFrom,
  type ApplyContext,
} from './parcel-state';

const TN = '9212391234567812345670';
const facility = { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' };
let ids = 0;
const ctx = (addressees: string[] = []): ApplyContext => ({
  now: new Date('2025-05-10T00:00:00Z'),
  newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
  addressees,
});
const scan = (eventId: string, code: ScanCode, occurredAt: string): ScanRecordedData => ({
  eventId,
  trackingNumber: TN,
  code,
  occurredAt,
  facility,
});
const label: LabelCreatedData = {
  labelId: 'l1',
  trackingNumber: TN,
  userId: 'owner',
  service: 'priority',
  priceCents: 1065,
  zone: 5,
  deliveryDays: 3,
  from: { name: 'A', line1: '1 Main St', city: 'CHICAGO', state: 'IL', zip: '60601' },
  to: { name: 'B', line1: '2 Elm St.', city: 'DENVER', state: 'CO', zip: '80202-1234' },
  createdAt: '2025-05-01T15:00:00.000Z',
};

describe('parcel status derivation', () => {
  it('makes a labelled parcel pre_shipment, watched by the label owner, with an expected delivery', () => {
    const { parcel, published } = applyLabelCreated(emptyParcel(TN), 'e-label', label);
    expect(parcel).toMatchObject({
      known: true,
      status: 'pre_shipment',
      watchers: ['owner'],
      destinationKey: '80202|2 ELM ST',
      expectedDelivery: '2025-05-05',
    });
    expect(published).toEqual([]);
  });

  it('moves the status to the category of the latest scan and publishes ParcelStatusChanged', () => {
    const labelled = applyLabelCreated(emptyParcel(TN), 'e-label', label).parcel;
    const { parcel, published } = applyScan(labelled, scan('s1', 'accepted', '2025-05-01T17:00:00Z'), ctx());
    expect(parcel.status).toBe('accepted');
    expect(published.map((e) => e.type)).toEqual(['ParcelStatusChanged']);
    expect(published[0].data).toMatchObject({ previousCategory: 'pre_shipment', statusCategory: 'accepted' });
    expect(parcel.outbox).toHaveLength(1);
  });

  it('keeps the status of the latest scan when an older scan arrives late', () => {
    let p = applyScan(emptyParcel(TN), scan('s2', 'out_for_delivery', '2025-05-03T08:00:00Z'), ctx()).parcel;
    const late = applyScan(p, scan('s1', 'in_transit', '2025-05-02T08:00:00Z'), ctx());
    p = late.parcel;
    expect(p.status).toBe('out_for_delivery');
    expect(late.published).toEqual([]);
    expect(p.events.map((e) => e.eventId)).toEqual(['s2', 's1']);
  });

  it('changes nothing for a repeated eventId', () => {
    const first = applyScan(emptyParcel(TN), scan('s1', 'accepted', '2025-05-01T17:00:00Z'), ctx()).parcel;
    const again = applyScan(first, scan('s1', 'accepted', '2025-05-01T17:00:00Z'), ctx());
    expect(again.changed).toBe(false);
    expect(again.parcel).toBe(first);
  });

  it('publishes ParcelArrived once with a 15-day hold and watchers plus addressees as recipients', () => {
    const labelled = applyLabelCreated(emptyParcel(TN), 'e-label', label).parcel;
    const first = applyScan(
      labelled,
      scan('s1', 'available_for_pickup', '2025-05-03T09:30:00Z'),
      ctx(['addr', 'owner']),
    );
    const arrived = first.published.find((e) => e.type === 'ParcelArrived');
    expect(arrived?.data).toEqual({
      trackingNumber: TN,
      facility,
      holdUntil: '2025-05-18T09:30:00.000Z',
      occurredAt: '2025-05-03T09:30:00.000Z',
      recipients: [
        { userId: 'owner', reason: 'watcher' },
        { userId: 'addr', reason: 'addressee' },
      ],
    });
    const second = applyScan(first.parcel, scan('s2', 'available_for_pickup', '2025-05-04T09:30:00Z'), ctx());
    expect(second.published.filter((e) => e.type === 'ParcelArrived')).toHaveLength(0);
  });

  it('publishes ParcelDelivered on delivery and ParcelAlert on every alert scan', () => {
    const attempted = applyScan(emptyParcel(TN), scan('s1', 'delivery_attempted', '2025-05-03T09:00:00Z'), ctx());
    expect(attempted.published.map((e) => e.type)).toEqual(['ParcelStatusChanged', 'ParcelAlert']);
    const exception = applyScan(attempted.parcel, scan('s2', 'exception', '2025-05-03T10:00:00Z'), ctx());
    expect(exception.published.map((e) => e.type)).toEqual(['ParcelAlert']);
    const delivered = applyScan(exception.parcel, scan('s3', 'delivered', '2025-05-04T10:00:00Z'), ctx());
    expect(delivered.published.map((e) => e.type)).toEqual(['ParcelStatusChanged', 'ParcelDelivered']);
  });

  it('leaves a scanned status alone when the label arrives after the scans', () => {
    const scanned = applyScan(emptyParcel(TN), scan('s1', 'in_transit', '2025-05-02T08:00:00Z'), ctx()).parcel;
    const { parcel } = applyLabelCreated(scanned, 'e-label', label);
    expect(parcel.status).toBe('in_transit');
    expect(parcel.events.map((e) => e.code)).toEqual(['in_transit', 'label_created']);
  });

  it('bounds the history and the applied ids', () => {
    let p = emptyParcel(TN);
    for (let i = 0; i < 400; i++) {
      p = applyScan(p, scan(`s${i}`, 'in_transit', new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString()), ctx()).parcel;
    }
    expect(p.events).toHaveLength(100);
    expect(p.events[0].eventId).toBe('s399');
    expect(p.appliedEventIds.length).toBeLessThanOrEqual(300);
  });
});

describe('helpers', () => {
  it('normalises the address key', () => {
    expect(addressKey({ line1: ' 1600  Pennsylvania Ave. NW', zip: '20500-0003' })).toBe(
      '20500|1600 PENNSYLVANIA AVE NW',
    );
  });

  it('keeps units of one street address apart', () => {
    const street = { line1: '12 Oak St', zip: '80202' };
    expect(addressKey({ ...street, line2: 'APT 1' })).not.toBe(addressKey({ ...street, line2: 'APT 2' }));
    expect(addressKey({ ...street, line2: 'APT 1' })).not.toBe(addressKey(street));
    expect(addressKey({ ...street, line2: 'Suite 2' })).not.toBe(addressKey({ ...street, line2: 'APT 2' }));
  });

  it('matches the common spellings of one unit', () => {
    const street = { line1: '12 Oak St', zip: '80202' };
    const key = addressKey({ ...street, line2: 'APT 2' });
    for (const line2 of ['Apt. 2', '#2', '# 2', 'UNIT 2', 'apartment 2', 'Apt #2', ' apt  2 ', '2']) {
      expect(addressKey({ ...street, line2 })).toBe(key);
    }
    expect(key).toBe('80202|12 OAK ST|#2');
    expect(addressKey({ ...street, line2: 'Suite 200' })).toBe(addressKey({ ...street, line2: 'STE. 200' }));
  });

  it('matches two addresses without a unit, and treats a blank line 2 as none', () => {
    expect(addressKey({ line1: '12 Oak St', zip: '80202' })).toBe('80202|12 OAK ST');
    expect(addressKey({ line1: '12 Oak St', line2: '  ', zip: '80202-1234' })).toBe('80202|12 OAK ST');
  });

  it('skips Sundays when computing the expected delivery', () => {
    // Friday + 2 days → Sunday skipped → Monday
    expect(expectedDeliveryFrom('2025-05-02T12:00:00Z', 2)).toBe('2025-05-05');
  });
});
