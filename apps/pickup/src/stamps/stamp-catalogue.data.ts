/** A product of the stamps catalogue. */
export interface StampProduct {
  sku: string;
  name: string;
  /** price of one unit in US cents */
  priceCents: number;
  /** what one unit is */
  unit: string;
}

/** The seeded stamps catalogue. Illustrative prices, not official USPS prices. */
export const STAMP_CATALOGUE: readonly StampProduct[] = [
  { sku: 'FOREVER-SHEET-20', name: 'Forever stamps, sheet of 20', priceCents: 1460, unit: 'sheet of 20' },
  { sku: 'FOREVER-COIL-100', name: 'Forever stamps, coil of 100', priceCents: 7300, unit: 'coil of 100' },
  { sku: 'POSTCARD-SHEET-20', name: 'Postcard stamps, sheet of 20', priceCents: 1120, unit: 'sheet of 20' },
  {
    sku: 'ADDITIONAL-OUNCE-SHEET-20',
    name: 'Additional-ounce stamps, sheet of 20',
    priceCents: 560,
    unit: 'sheet of 20',
  },
  {
    sku: 'GLOBAL-FOREVER-SHEET-10',
    name: 'Global Forever stamps, sheet of 10',
    priceCents: 1650,
    unit: 'sheet of 10',
  },
];

export function findStamp(sku: string): StampProduct | undefined {
  return STAMP_CATALOGUE.find((p) => p.sku === sku);
}
