import { type AuthUser, CurrentUser, Public } from '@app/auth';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '@app/platform';
import { TrackingService } from './tracking.service';

// Static paths are declared before `:trackingNumber` so they are matched first.
@ApiTags('tracking')
@Controller('tracking')
export class TrackingController {
  constructor(private readonly tracking: TrackingService) {}

  @Get('incoming')
  @ApiBearerAuth()
  incoming(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.tracking.incoming(user.userId, query.limit, query.cursor);
  }

  @Public()
  @Get()
  @ApiQuery({ name: 'numbers', description: 'up to 35 comma-separated tracking numbers' })
  lookupMany(@Query('numbers') numbers?: string) {
    return this.tracking.lookupMany(typeof numbers === 'string' ? numbers : undefined);
  }

  @Public()
  @Get(':trackingNumber')
  lookup(@Param('trackingNumber') trackingNumber: string) {
    return this.tracking.lookup(trackingNumber);
  }
}
