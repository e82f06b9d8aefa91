import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '@app/auth';
import { PageQueryDto } from '@app/platform';
import { Idempotent, type IdempotencyScope, IdempotencyScopeParam } from '../payments/idempotency.interceptor';
import { AccountService } from './account.service';
import { TopUpDto } from './dto/top-up.dto';

@ApiTags('account')
@ApiBearerAuth()
@Controller('account/balance')
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @Get()
  balance(@CurrentUser() user: AuthUser) {
    return this.account.balance(user.userId);
  }

  @Get('history')
  history(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.account.history(user.userId, query.limit, query.cursor);
  }

  @Post('top-ups')
  @Idempotent()
  @ApiResponse({ status: 402, description: 'the card was declined (body: code, declineCode)' })
  @ApiServiceUnavailableResponse({ description: 'the payment provider is unavailable; retry with the same key' })
  topUp(@CurrentUser() user: AuthUser, @Body() body: TopUpDto, @IdempotencyScopeParam() scope: IdempotencyScope) {
    return this.account.topUp(user.userId, body, scope);
  }
}
