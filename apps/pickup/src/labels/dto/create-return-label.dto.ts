import { SHIPPING_SERVICES, type ShippingService } from '@app/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PaidWith, PaymentDto } from '../../payments/dto/payment.dto';

export class CreateReturnLabelDto {
  @PaidWith(
    'what pays when the parcel is first scanned by the postal service (nothing is charged before): the postage balance, or a card',
  )
  payment: PaymentDto;

  @ApiPropertyOptional({ enum: SHIPPING_SERVICES, description: "default: the outbound label's service" })
  @IsOptional()
  @IsIn(SHIPPING_SERVICES)
  service?: ShippingService;
}

export class PayReturnChargeDto {
  @PaidWith('what pays the refused charge now: the postage balance, or a card')
  payment: PaymentDto;
}
