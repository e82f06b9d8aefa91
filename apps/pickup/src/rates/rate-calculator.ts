import type { ShippingService } from '@app/contracts';
import { PRICE_TABLES, type ServiceRateTable } from './price-tables.data';

export const MIN_WEIGHT_OZ = 1;
export const MAX_WEIGHT_OZ = 1120;
/** Parcels larger than one cubic foot are priced by dimensional weight. */
const CUBIC_FOOT_IN3 = 1728;
const DIM_DIVISOR = 166;
/** USPS maximum length plus girth for the services sold here. */
export const MAX_LENGTH_PLUS_GIRTH_IN = 130;
export const MAX_SIDE_IN = 108;

export interface Dimensions {
  lengthIn: number;
  widthIn: number;
  heightIn: number;
}

export interface Rate {
  service: ShippingService;
  priceCents: number;
  zone: number;
  deliveryDays: number;
}

export class RateInputError extends Error {}

/** Why these dimensions cannot be mailed, or undefined when they can. */
export function dimensionsProblem(dims: Dimensions): string | undefined {
  const sides = [dims.lengthIn, dims.widthIn, dims.heightIn].sort((a, b) => b - a);
  if (sides.some((s) => !Number.isFinite(s) || s <= 0)) return 'dimensions must be positive numbers of inches';
  if (sides[0] > MAX_SIDE_IN) return `no side may exceed ${MAX_SIDE_IN} inches`;
  if (sides[0] + 2 * (sides[1] + sides[2]) > MAX_LENGTH_PLUS_GIRTH_IN) {
    return `length plus girth may not exceed ${MAX_LENGTH_PLUS_GIRTH_IN} inches`;
  }
  return undefined;
}

/** The weight in ounces a parcel is priced at: its actual weight, or its dimensional weight when larger. */
export function billableWeightOz(weightOz: number, dims?: Dimensions): number {
  if (!dims) return weightOz;
  const volume = dims.lengthIn * dims.widthIn * dims.heightIn;
  if (volume <= CUBIC_FOOT_IN3) return weightOz;
  const dimWeightOz = Math.ceil(volume / DIM_DIVISOR) * 16;
  return Math.max(weightOz, dimWeightOz);
}

function priceFor(table: ServiceRateTable, weightOz: number, zone: number): number {
  const zoneIndex = zone - 1;
  const step = table.steps.find((s) => weightOz <= s.maxOz);
  if (step) return step.prices[zoneIndex];
  const last = table.steps[table.steps.length - 1];
  const extraLb = Math.ceil((weightOz - last.maxOz) / 16);
  return last.prices[zoneIndex] + extraLb * table.perAdditionalLb[zoneIndex];
}

/** Prices one service for a parcel of `weightOz` (and optional dimensions) to `zone`. */
export function rateFor(service: ShippingService, zone: number, weightOz: number, dims?: Dimensions): Rate {
  if (!Number.isInteger(zone) || zone < 1 || zone > 9) throw new RateInputError(`zone ${zone} is not 1–9`);
  if (!Number.isFinite(weightOz) || weightOz < MIN_WEIGHT_OZ || weightOz > MAX_WEIGHT_OZ) {
    throw new RateInputError(`weight must be ${MIN_WEIGHT_OZ}–${MAX_WEIGHT_OZ} oz`);
  }
  if (dims) {
    const problem = dimensionsProblem(dims);
    if (problem) throw new RateInputError(problem);
  }
  const table = PRICE_TABLES[service];
  return {
    service,
    priceCents: priceFor(table, billableWeightOz(weightOz, dims), zone),
    zone,
    deliveryDays: table.deliveryDays[zone - 1],
  };
}
