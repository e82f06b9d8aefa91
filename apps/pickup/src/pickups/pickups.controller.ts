import { Body, Controller, Delete, Get, Headers, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '@app/auth';
import { PageQueryDto } from '@app/platform';
import { CreatePickupDto, UpdatePickupDto } from './dto/pickup.dto';
import { PickupsService, toPickupView } from './pickups.service';

@ApiTags('pickups')
@ApiBearerAuth()
@Controller('pickups')
export class PickupsController {
  constructor(private readonly pickups: PickupsService) {}

  @Post()
  schedule(
    @CurrentUser() user: AuthUser,
    @Body() body: CreatePickupDto,
    @Headers('authorization') authorization?: string,
  ) {
    return this.pickups.schedule(user.userId, body, authorization);
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.pickups.list(user.userId, query.limit, query.cursor);
  }

  @Get(':confirmationNumber')
  async get(@CurrentUser() user: AuthUser, @Param('confirmationNumber') confirmationNumber: string) {
    return toPickupView(await this.pickups.get(user.userId, confirmationNumber));
  }

  @Patch(':confirmationNumber')
  modify(
    @CurrentUser() user: AuthUser,
    @Param('confirmationNumber') confirmationNumber: string,
    @Body() body: UpdatePickupDto,
  ) {
    return this.pickups.modify(user.userId, confirmationNumber, body);
  }

  @Delete(':confirmationNumber')
  cancel(@CurrentUser() user: AuthUser, @Param('confirmationNumber') confirmationNumber: string) {
    return this.pickups.cancel(user.userId, confirmationNumber);
  }
}
