import { type AuthUser, CurrentUser } from '@app/auth';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '@app/platform';
import { WatchDto } from './dto/watch.dto';
import { WatchlistService } from './watchlist.service';

@ApiTags('tracking')
@ApiBearerAuth()
@Controller('tracking/watchlist')
export class WatchlistController {
  constructor(private readonly watchlist: WatchlistService) {}

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.watchlist.list(user.userId, query.limit, query.cursor);
  }

  @Post()
  @HttpCode(201)
  add(@CurrentUser() user: AuthUser, @Body() body: WatchDto) {
    return this.watchlist.add(user.userId, body.trackingNumber, body.nickname);
  }

  @Delete(':trackingNumber')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthUser, @Param('trackingNumber') trackingNumber: string): Promise<void> {
    await this.watchlist.remove(user.userId, trackingNumber);
  }
}
