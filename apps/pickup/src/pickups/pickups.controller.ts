import { Body, Delete, Get, Headers, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiCreatedResponse, ApiParam } from '@nestjs/swagger';
import {
  type AuthUser,
  CurrentUser,
  OrgPermissionRequired,
  ownerScope,
  actingMember,
  OrgActingController,
} from '@app/auth';
import { OrgPermissions, PICKUP_CONFIRMATION_PATTERN } from '@app/contracts';
import { PageQueryDto } from '@app/platform';
import { CreatePickupDto, UpdatePickupDto } from './dto/pickup.dto';
import { PickupsService, toPickupView } from './pickups.service';
import { CancelledPickup, PickupView, PickupViewPage } from './dto/pickup-view.dto';

@OrgActingController('pickups', 'pickups')
export class PickupsController {
  constructor(private readonly pickups: PickupsService) {}

  @Post()
  @OrgPermissionRequired(OrgPermissions.Ship)
  @ApiCreatedResponse({ type: PickupView })
  schedule(
    @CurrentUser() user: AuthUser,
    @Body() body: CreatePickupDto,
    @Headers('authorization') authorization?: string,
  ) {
    return this.pickups.schedule(ownerScope(user), body, authorization, actingMember(user));
  }

  @Get()
  @ApiOkResponse({ type: PickupViewPage })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.pickups.list(ownerScope(user), query.limit, query.cursor);
  }

  @Get(':confirmationNumber')
  @ApiOkResponse({ type: PickupView })
  @ApiParam({ name: 'confirmationNumber', schema: { type: 'string', pattern: PICKUP_CONFIRMATION_PATTERN } })
  async get(@CurrentUser() user: AuthUser, @Param('confirmationNumber') confirmationNumber: string) {
    return toPickupView(await this.pickups.get(ownerScope(user), confirmationNumber));
  }

  @Patch(':confirmationNumber')
  @OrgPermissionRequired(OrgPermissions.Ship)
  @ApiOkResponse({ type: PickupView })
  @ApiParam({ name: 'confirmationNumber', schema: { type: 'string', pattern: PICKUP_CONFIRMATION_PATTERN } })
  modify(
    @CurrentUser() user: AuthUser,
    @Param('confirmationNumber') confirmationNumber: string,
    @Body() body: UpdatePickupDto,
  ) {
    return this.pickups.modify(ownerScope(user), confirmationNumber, body, actingMember(user));
  }

  @Delete(':confirmationNumber')
  @OrgPermissionRequired(OrgPermissions.Ship)
  @ApiOkResponse({ type: CancelledPickup })
  @ApiParam({ name: 'confirmationNumber', schema: { type: 'string', pattern: PICKUP_CONFIRMATION_PATTERN } })
  cancel(@CurrentUser() user: AuthUser, @Param('confirmationNumber') confirmationNumber: string) {
    return this.pickups.cancel(ownerScope(user), confirmationNumber, actingMember(user));
  }
}
