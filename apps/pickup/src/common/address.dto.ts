import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

export class AddressDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  line1: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  line2?: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  city: string;

  @ApiProperty({ example: 'IL' })
  @Matches(/^[A-Z]{2}$/, { message: 'state must be a 2-letter code' })
  state: string;

  @ApiProperty({ example: '60601' })
  @Matches(/^\d{5}(-\d{4})?$/, { message: 'zip must be 5 digits or ZIP+4' })
  zip: string;
}

/** An address given in full: optional, as a request may name one from the address book instead. */
export const OptionalAddress = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ type: AddressDto }),
    IsOptional(),
    ValidateNested(),
    Type(() => AddressDto),
  );

/** An address named by its id in the caller's address book (auth service), in place of one given in full. */
export const OptionalAddressBookId = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description: "an id from the caller's address book (auth service)" }),
    IsOptional(),
    IsString(),
    MaxLength(100),
    IsNotEmpty(),
  );
