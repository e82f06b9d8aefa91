import { INTERCEPT_ACTIONS, REDELIVERY_LOCATIONS, type InterceptAction, type RedeliveryLocation } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

export class InterceptAddressDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  line1: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  line2?: string;

  @ApiProperty({ maxLength: 60 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  city: string;

  @ApiProperty({ pattern: '^[A-Z]{2}$', example: 'IL' })
  @Matches(/^[A-Z]{2}$/, { message: 'state must be a 2-letter code' })
  state: string;

  @ApiProperty({ pattern: '^\\d{5}(-\\d{4})?$', example: '60601' })
  @Matches(/^\d{5}(-\d{4})?$/, { message: 'zip must be 5 digits or ZIP+4' })
  zip: string;
}

export class InterceptDto {
  @ApiProperty({ enum: INTERCEPT_ACTIONS, description: '`redirect` needs `address`' })
  @IsIn(INTERCEPT_ACTIONS)
  action: InterceptAction;

  @ApiPropertyOptional({ type: InterceptAddressDto, description: 'the new destination; only with `redirect`' })
  @IsOptional()
  @ValidateNested()
  @Type(() => InterceptAddressDto)
  address?: InterceptAddressDto;
}

export class DeliveryInstructionsDto {
  @ApiProperty({ enum: REDELIVERY_LOCATIONS, description: '`other` needs instructions' })
  @IsIn(REDELIVERY_LOCATIONS)
  where: RedeliveryLocation;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  instructions?: string;
}
