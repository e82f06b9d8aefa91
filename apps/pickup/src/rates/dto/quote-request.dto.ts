import { SHIPPING_SERVICES, type ShippingService } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { MAX_SIDE_IN, MAX_WEIGHT_OZ, MIN_WEIGHT_OZ } from '../rate-calculator';

const ZIP_PATTERN = /^\d{5}(-\d{4})?$/;

/** Weight and optional dimensions of a parcel, shared by quotes and labels. */
export class ParcelDto {
  @ApiProperty({ minimum: MIN_WEIGHT_OZ, maximum: MAX_WEIGHT_OZ })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(MIN_WEIGHT_OZ)
  @Max(MAX_WEIGHT_OZ)
  weightOz: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(MAX_SIDE_IN)
  lengthIn?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(MAX_SIDE_IN)
  widthIn?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(MAX_SIDE_IN)
  heightIn?: number;
}

export class QuoteRequestDto extends ParcelDto {
  @ApiProperty({ example: '60601' })
  @Matches(ZIP_PATTERN, { message: 'fromZip must be 5 digits or ZIP+4' })
  fromZip: string;

  @ApiProperty({ example: '80202' })
  @Matches(ZIP_PATTERN, { message: 'toZip must be 5 digits or ZIP+4' })
  toZip: string;

  @ApiPropertyOptional({ enum: SHIPPING_SERVICES })
  @IsOptional()
  @IsIn(SHIPPING_SERVICES)
  service?: ShippingService;
}
