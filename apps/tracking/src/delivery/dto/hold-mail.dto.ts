import { HOLD_MAIL_DELIVERY, type HoldMailDelivery } from '@app/contracts';
import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateHoldMailDto {
  @ApiProperty({ description: "one of the caller's verified addresses (address book id)", maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  addressId: string;

  @ApiProperty({
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    example: '2025-05-08',
    description: 'a delivery day (Mon–Sat, no federal holiday) from tomorrow to 30 days ahead, Central time',
  })
  @Matches(DATE, { message: 'startDate must be YYYY-MM-DD' })
  startDate: string;

  @ApiProperty({
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    example: '2025-05-15',
    description: 'the last day held: 3 to 30 days from startDate, both ends counted',
  })
  @Matches(DATE, { message: 'endDate must be YYYY-MM-DD' })
  endDate: string;

  @ApiProperty({ enum: HOLD_MAIL_DELIVERY })
  @IsIn(HOLD_MAIL_DELIVERY)
  delivery: HoldMailDelivery;
}

/** What may change before the hold starts; fields left out keep their value. */
export class UpdateHoldMailDto extends PartialType(
  PickType(CreateHoldMailDto, ['startDate', 'endDate', 'delivery'] as const),
) {}
