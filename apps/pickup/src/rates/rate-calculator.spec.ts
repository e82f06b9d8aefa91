import { SHIPPING_SERVICES } from '@app/contracts';
import { PRICE_TABLES } from './price-tables.data';
import { billableWeightOz, dimensionsProblem, RateInputError, rateFor } from './rate-calculator';

describe('rate calculator', () => {
  it.each(SHIPPING_SERVICES)('prices %s higher with zone at equal weight', (service) => {
    for (const weightOz of [1, 16, 40, 200, 1120]) {
      const prices = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((zone) => rateFor(service, zone, weightOz).priceCents);
      for (let i = 1; i < prices.length; i++) expect(prices[i]).toBeGreaterThan(prices[i - 1]);
    }
  });

  it.each(SHIPPING_SERVICES)('never prices %s lower for a heavier parcel', (service) => {
    for (let zone = 1; zone <= 9; zone++) {
      let previous = 0;
      for (let weightOz = 1; weightOz <= 1120; weightOz += 7) {
        const price = rateFor(service, zone, weightOz).priceCents;
        expect(price).toBeGreaterThanOrEqual(previous);
        previous = price;
      }
      expect(rateFor(service, zone, 1120).priceCents).toBeGreaterThan(rateFor(service, zone, 1).priceCents);
    }
  });

  it('ranks express above priority above ground advantage', () => {
    const price = (s: 'priority_express' | 'priority' | 'ground_advantage') => rateFor(s, 5, 24).priceCents;
    expect(price('priority_express')).toBeGreaterThan(price('priority'));
    expect(price('priority')).toBeGreaterThan(price('ground_advantage'));
  });

  it('reads the step price from the table and adds a per-pound price past the last step', () => {
    expect(rateFor('priority', 4, 10).priceCents).toBe(PRICE_TABLES.priority.steps[0].prices[3]);
    expect(rateFor('priority', 4, 64 + 16).priceCents).toBe(
      PRICE_TABLES.priority.steps[3].prices[3] + PRICE_TABLES.priority.perAdditionalLb[3],
    );
  });

  it('gives delivery days per service and zone', () => {
    expect(rateFor('priority_express', 1, 8).deliveryDays).toBe(1);
    expect(rateFor('ground_advantage', 8, 8).deliveryDays).toBeGreaterThan(rateFor('priority', 8, 8).deliveryDays);
  });

  it('uses dimensional weight (divisor 166) only above one cubic foot', () => {
    expect(billableWeightOz(16, { lengthIn: 12, widthIn: 12, heightIn: 12 })).toBe(16);
    // 20×20×20 = 8000 in³ → ceil(8000 / 166) = 49 lb
    expect(billableWeightOz(16, { lengthIn: 20, widthIn: 20, heightIn: 20 })).toBe(49 * 16);
    expect(billableWeightOz(60 * 16, { lengthIn: 20, widthIn: 20, heightIn: 20 })).toBe(60 * 16);
    expect(rateFor('priority', 5, 16, { lengthIn: 20, widthIn: 20, heightIn: 20 }).priceCents).toBe(
      rateFor('priority', 5, 49 * 16).priceCents,
    );
  });

  it('refuses weights outside 1–1120 oz and oversized parcels', () => {
    expect(() => rateFor('priority', 1, 0.5)).toThrow(RateInputError);
    expect(() => rateFor('priority', 1, 1121)).toThrow(RateInputError);
    expect(dimensionsProblem({ lengthIn: 109, widthIn: 1, heightIn: 1 })).toMatch(/108/);
    expect(dimensionsProblem({ lengthIn: 60, widthIn: 20, heightIn: 20 })).toMatch(/girth/);
    expect(dimensionsProblem({ lengthIn: 0, widthIn: 1, heightIn: 1 })).toMatch(/positive/);
    expect(dimensionsProblem({ lengthIn: 10, widthIn: 8, heightIn: 4 })).toBeUndefined();
  });
});
