import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { InboxItem as InboxItemShape, InboxPage as InboxPageShape } from '../inbox.service';

export class InboxItem implements InboxItemShape {
  @ApiProperty() id!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiPropertyOptional() link?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() read!: boolean;
  @ApiPropertyOptional({ format: 'date-time' }) readAt?: string;
}

export class InboxPage implements InboxPageShape {
  @ApiProperty({ type: [InboxItem] }) items!: InboxItem[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty({ type: 'integer' }) unreadCount!: number;
}
