import { SHIPPING_SERVICES, type ShippingService } from '@app/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { AddressDto, OptionalAddress, OptionalAddressBookId } from '../../common/address.dto';
import { PaidWith, PaymentDto } from '../../payments/dto/payment.dto';
import { ParcelDto } from '../../rates/dto/quote-request.dto';

export class CreateLabelDto extends ParcelDto {
  @OptionalAddress()
  from?: AddressDto;

  @OptionalAddressBookId()
  fromAddressId?: string;

  @OptionalAddress()
  to?: AddressDto;

  @OptionalAddressBookId()
  toAddressId?: string;

  @ApiProperty({ enum: SHIPPING_SERVICES })
  @IsIn(SHIPPING_SERVICES)
  service: ShippingService;

  @PaidWith('how the label is paid; it is issued only once paid')
  payment: PaymentDto;
}
