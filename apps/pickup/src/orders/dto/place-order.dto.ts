import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AddressDto, OptionalAddress, OptionalAddressBookId } from '../../common/address.dto';
import { PaidWith, PaymentDto } from '../../payments/dto/payment.dto';

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

  @OptionalAddressBookId()
  shippingAddressId?: string;

  @OptionalAddress()
  shippingAddress?: AddressDto;

  @PaidWith('how the order is paid; it is placed only once paid')
  payment: PaymentDto;
}
