import { SHIPPING_SERVICES, type ShippingService } from '@app/contracts';
import { ApiProperty } from '@nestjs/swagger';
import type { Rate } from '../rate-calculator';

export class RateView implements Rate {
  @ApiProperty({ enum: SHIPPING_SERVICES }) service!: ShippingService;
  @ApiProperty({ type: 'integer' }) priceCents!: number;
  @ApiProperty({ type: 'integer' }) zone!: number;
  @ApiProperty({ type: 'integer' }) deliveryDays!: number;
}

/** `POST /labels/quote`: a rate per service (or the one asked for). */
export class QuoteView {
  @ApiProperty({ type: [RateView] }) quotes!: RateView[];
}
