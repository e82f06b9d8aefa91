import { PACKAGE_LOCATIONS, type PackageLocation } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsPositive,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AddressDto, OptionalAddress, OptionalAddressBookId } from '../../common/address.dto';

const COUNT = { minimum: 0, maximum: 999 } as const;

/** Packages to collect, per kind (the USPS Carrier Pickup API's counts); at least one in all. */
export class PackageCountsDto {
  @ApiProperty({ ...COUNT, example: 0 }) @IsInt() @Min(0) @Max(999) priorityExpress: number;
  @ApiProperty({ ...COUNT, example: 1 }) @IsInt() @Min(0) @Max(999) priority: number;
  @ApiProperty({ ...COUNT, example: 0 }) @IsInt() @Min(0) @Max(999) groundAdvantage: number;
  @ApiProperty({ ...COUNT, example: 0 }) @IsInt() @Min(0) @Max(999) returns: number;
  @ApiProperty({ ...COUNT, example: 0 }) @IsInt() @Min(0) @Max(999) international: number;
  @ApiProperty({ ...COUNT, example: 0 }) @IsInt() @Min(0) @Max(999) other: number;
}

/** Who the carrier may contact: an email, a phone, or both (at least one). */
export class ContactDto {
  @ApiPropertyOptional({ maxLength: 254, example: 'ada@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ pattern: '^\\+?[0-9 ()-]{7,20}$', example: '+1 312 555 0100' })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{7,20}$/, { message: 'phone must be a phone number' })
  phone?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreatePickupDto {
  @OptionalAddress()
  address?: AddressDto;

  @OptionalAddressBookId()
  addressId?: string;

  @ApiProperty({ example: '2025-05-08' })
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  date: string;

  @ApiProperty({ enum: PACKAGE_LOCATIONS })
  @IsIn(PACKAGE_LOCATIONS)
  packageLocation: PackageLocation;

  @ApiProperty({ type: PackageCountsDto })
  @ValidateNested()
  @Type(() => PackageCountsDto)
  packages: PackageCountsDto;

  @ApiProperty({ minimum: 0, exclusiveMinimum: true, maximum: 10_000, example: 3 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(10_000)
  estimatedWeightLb: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  instructions?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  dogPresent?: boolean;

  @ApiProperty({ type: ContactDto })
  @ValidateNested()
  @Type(() => ContactDto)
  contact: ContactDto;

  @ApiPropertyOptional({ description: 'labels to attach, by tracking number' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  trackingNumbers?: string[];

  @ApiPropertyOptional({ description: 'labels to attach, by label id' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  labelIds?: string[];
}

/** Fields a pickup's owner may change; attached labels given here replace the attached set. */
export class UpdatePickupDto extends PartialType(
  OmitType(CreatePickupDto, ['address', 'addressId', 'contact', 'instructions'] as const),
) {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 500,
    description: 'null clears them (refused while packageLocation is "other")',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  instructions?: string | null;
}
