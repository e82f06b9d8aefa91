import type { ShippingService } from '@app/contracts';

/**
 * Illustrative retail prices in US cents, NOT official USPS prices. Each row is a weight step
 * (up to `maxOz`) with one price per zone 1–9; past the last row every further pound adds
 * `perAdditionalLb[zone]`. Delivery days are business days per zone 1–9.
 */
export interface ServiceRateTable {
  steps: readonly { maxOz: number; prices: readonly number[] }[];
  perAdditionalLb: readonly number[];
  deliveryDays: readonly number[];
}

export const PRICE_TABLES: Readonly<Record<ShippingService, ServiceRateTable>> = {
  priority_express: {
    steps: [
      { maxOz: 8, prices: [2880, 2940, 3150, 3340, 3560, 3790, 4010, 4290, 5450] },
      { maxOz: 16, prices: [3030, 3150, 3420, 3690, 4010, 4360, 4680, 5010, 6120] },
      { maxOz: 32, prices: [3120, 3310, 3740, 4230, 4760, 5290, 5820, 6380, 7890] },
      { maxOz: 48, prices: [3290, 3540, 4150, 4810, 5530, 6280, 7010, 7790, 9560] },
    ],
    perAdditionalLb: [180, 240, 390, 560, 740, 930, 1110, 1310, 1620],
    deliveryDays: [1, 1, 2, 2, 2, 2, 2, 2, 3],
  },
  priority: {
    steps: [
      { maxOz: 16, prices: [940, 975, 1015, 1065, 1135, 1220, 1310, 1420, 2290] },
      { maxOz: 32, prices: [1010, 1065, 1150, 1270, 1460, 1620, 1800, 2010, 3130] },
      { maxOz: 48, prices: [1090, 1160, 1300, 1490, 1790, 2050, 2330, 2620, 4020] },
      { maxOz: 64, prices: [1170, 1260, 1450, 1720, 2120, 2490, 2870, 3250, 4890] },
    ],
    perAdditionalLb: [85, 110, 160, 240, 340, 430, 520, 620, 880],
    deliveryDays: [1, 2, 2, 2, 3, 3, 3, 3, 4],
  },
  ground_advantage: {
    steps: [
      { maxOz: 4, prices: [535, 540, 545, 555, 565, 580, 595, 620, 820] },
      { maxOz: 8, prices: [600, 610, 620, 635, 655, 680, 705, 730, 960] },
      { maxOz: 12, prices: [705, 715, 730, 755, 785, 815, 850, 885, 1150] },
      { maxOz: 16, prices: [825, 840, 860, 890, 930, 975, 1025, 1075, 1390] },
      { maxOz: 32, prices: [905, 935, 985, 1070, 1220, 1360, 1500, 1660, 2360] },
      { maxOz: 48, prices: [975, 1020, 1100, 1240, 1470, 1690, 1920, 2160, 3090] },
    ],
    perAdditionalLb: [70, 90, 130, 200, 290, 370, 450, 540, 770],
    deliveryDays: [2, 2, 3, 3, 4, 4, 5, 5, 7],
  },
};
