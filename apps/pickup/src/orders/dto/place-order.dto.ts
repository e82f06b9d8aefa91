import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AddressDto } from '../../common/address.dto';
import { PaymentDto } from '../../payments/dto/payment.dto';

export const MAX_ORDER_ITEMS = 20;
export const MAX_ITEM_QUANTITY = 100;

export class OrderItemDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  sku: string;

  @ApiProperty({ minimum: 1, maximum: MAX_ITEM_QUANTITY })
  @IsInt()
  @Min(1)
  @Max(MAX_ITEM_QUANTITY)
  quantity: number;
}

export class PlaceOrderDto {
  @ApiProperty({ type: [OrderItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items: OrderItemDto[];

  @ApiPropertyOptional({ description: "an id from the caller's address book (auth service)" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  shippingAddressId?: string;

  @ApiPropertyOptional({ type: AddressDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  shippingAddress?: AddressDto;

  @ApiProperty({ type: PaymentDto, description: 'how the order is paid; it is placed only once paid' })
  @IsDefined({ message: 'payment is required: {method: "balance"} or {method: "card", paymentMethodId}' })
  @ValidateNested()
  @Type(() => PaymentDto)
  payment: PaymentDto;
}
