import { DELIVERY_QUOTA_DOC } from './delivery-quota';
import { type AuthUser, CurrentUser } from '@app/auth';
import { ApiTooManyRequests, PageQueryDto } from '@app/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
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
import { CreateHoldMailDto, UpdateHoldMailDto } from './dto/hold-mail.dto';
import { HoldMailService } from './hold-mail.service';

const CONFIRMATION_PARAM = {
  name: 'confirmationNumber',
  schema: { type: 'string', pattern: '^HM[A-Z0-9]{10}$' },
} as const;

@ApiTags('delivery management')
@ApiBearerAuth()
@Controller('hold-mail')
export class HoldMailController {
  constructor(private readonly holdMail: HoldMailService) {}

  @Post()
  @ApiTooManyRequests(DELIVERY_QUOTA_DOC)
  @ApiServiceUnavailableResponse({ description: 'the request counter (Redis) is unavailable; try again' })
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Hold the mail of one of your verified addresses for 3–30 days, starting on a delivery day at least one day ahead; the same hold again answers the one booked',
  })
  @ApiBadRequestResponse({ description: 'bad input or dates the Hold Mail rules refuse' })
  @ApiNotFoundResponse({ description: 'not one of your verified addresses' })
  @ApiConflictResponse({ description: 'another hold of this address overlaps' })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateHoldMailDto) {
    return this.holdMail.create(user.userId, body);
  }

  @Get()
  @ApiOperation({ summary: 'Your Hold Mail requests, newest first' })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.holdMail.list(user.userId, query.limit, query.cursor);
  }

  @Get(':confirmationNumber')
  @ApiParam(CONFIRMATION_PARAM)
  @ApiNotFoundResponse({ description: 'not one of your holds' })
  get(@CurrentUser() user: AuthUser, @Param('confirmationNumber') confirmationNumber: string) {
    return this.holdMail.get(user.userId, confirmationNumber);
  }

  @Patch(':confirmationNumber')
  @ApiTooManyRequests(DELIVERY_QUOTA_DOC)
  @ApiServiceUnavailableResponse({ description: 'the request counter (Redis) is unavailable; try again' })
  @ApiOperation({ summary: 'Change the dates or the delivery before the hold starts (same rules)' })
  @ApiParam(CONFIRMATION_PARAM)
  @ApiBadRequestResponse({ description: 'bad input or dates the Hold Mail rules refuse' })
  @ApiNotFoundResponse({ description: 'not one of your holds' })
  @ApiConflictResponse({ description: 'started, cancelled, or overlapping another hold' })
  modify(
    @CurrentUser() user: AuthUser,
    @Param('confirmationNumber') confirmationNumber: string,
    @Body() body: UpdateHoldMailDto,
  ) {
    return this.holdMail.modify(user.userId, confirmationNumber, body);
  }

  @Delete(':confirmationNumber')
  @ApiTooManyRequests(DELIVERY_QUOTA_DOC)
  @ApiServiceUnavailableResponse({ description: 'the request counter (Redis) is unavailable; try again' })
  @ApiOperation({ summary: 'Cancel before the hold starts; cancelling again answers the same' })
  @ApiParam(CONFIRMATION_PARAM)
  @ApiNotFoundResponse({ description: 'not one of your holds' })
  @ApiConflictResponse({ description: 'the hold has started' })
  cancel(@CurrentUser() user: AuthUser, @Param('confirmationNumber') confirmationNumber: string) {
    return this.holdMail.cancel(user.userId, confirmationNumber);
  }
}
