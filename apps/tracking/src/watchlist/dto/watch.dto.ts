import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class WatchDto {
  @ApiProperty({ example: '9212391234567812345670' })
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  trackingNumber: string;

  @ApiPropertyOptional({ example: 'Birthday present' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  nickname?: string;
}
