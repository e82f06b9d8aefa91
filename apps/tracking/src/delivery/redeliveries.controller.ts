import { DELIVERY_QUOTA_DOC } from './delivery-quota';
import { type AuthUser, CurrentUser } from '@app/auth';
import { ApiTooManyRequests, PageQueryDto } from '@app/platform';
import { Body, Controller, Delete, Get, Param, Patch, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UpdateRedeliveryDto } from './dto/redelivery.dto';
import { RedeliveriesService } from './redeliveries.service';

const CONFIRMATION_PARAM = {
  name: 'confirmationNumber',
  schema: { type: 'string', pattern: '^RD[A-Z0-9]{10}$' },
} as const;

@ApiTags('delivery management')
@ApiBearerAuth()
@Controller('redeliveries')
export class RedeliveriesController {
  constructor(private readonly redeliveries: RedeliveriesService) {}

  @Get()
  @ApiOperation({ summary: "The caller's redeliveries, newest first" })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.redeliveries.list(user.userId, query.limit, query.cursor);
  }

  @Get(':confirmationNumber')
  @ApiParam(CONFIRMATION_PARAM)
  @ApiNotFoundResponse({ description: "not one of the caller's redeliveries" })
  get(@CurrentUser() user: AuthUser, @Param('confirmationNumber') confirmationNumber: string) {
    return this.redeliveries.get(user.userId, confirmationNumber);
  }

  @Patch(':confirmationNumber')
  @ApiTooManyRequests(DELIVERY_QUOTA_DOC)
  @ApiServiceUnavailableResponse({ description: 'the request counter (Redis) is unavailable; try again' })
  @ApiOperation({ summary: 'Change the date, place, instructions or contact, before 2:00 AM Central time on its day' })
  @ApiParam(CONFIRMATION_PARAM)
  @ApiBadRequestResponse({ description: 'bad input or a date the redelivery rules refuse' })
  @ApiNotFoundResponse({ description: "not one of the caller's redeliveries" })
  @ApiConflictResponse({ description: 'cancelled, or 2:00 AM Central time on its day has passed' })
  modify(
    @CurrentUser() user: AuthUser,
    @Param('confirmationNumber') confirmationNumber: string,
    @Body() body: UpdateRedeliveryDto,
  ) {
    return this.redeliveries.modify(user.userId, confirmationNumber, body);
  }

  @Delete(':confirmationNumber')
  @ApiTooManyRequests(DELIVERY_QUOTA_DOC)
  @ApiServiceUnavailableResponse({ description: 'the request counter (Redis) is unavailable; try again' })
  @ApiOperation({ summary: 'Cancel, before 2:00 AM Central time on its day; cancelling again answers the same' })
  @ApiParam(CONFIRMATION_PARAM)
  @ApiNotFoundResponse({ description: "not one of the caller's redeliveries" })
  @ApiConflictResponse({ description: '2:00 AM Central time on its day has passed' })
  cancel(@CurrentUser() user: AuthUser, @Param('confirmationNumber') confirmationNumber: string) {
    return this.redeliveries.cancel(user.userId, confirmationNumber);
  }
}
