import { SHIPPING_SERVICES, type ShippingService } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { PaymentDto } from '../../payments/dto/payment.dto';

export class CreateReturnLabelDto {
  @ApiProperty({
    type: PaymentDto,
    description:
      'what pays when the parcel is first scanned by the postal service (nothing is charged before): the postage balance, or a card',
  })
  @IsDefined({ message: 'payment is required: {method: "balance"} or {method: "card", paymentMethodId}' })
  @ValidateNested()
  @Type(() => PaymentDto)
  payment: PaymentDto;

  @ApiPropertyOptional({ enum: SHIPPING_SERVICES, description: "default: the outbound label's service" })
  @IsOptional()
  @IsIn(SHIPPING_SERVICES)
  service?: ShippingService;
}

export class PayReturnChargeDto {
  @ApiProperty({ type: PaymentDto, description: 'what pays the refused charge now: the postage balance, or a card' })
  @IsDefined({ message: 'payment is required: {method: "balance"} or {method: "card", paymentMethodId}' })
  @ValidateNested()
  @Type(() => PaymentDto)
  payment: PaymentDto;
}
