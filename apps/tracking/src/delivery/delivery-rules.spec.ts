import { translateApiMessage } from '@app/platform';
import type { ParcelState } from '../parcels/parcel-state';
import {
  holdMailInForce,
  holdMailProblem,
  holdMailStarted,
  holdOf,
  rangesOverlap,
  instructionsProblem,
  interceptOutcome,
  interceptProblem,
  redeliveryActive,
  redeliveryChangeProblem,
  redeliveryDateProblem,
  redeliveryDates,
  redeliveryOutcome,
} from './delivery-rules';

const facility = { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' };
function parcel(events: [ParcelState['events'][number]['code'], string][]): ParcelState {
  // newest first, as stored
  const list = events.map(([code, occurredAt], i) => ({ eventId: `e${i}`, code, occurredAt, facility }));
  return {
    _id: '9212391234567812345670',
    known: true,
    status: list[0]?.code === 'available_for_pickup' ? 'available_for_pickup' : 'alert',
    statusCode: list[0]?.code,
    statusAt: list[0]?.occurredAt,
    events: list,
    appliedEventIds: [],
    watchers: [],
    outbox: [],
    version: 1,
  };
}

// Wednesday 2026-05-06, 10:00 in Chicago (CDT, UTC−5)
const WEDNESDAY = new Date('2026-05-06T15:00:00Z');
const HOLD_FAR = '2026-06-30T00:00:00.000Z';

describe('hold of a parcel', () => {
  it('starts at the first hold scan of the current run and lasts 15 days plus the extension', () => {
    const p = parcel([
      ['available_for_pickup', '2026-05-06T09:00:00.000Z'],
      ['delivery_attempted', '2026-05-05T14:00:00.000Z'],
      ['out_for_delivery', '2026-05-05T08:00:00.000Z'],
      ['delivery_attempted', '2026-04-01T14:00:00.000Z'],
    ]);
    expect(holdOf(p)).toEqual({
      held: true,
      attempted: true,
      availableForPickup: true,
      heldSince: '2026-05-05T14:00:00.000Z',
      holdUntil: '2026-05-20T14:00:00.000Z',
    });
    expect(holdOf(p, 10).holdUntil).toBe('2026-05-30T14:00:00.000Z');
  });

  it('does not let a label created after the scans end the run of hold scans', () => {
    const p = parcel([
      ['label_created', '2026-05-06T10:00:00.000Z'],
      ['delivery_attempted', '2026-05-06T09:00:00.000Z'],
    ]);
    expect(holdOf({ ...p, statusCode: 'delivery_attempted' })).toMatchObject({ held: true, attempted: true });
  });

  it('is not held while the parcel moves, and not "attempted" when it only arrived at the post office', () => {
    expect(holdOf(parcel([['out_for_delivery', '2026-05-05T08:00:00.000Z']])).held).toBe(false);
    const arrived = holdOf(parcel([['available_for_pickup', '2026-05-05T08:00:00.000Z']]));
    expect(arrived).toMatchObject({ held: true, attempted: false, availableForPickup: true });
  });
});

describe('redelivery dates', () => {
  it('offers the next 10 delivery days after today, skipping Sundays and federal holidays', () => {
    const dates = redeliveryDates(WEDNESDAY, HOLD_FAR);
    expect(dates).toHaveLength(10);
    expect(dates[0]).toBe('2026-05-07');
    expect(dates).not.toContain('2026-05-06');
    expect(dates).not.toContain('2026-05-10'); // Sunday
    expect(dates.at(-1)).toBe('2026-05-18');
    // Memorial Day 2026 is Monday 2026-05-25
    expect(redeliveryDates(new Date('2026-05-22T15:00:00Z'), HOLD_FAR)).not.toContain('2026-05-25');
  });

  it('offers no day after the hold ends', () => {
    expect(redeliveryDates(WEDNESDAY, '2026-05-09T14:00:00.000Z')).toEqual(['2026-05-07', '2026-05-08', '2026-05-09']);
  });

  it('refuses today, a past day, a Sunday, a holiday, the 11th delivery day and a day after the hold, with the reason', () => {
    expect(redeliveryDateProblem('2026-05-06', WEDNESDAY, HOLD_FAR)).toMatch(/not after today/);
    expect(redeliveryDateProblem('2026-05-01', WEDNESDAY, HOLD_FAR)).toMatch(/not after today/);
    expect(redeliveryDateProblem('2026-05-10', WEDNESDAY, HOLD_FAR)).toMatch(/Sunday/);
    expect(redeliveryDateProblem('2026-05-25', new Date('2026-05-22T15:00:00Z'), HOLD_FAR)).toMatch(/Memorial Day/);
    expect(redeliveryDateProblem('2026-05-19', WEDNESDAY, HOLD_FAR)).toMatch(/beyond the next 10 delivery days/);
    expect(redeliveryDateProblem('2026-05-12', WEDNESDAY, '2026-05-09T14:00:00.000Z')).toMatch(
      /after the parcel's hold ends/,
    );
    expect(redeliveryDateProblem('2026-02-30', WEDNESDAY, HOLD_FAR)).toMatch(/not a calendar date/);
    expect(redeliveryDateProblem('2026-05-18', WEDNESDAY, HOLD_FAR)).toBeUndefined();
  });

  it('counts "today" in Central time: 11 PM Tuesday in Chicago is already Wednesday in UTC', () => {
    const tuesdayNight = new Date('2026-05-06T04:00:00Z'); // 23:00 CDT on Tuesday 2026-05-05
    expect(redeliveryDateProblem('2026-05-06', tuesdayNight, HOLD_FAR)).toBeUndefined();
  });
});

describe('changing a redelivery', () => {
  it('may change until 2:00 AM Central time on its day, not after', () => {
    expect(redeliveryChangeProblem('2026-05-07', new Date('2026-05-07T06:59:59Z'))).toBeUndefined(); // 01:59 CDT
    expect(redeliveryChangeProblem('2026-05-07', new Date('2026-05-07T07:00:00Z'))).toMatch(/2:00 AM Central/);
    expect(redeliveryChangeProblem('2026-05-07', new Date('2026-05-08T12:00:00Z'))).toMatch(/2:00 AM Central/);
    // Winter (CST, UTC−6): 2:00 AM is 08:00 UTC
    expect(redeliveryChangeProblem('2026-01-08', new Date('2026-01-08T07:30:00Z'))).toBeUndefined();
    expect(redeliveryChangeProblem('2026-01-08', new Date('2026-01-08T08:00:00Z'))).toMatch(/2:00 AM Central/);
  });

  it('keeps a scheduled redelivery active to the end of its day', () => {
    expect(redeliveryActive('scheduled', '2026-05-06', WEDNESDAY)).toBe(true);
    expect(redeliveryActive('scheduled', '2026-05-05', WEDNESDAY)).toBe(false);
    expect(redeliveryActive('cancelled', '2026-05-07', WEDNESDAY)).toBe(false);
  });
});

describe('intercept outcome', () => {
  const requestedAt = '2026-05-06T10:00:00.000Z';
  const at = (code: ParcelState['events'][number]['code'], occurredAt: string, zip = '80202') => ({
    eventId: `${code}-${occurredAt}`,
    code,
    occurredAt,
    facility: { ...facility, zip },
  });

  it('stays requested until a scan after it answers', () => {
    const events = [at('in_transit', '2026-05-06T11:00:00.000Z'), at('intercepted', '2026-05-06T09:00:00.000Z')];
    expect(interceptOutcome({ action: 'return_to_sender', requestedAt }, events).status).toBe('requested');
  });

  it('succeeds on the scan that carries the action out', () => {
    const events = [at('intercepted', '2026-05-06T12:00:00.000Z'), at('in_transit', '2026-05-06T11:00:00.000Z')];
    expect(interceptOutcome({ action: 'return_to_sender', requestedAt }, events)).toEqual({
      status: 'succeeded',
      decidedAt: '2026-05-06T12:00:00.000Z',
    });
    expect(
      interceptOutcome({ action: 'hold_at_post_office', requestedAt }, [
        at('held_at_post_office', '2026-05-06T12:00:00.000Z'),
      ]).status,
    ).toBe('succeeded');
  });

  it('makes a redirect succeed on a scan at the new destination', () => {
    const events = [at('arrived_at_facility', '2026-05-07T12:00:00.000Z', '60601-1234')];
    expect(interceptOutcome({ action: 'redirect', requestedAt, address: { zip: '60601' } }, events).status).toBe(
      'succeeded',
    );
    expect(interceptOutcome({ action: 'redirect', requestedAt, address: { zip: '10001' } }, events).status).toBe(
      'requested',
    );
  });

  it('fails when the parcel is delivered first', () => {
    const events = [at('intercepted', '2026-05-06T13:00:00.000Z'), at('delivered', '2026-05-06T12:00:00.000Z')];
    expect(interceptOutcome({ action: 'return_to_sender', requestedAt }, events)).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('delivered'),
    });
  });

  it('refuses an intercept of a delivered or returned parcel, and instructions once out for delivery', () => {
    const delivered = { ...parcel([['delivered', requestedAt]]), status: 'delivered' as const };
    expect(interceptProblem(delivered)).toMatch(/delivered/);
    expect(interceptProblem(parcel([['returned_to_sender', requestedAt]]))).toMatch(/back to the sender/);
    const out = { ...parcel([['out_for_delivery', requestedAt]]), status: 'out_for_delivery' as const };
    expect(instructionsProblem(out)).toMatch(/before the parcel is out for delivery/);
    expect(instructionsProblem({ ...parcel([['in_transit', requestedAt]]), status: 'in_transit' })).toBeUndefined();
  });
});

describe('new scan codes', () => {
  it('keeps a parcel held at the post office held', () => {
    const held = holdOf({
      ...parcel([['held_at_post_office', '2026-05-06T09:00:00.000Z']]),
      status: 'available_for_pickup',
    });
    expect(held).toMatchObject({ held: true, availableForPickup: true, attempted: false });
  });
});

describe('Hold Mail dates', () => {
  it('starts on a delivery day from tomorrow to 30 days ahead and lasts 3 to 30 days, both ends counted', () => {
    expect(holdMailProblem('2026-05-07', '2026-05-09', WEDNESDAY)).toBeUndefined();
    expect(holdMailProblem('2026-05-07', '2026-06-05', WEDNESDAY)).toBeUndefined();
    expect(holdMailProblem('2026-05-06', '2026-05-10', WEDNESDAY)).toMatch(/at least one day ahead/);
    expect(holdMailProblem('2026-05-10', '2026-05-14', WEDNESDAY)).toMatch(/Sunday/);
    expect(holdMailProblem('2026-05-25', '2026-05-29', WEDNESDAY)).toMatch(/Memorial Day/);
    expect(holdMailProblem('2026-05-07', '2026-05-08', WEDNESDAY)).toMatch(/3 to 30 days.*this one: 2/);
    expect(holdMailProblem('2026-05-07', '2026-06-06', WEDNESDAY)).toMatch(/this one: 31/);
    expect(holdMailProblem('2026-05-09', '2026-05-07', WEDNESDAY)).toMatch(/3 to 30 days/);
    expect(holdMailProblem('2026-06-06', '2026-06-10', WEDNESDAY)).toMatch(/at most 30 days ahead/);
    expect(holdMailProblem('2026-02-30', '2026-03-05', WEDNESDAY)).toMatch(/not a calendar date/);
  });

  it('is in force from its first to its last day, and may change only before it starts', () => {
    expect(holdMailInForce('scheduled', '2026-05-06', '2026-05-08', WEDNESDAY)).toBe(true);
    expect(holdMailInForce('scheduled', '2026-05-07', '2026-05-09', WEDNESDAY)).toBe(false);
    expect(holdMailInForce('cancelled', '2026-05-06', '2026-05-08', WEDNESDAY)).toBe(false);
    expect(holdMailStarted('2026-05-06', WEDNESDAY)).toBe(true);
    expect(holdMailStarted('2026-05-07', WEDNESDAY)).toBe(false);
    expect(
      rangesOverlap(
        { startDate: '2026-05-07', endDate: '2026-05-09' },
        { startDate: '2026-05-09', endDate: '2026-05-12' },
      ),
    ).toBe(true);
    expect(
      rangesOverlap(
        { startDate: '2026-05-07', endDate: '2026-05-09' },
        { startDate: '2026-05-10', endDate: '2026-05-12' },
      ),
    ).toBe(false);
  });
});

describe('redelivery outcome from the scans after the booking', () => {
  const bookedAt = '2026-05-06T10:00:00.000Z';
  const at = (code: ParcelState['events'][number]['code'], occurredAt: string) => ({
    eventId: `${code}-${occurredAt}`,
    code,
    occurredAt,
    facility,
  });

  it('has none until a scan after the booking answers (the attempt before it does not count)', () => {
    expect(redeliveryOutcome(bookedAt, [at('delivery_attempted', '2026-05-06T09:00:00.000Z')])).toBeUndefined();
  });

  it('is confirmed by a redelivery_scheduled scan, then delivered', () => {
    const confirmed = [at('redelivery_scheduled', '2026-05-06T11:00:00.000Z')];
    expect(redeliveryOutcome(bookedAt, confirmed)).toEqual({
      outcome: 'confirmed',
      occurredAt: '2026-05-06T11:00:00.000Z',
    });
    const delivered = [at('delivered', '2026-05-07T15:00:00.000Z'), ...confirmed];
    expect(redeliveryOutcome(bookedAt, delivered)).toEqual({
      outcome: 'delivered',
      occurredAt: '2026-05-07T15:00:00.000Z',
    });
  });

  it('fails on another delivery attempt, whatever comes after it', () => {
    const events = [
      at('delivered', '2026-05-08T15:00:00.000Z'),
      at('delivery_attempted', '2026-05-07T15:00:00.000Z'),
      at('redelivery_scheduled', '2026-05-06T11:00:00.000Z'),
    ];
    expect(redeliveryOutcome(bookedAt, events)?.outcome).toBe('failed');
  });
});

describe('the date refusals in every language (issue 20)', () => {
  const refusals = [
    redeliveryDateProblem('2026-05-06', WEDNESDAY, HOLD_FAR),
    redeliveryDateProblem('2026-05-19', WEDNESDAY, HOLD_FAR),
    redeliveryDateProblem('2026-05-12', WEDNESDAY, '2026-05-09T14:00:00.000Z'),
    redeliveryChangeProblem('2026-05-06', WEDNESDAY),
    holdMailProblem('2026-05-06', '2026-05-10', WEDNESDAY),
    holdMailProblem('2026-06-06', '2026-06-10', WEDNESDAY),
    holdMailProblem('2026-05-07', '2026-05-08', WEDNESDAY),
  ];

  it('has a Spanish and a Chinese text for each, with its dates and numbers carried over', () => {
    for (const english of refusals) {
      expect(english).toBeDefined();
      const numbers = (english ?? '').match(/\d{4}-\d{2}-\d{2}|\d+/g) ?? [];
      for (const language of ['es', 'zh-Hans'] as const) {
        const translated = translateApiMessage(english ?? '', language);
        expect(translated).not.toBe(english);
        for (const n of numbers) expect(translated).toContain(n);
      }
    }
  });
});
