import { MAX_MANIFEST_LABELS } from '@app/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsString, Matches, MaxLength } from 'class-validator';

export class CreateManifestDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: MAX_MANIFEST_LABELS,
    uniqueItems: true,
    description: "ids of the caller's labels: active (not refunded), not accepted yet, and on no other manifest",
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MANIFEST_LABELS)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  labelIds: string[];

  @ApiProperty({
    example: '2026-12-07',
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    description: 'the day the parcels are handed over: today (Central time) or up to PICKUP_BOOKING_WINDOW_DAYS ahead',
  })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date: string;
}
