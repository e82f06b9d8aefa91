import { type AuthUser, CurrentUser, Public } from '@app/auth';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { ApiTooManyRequests, PageQueryDto } from '@app/platform';
import { TrackingService } from './tracking.service';
import { IncomingViewPage, TrackingResults, TrackingView } from './dto/tracking-view.dto';

// Static paths are declared before `:trackingNumber` so they are matched first.
@ApiTags('tracking')
@Controller('tracking')
export class TrackingController {
  constructor(private readonly tracking: TrackingService) {}

  @Get('incoming')
  @ApiBearerAuth()
  @ApiOkResponse({ type: IncomingViewPage })
  incoming(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.tracking.incoming(user.userId, query.limit, query.cursor);
  }

  @Public()
  @Get()
  @ApiQuery({ name: 'numbers', description: 'up to 35 comma-separated tracking numbers' })
  @ApiTooManyRequests(
    'More than GATEWAY_TRACKING_BATCH_RATE_LIMIT_PER_MINUTE (default 60) batch lookups from this client (IP) in a minute, at the gateway; single lookups have their own limit',
  )
  @ApiOkResponse({ type: TrackingResults })
  lookupMany(@Query('numbers') numbers?: string) {
    return this.tracking.lookupMany(typeof numbers === 'string' ? numbers : undefined);
  }

  @Public()
  @Get(':trackingNumber')
  @ApiTooManyRequests(
    'More than GATEWAY_TRACKING_RATE_LIMIT_PER_MINUTE (default 300) single lookups from this client (IP) in a minute, at the gateway; batch lookups have their own limit',
  )
  @ApiOkResponse({ type: TrackingView })
  lookup(@Param('trackingNumber') trackingNumber: string) {
    return this.tracking.lookup(trackingNumber);
  }
}
