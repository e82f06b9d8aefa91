import { type AuthUser, CurrentUser, OrgActingController, OrgPermissionRequired, ownerScope } from '@app/auth';
import { OrgPermissions } from '@app/contracts';
import { Body, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiOkResponse, ApiCreatedResponse } from '@nestjs/swagger';
import { PageQueryDto } from '@app/platform';
import { WatchDto } from './dto/watch.dto';
import { WatchlistService } from './watchlist.service';
import { WatchlistEntryPage, WatchlistItem } from './dto/watchlist-view.dto';

// Teams (issue 18): the watchlist is the account's the token acts for; an organisation's (its labels'
// parcels among them) is read by every member and changed by those who ship.
@OrgActingController('tracking/watchlist', 'tracking')
export class WatchlistController {
  constructor(private readonly watchlist: WatchlistService) {}

  @Get()
  @ApiOperation({ summary: 'The watchlist of the account acted for (the organisation’s while acting for one)' })
  @ApiOkResponse({ type: WatchlistEntryPage })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.watchlist.list(ownerScope(user), query.limit, query.cursor);
  }

  @Post()
  @HttpCode(201)
  @OrgPermissionRequired(OrgPermissions.Ship)
  @ApiCreatedResponse({ type: WatchlistItem })
  add(@CurrentUser() user: AuthUser, @Body() body: WatchDto) {
    return this.watchlist.add(ownerScope(user), body.trackingNumber, body.nickname);
  }

  @Delete(':trackingNumber')
  @HttpCode(204)
  @OrgPermissionRequired(OrgPermissions.Ship)
  async remove(@CurrentUser() user: AuthUser, @Param('trackingNumber') trackingNumber: string): Promise<void> {
    await this.watchlist.remove(ownerScope(user), trackingNumber);
  }
}
