import { HOLD_EXTENSION_MAX_DAYS, REDELIVERY_LOCATIONS, type RedeliveryLocation } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Who the carrier may contact: an email, a phone, or both (at least one). */
export class RequestContactDto {
  @ApiPropertyOptional({ maxLength: 254, format: 'email', example: 'ada@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ pattern: '^\\+?[0-9 ()-]{7,20}$', example: '+1 312 555 0100' })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{7,20}$/, { message: 'phone must be a phone number' })
  phone?: string;
}

export class CreateRedeliveryDto {
  @ApiProperty({
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    example: '2025-05-08',
    description:
      'one of the next 10 delivery days (Monday–Saturday, no federal holiday, Central time), not after the hold ends: `GET /parcels/{trackingNumber}/options` lists them',
  })
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  date: string;

  @ApiProperty({ enum: REDELIVERY_LOCATIONS, description: '`other` needs instructions' })
  @IsIn(REDELIVERY_LOCATIONS)
  where: RedeliveryLocation;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  instructions?: string;

  @ApiProperty({ type: RequestContactDto, description: 'at least an email or a phone' })
  @ValidateNested()
  @Type(() => RequestContactDto)
  contact: RequestContactDto;
}

/** What the owner of a redelivery may change; fields left out keep their value. */
export class UpdateRedeliveryDto extends PartialType(OmitType(CreateRedeliveryDto, ['instructions'] as const)) {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, description: 'null clears them' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  instructions?: string | null;
}

export class HoldExtensionDto {
  @ApiPropertyOptional({ minimum: 1, maximum: HOLD_EXTENSION_MAX_DAYS, default: HOLD_EXTENSION_MAX_DAYS })
  // Left out means the most; null is not a number of days.
  @ValidateIf((o: HoldExtensionDto) => o.days !== undefined)
  @IsInt()
  @Min(1)
  @Max(HOLD_EXTENSION_MAX_DAYS)
  days?: number;
}
