import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

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
