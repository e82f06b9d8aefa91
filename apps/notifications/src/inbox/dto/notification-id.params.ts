import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class NotificationIdParams {
  @ApiProperty({ example: 'b7d4c1e0a9f8e7d6c5b4a3928170f6e5d4c3b2a1' })
  @Matches(/^[0-9a-f]{40}$/, { message: 'id must be a notification id (40 hex digits)' })
  id: string;
}
