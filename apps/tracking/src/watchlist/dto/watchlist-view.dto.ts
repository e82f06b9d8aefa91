import { PageOf } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { WatchlistItem as WatchlistItemShape } from '../watchlist.schema';
import type { WatchlistEntry as WatchlistEntryShape } from '../watchlist.service';

export class WatchlistItem implements WatchlistItemShape {
  @ApiProperty() trackingNumber!: string;
  @ApiPropertyOptional() nickname?: string;
  @ApiProperty({ format: 'date-time' }) addedAt!: string;
}

export class WatchlistEntry extends WatchlistItem implements WatchlistEntryShape {
  @ApiProperty() found!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'as in the lookup: the description of the latest event' })
  status!: string | null;
  @ApiProperty({ type: String, nullable: true }) statusCategory!: string | null;
  @ApiPropertyOptional({ format: 'date' }) expectedDelivery?: string;
  @ApiPropertyOptional({ format: 'date-time' }) lastEventAt?: string;
}

export const WatchlistEntryPage = PageOf(WatchlistEntry);
