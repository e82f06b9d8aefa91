import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';

export const MAX_SCANS_PER_REQUEST = 1000;

export class SubmitScansDto {
  /** Each element is checked on its own (schema, code, number, time, facility); bad ones are reported, not fatal. */
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    maxItems: MAX_SCANS_PER_REQUEST,
    example: [
      {
        eventId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
        trackingNumber: '9212391234567812345670',
        code: 'available_for_pickup',
        occurredAt: '2025-05-03T09:30:00.000Z',
        facility: { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' },
      },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SCANS_PER_REQUEST)
  events: unknown[];
}
