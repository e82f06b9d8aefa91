import { BadRequestException, Injectable } from '@nestjs/common';
import { SHIPPING_SERVICES, type ShippingService } from '@app/contracts';
import { dimensionsProblem, type Dimensions, type Rate, rateFor } from './rate-calculator';
import { locateZip, type ZipArea } from './zip-locator';
import { zoneBetween } from './zones';

export interface ParcelSpec {
  weightOz: number;
  lengthIn?: number;
  widthIn?: number;
  heightIn?: number;
}

@Injectable()
export class RatesService {
  quote(fromZip: string, toZip: string, parcel: ParcelSpec, service?: ShippingService): Rate[] {
    const zone = zoneBetween(this.area(fromZip, 'fromZip'), this.area(toZip, 'toZip'));
    const dims = this.dimensions(parcel);
    const services = service ? [service] : SHIPPING_SERVICES;
    return services.map((s) => rateFor(s, zone, parcel.weightOz, dims));
  }

  private area(zip: string, field: string): ZipArea {
    const area = locateZip(zip);
    if (!area) throw new BadRequestException(`${field} ${zip} is not a known US ZIP code`);
    return area;
  }

  private dimensions(parcel: ParcelSpec): Dimensions | undefined {
    const given = [parcel.lengthIn, parcel.widthIn, parcel.heightIn].filter((v) => v !== undefined);
    if (given.length === 0) return undefined;
    if (given.length !== 3) throw new BadRequestException('give all of lengthIn, widthIn and heightIn, or none');
    const dims = { lengthIn: parcel.lengthIn!, widthIn: parcel.widthIn!, heightIn: parcel.heightIn! };
    const problem = dimensionsProblem(dims);
    if (problem) throw new BadRequestException(problem);
    return dims;
  }
}
