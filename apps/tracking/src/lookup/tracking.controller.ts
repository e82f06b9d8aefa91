import { type AuthUser, CurrentUser, Public } from '@app/auth';
import { TRACKING_VIEW_CACHE_CONTROL } from '@app/contracts';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiTooManyRequests, PageQueryDto } from '@app/platform';
import { TrackingService } from './tracking.service';
import { IncomingViewPage, TrackingResults, TrackingView } from './dto/tracking-view.dto';

/** A public view's `Cache-Control` (the contract's: the gateway answers views from the read model with it too). */
export const LOOKUP_CACHE_CONTROL = TRACKING_VIEW_CACHE_CONTROL;

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
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'the ETag of a view already held: 304 without a body while the view has not changed',
  })
  @ApiOkResponse({
    type: TrackingView,
    description: 'The public view (no owner, watchers or street address)',
    headers: {
      ETag: { description: 'weak entity tag of this view', schema: { type: 'string' } },
      'Cache-Control': {
        description: `\`${LOOKUP_CACHE_CONTROL}\`: any cache may keep it, but must revalidate it (If-None-Match) before each use`,
        schema: { type: 'string' },
      },
      'X-Cache': {
        description:
          'through the gateway, for a caller without credentials: `HIT` when answered from its edge cache (dropped as soon as the parcel changes), `MISS` when fetched',
        schema: { type: 'string', enum: ['HIT', 'MISS'] },
      },
    },
  })
  @ApiResponse({ status: 304, description: 'Not Modified: the view named by If-None-Match is still current' })
  @ApiTooManyRequests(
    'More than GATEWAY_TRACKING_RATE_LIMIT_PER_MINUTE (default 300) single lookups from this client (IP) in a minute, at the gateway; batch lookups have their own limit',
  )
  async lookup(@Param('trackingNumber') trackingNumber: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.tracking.lookup(trackingNumber);
    // Only on the view: a refusal (400, 404) keeps the API's `no-store`.
    void reply.header('cache-control', LOOKUP_CACHE_CONTROL);
    return view;
  }
}
