import { SHIPPING_SERVICES, type ShippingService } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { AddressDto } from '../../common/address.dto';
import { PaymentDto } from '../../payments/dto/payment.dto';
import { ParcelDto } from '../../rates/dto/quote-request.dto';

export class CreateLabelDto extends ParcelDto {
  @ApiPropertyOptional({ type: AddressDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  from?: AddressDto;

  @ApiPropertyOptional({ description: "an id from the caller's address book (auth service)" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  fromAddressId?: string;

  @ApiPropertyOptional({ type: AddressDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  to?: AddressDto;

  @ApiPropertyOptional({ description: "an id from the caller's address book (auth service)" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  toAddressId?: string;

  @ApiProperty({ enum: SHIPPING_SERVICES })
  @IsIn(SHIPPING_SERVICES)
  service: ShippingService;

  @ApiProperty({ type: PaymentDto, description: 'how the label is paid; it is issued only once paid' })
  @IsDefined({ message: 'payment is required: {method: "balance"} or {method: "card", paymentMethodId}' })
  @ValidateNested()
  @Type(() => PaymentDto)
  payment: PaymentDto;
}
